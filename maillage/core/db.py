"""Database configuration: the one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ

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
        config.setdefault("TEST", {}).setdefault("NAME", str(data_dir / "test_maillage.sqlite3"))
    elif config["ENGINE"] in {
        "django.db.backends.postgresql",
        "django.db.backends.postgresql_psycopg2",
    }:
        config["ENGINE"] = "django.db.backends.postgresql"
        config.setdefault("CONN_MAX_AGE", 60)
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


def is_sqlite(alias: str = "default") -> bool:
    from django.db import connections

    return connections[alias].vendor == "sqlite"
