from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "maillage.showcase"
    label = "showcase"
    verbose_name = _("Showcase")

    def ready(self) -> None:
        from maillage.showcase import review, targets

        # Projects take comments (the comments app) and go through the review policy.
        targets.register_comment_target()
        review.register_with_review_policy()
