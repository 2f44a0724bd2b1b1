from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "maillage.inbox"
    label = "inbox"
    verbose_name = _("Questions from the public")

    def ready(self) -> None:
        from maillage.inbox.intake import register_email_address_owner
        from maillage.inbox.post_comments import register_comment_intake
        from maillage.inbox.review import register_with_review_policy

        register_with_review_policy()
        register_email_address_owner()
        register_comment_intake()
