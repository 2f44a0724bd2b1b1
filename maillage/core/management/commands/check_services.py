"""Check that what the site needs answers: the database (migrated), the task queue, the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.core.tasks import queue_is_reachable


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def check_migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(
            ngettext(
                "%(count)d not applied (run “maillage migrate”)",
                "%(count)d not applied (run “maillage migrate”)",
                len(plan),
            )
            % {"count": len(plan)}
        )
    return _("all applied")


def check_queue() -> str:
    from django.conf import settings

    if not queue_is_reachable():
        raise RuntimeError(_("unreachable"))
    return str(settings.HUEY.get("huey_class", "huey")).rpartition(".")[2]


def check_cache() -> str:
    from django.conf import settings

    key = "maillage:check_services"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError(_("a value written could not be read back"))
    cache.delete(key)
    return str(settings.CACHES["default"]["BACKEND"]).rpartition(".")[2]


class Command(BaseCommand):
    help = gettext_lazy(
        "Check that the database, its migrations, the task queue and the cache answer."
    )  # type: ignore[assignment]
    leave_locale_alone = True

    def handle(self, *args: Any, **options: Any) -> None:
        checks: list[tuple[str, Callable[[], str]]] = [
            (_("database"), check_database),
            (_("migrations"), check_migrations),
            (_("task queue"), check_queue),
            (_("cache"), check_cache),
        ]
        failures = []
        for label, check in checks:
            try:
                detail = check()
            except Exception as error:  # any failure is reported, none is fatal to the others
                failures.append(label)
                line = _("%(label)s: %(detail)s") % {"label": label, "detail": error}
                self.stdout.write(self.style.ERROR(f"✗ {line}"))
            else:
                line = _("%(label)s: %(detail)s") % {"label": label, "detail": detail}
                self.stdout.write(self.style.SUCCESS(f"✓ {line}"))
        if failures:
            raise CommandError(_("Not ready: %(failures)s.") % {"failures": ", ".join(failures)})
