"""Database configuration: the one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import environ

if TYPE_CHECKING:  # settings import this module: keep django.db out of its import time
    from django.db.models import Model, QuerySet

_Model = TypeVar("_Model", bound="Model")

# WAL lets readers work while one writer writes; NORMAL is durable enough with WAL and much
# faster; the busy timeout (the "timeout" option, in seconds) makes writers wait instead of
# failing with "database is locked".
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA mmap_size=134217728;"
)
SQLITE_BUSY_TIMEOUT_SECONDS = 20


def database_settings(url: str | None, data_dir: Path) -> dict[str, Any]:
    """Return Django's DATABASES["default"] for a DATABASE_URL (SQLite file in data_dir if None)."""
    if not url:
        url = f"sqlite:///{data_dir / 'maillage.sqlite3'}"
    config: dict[str, Any] = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options = config.setdefault("OPTIONS", {})
        # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers queue on the busy
        # timeout rather than one failing when it upgrades a read lock.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        options.setdefault("init_command", SQLITE_INIT_COMMAND)
        # Tests use a real file too (not SQLite's shared in-memory database, where every thread
        # shares one connection): concurrency tests must see real locking and WAL.
        # One file per test process, so that two runs side by side never share (or delete) one.
        test_name = data_dir / f"test_maillage_{os.getpid()}.sqlite3"
        config.setdefault("TEST", {}).setdefault("NAME", str(test_name))
    elif config["ENGINE"] in {
        "django.db.backends.postgresql",
        "django.db.backends.postgresql_psycopg2",
    }:
        config["ENGINE"] = "django.db.backends.postgresql"
        config.setdefault("CONN_MAX_AGE", 60)
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


def database_url(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL that points another process at this connection's database.

    The inverse of database_settings(), for commands run as separate processes (an MTA pipe,
    the LMTP service) on the database this process uses, the test database included.
    """
    from urllib.parse import quote

    name = str(settings_dict["NAME"])
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{name}"
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def is_sqlite(alias: str = "default") -> bool:
    from django.db import connections

    return connections[alias].vendor == "sqlite"


def lock_for_update(queryset: QuerySet[_Model]) -> QuerySet[_Model]:
    """The queryset, locking its rows until the end of the surrounding transaction.

    PostgreSQL takes row locks (SELECT … FOR UPDATE). SQLite has no row locks: there the whole
    database is locked for writing from the transaction's BEGIN, because the settings open every
    transaction with BEGIN IMMEDIATE; refuse to pretend otherwise if that setting was dropped.
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections
    from django.db.transaction import TransactionManagementError

    connection = connections[queryset.db]
    if connection.vendor == "sqlite":
        mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        if str(mode).upper() not in {"IMMEDIATE", "EXCLUSIVE"}:
            raise ImproperlyConfigured(
                "SQLite needs OPTIONS['transaction_mode'] = 'IMMEDIATE' to serialise writers."
            )
    if not connection.in_atomic_block:
        raise TransactionManagementError("lock_for_update() must run inside transaction.atomic().")
    return queryset.select_for_update()


# One writer at a time per process on SQLite (see write_transaction).
# Re-entrant: on_commit callbacks run while the outer `with` still holds it, and one of them
# (a task run immediately, in tests and the demo) may open its own write transaction.
_sqlite_writer_turn = threading.RLock()


@contextmanager
def write_transaction(using: str | None = None) -> Iterator[None]:
    """transaction.atomic() for writes that contend for the same rows (the last places of an
    event), with their locks taken by `lock_for_update`.

    On SQLite the threads of one process first queue on a process lock: waiting for the
    database's own write lock means polling it with growing sleeps (up to 100 ms each), which
    turns a burst of writers into seconds of waiting; a Python lock hands over at once. Other
    processes still wait on SQLite's busy timeout. Inside an outer transaction the lock is not
    taken: that transaction already holds (or will take) the write lock, and waiting here while
    holding it could deadlock with a thread that holds this lock and waits for the database.
    """
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with _sqlite_writer_turn, transaction.atomic(using=alias):
            yield
    else:
        with transaction.atomic(using=alias):
            yield


# Page cache for one large write (KiB): the indexes an import of 100,000 rows fills hold random
# keys (URL digests), which SQLite's default 2 MB cache turns into constant page reloads.
BULK_WRITE_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_writing(using: str | None = None) -> Iterator[None]:
    """Room for one large write (a bookmark import): on SQLite a bigger page cache for this
    connection while it lasts (measured in bench/README.md: a third less CPU for the inserts);
    nothing to do on PostgreSQL, whose shared buffers are the server's."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{BULK_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")
