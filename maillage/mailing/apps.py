from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "maillage.mailing"
    label = "mailing"
    verbose_name = _("Mailing list")

    def ready(self) -> None:
        # search.py is found by core.search at start-up; the review policy is told here.
        from maillage.mailing.review import register_with_review_policy

        register_with_review_policy()
