from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Shared mechanisms")

    def ready(self) -> None:
        # huey discovers `<app>.tasks` only; the review policy's tasks live in their package.
        from maillage.core.review import tasks  # noqa: F401
