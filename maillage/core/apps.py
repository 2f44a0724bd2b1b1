from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Shared mechanisms")

    def ready(self) -> None:
        # huey discovers `<app>.tasks` only; the review policy's tasks live in their package.
        from maillage.core.review import tasks  # noqa: F401
        from maillage.core.search import demo as search_demo  # noqa: F401
        from maillage.core.search import tasks as search_tasks  # noqa: F401

        # Each app's search.py registers what it indexes (core.search.register).
        autodiscover_modules("search")
