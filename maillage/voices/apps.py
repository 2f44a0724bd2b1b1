from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "maillage.voices"
    label = "voices"
    verbose_name = _("Voices of institutions")

    def ready(self) -> None:
        from maillage.voices.connectors import register_builtin_connectors
        from maillage.voices.review import register_with_review_policy
        from maillage.voices.targets import register_comment_target

        register_builtin_connectors()
        register_with_review_policy()
        # Published posts take comments (the comments app); the inbox hears of them.
        register_comment_target()
