from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "maillage.articles.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from maillage.articles.comments import review, targets

        targets.register_known_targets()
        review.register_with_review_policy()
