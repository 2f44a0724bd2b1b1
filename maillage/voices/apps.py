from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "maillage.voices"
    label = "voices"
    verbose_name = _("Voices of institutions")

    def ready(self) -> None:
        from maillage.voices.connectors import register_builtin_connectors
        from maillage.voices.review import register_with_review_policy

        register_builtin_connectors()
        register_with_review_policy()
