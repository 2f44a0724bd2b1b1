"""Settings read from the environment: the secret key rule, SQLite's pragmas, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from maillage.core.db import SQLITE_BUSY_TIMEOUT_SECONDS, database_settings, database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOAD_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.MODE)"
)


def load_settings(data_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter (they are read once, at import)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MAILLAGE_", "PYTEST_"))
        and name not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    # Empty rather than absent, so that a developer's .env cannot fill them in.
    env.update(
        DJANGO_SETTINGS_MODULE="maillage.settings",
        MAILLAGE_DATA_DIR=str(data_dir),
        SECRET_KEY="",
        DEBUG="false",
        DATABASE_URL="",
        REDIS_URL="",
    )
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# --- SECRET_KEY -------------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = load_settings(tmp_path, MAILLAGE_MODE="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    result = load_settings(tmp_path, MAILLAGE_MODE="production", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_refuses_the_example_secret_key(tmp_path: Path) -> None:
    example = "change-me-" + "x" * 50
    result = load_settings(tmp_path, MAILLAGE_MODE="production", SECRET_KEY=example)
    assert result.returncode != 0
    assert "example value" in result.stderr


def test_production_is_the_default_mode(tmp_path: Path) -> None:
    result = load_settings(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_real_secret_key(tmp_path: Path) -> None:
    result = load_settings(tmp_path, MAILLAGE_MODE="production", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "production"


def test_the_demo_generates_a_secret_key_and_keeps_it(tmp_path: Path) -> None:
    assert load_settings(tmp_path, MAILLAGE_MODE="demo").returncode == 0
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_settings(tmp_path, MAILLAGE_MODE="demo").returncode == 0
    assert key_file.read_text() == key


# --- SQLite -----------------------------------------------------------------------------------


def pragma(cursor: Any, name: str) -> object:
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


def test_a_sqlite_file_gets_wal_a_busy_timeout_and_foreign_keys(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """The configuration core.db builds, on a real file (the test database is in memory)."""
    handler = ConnectionHandler({"default": database_settings(None, tmp_path)})
    sqlite = handler["default"]
    with django_db_blocker.unblock():
        with sqlite.cursor() as cursor:
            assert pragma(cursor, "journal_mode") == "wal"
            assert pragma(cursor, "busy_timeout") == SQLITE_BUSY_TIMEOUT_SECONDS * 1000
            assert pragma(cursor, "foreign_keys") == 1
            assert pragma(cursor, "synchronous") == 1  # NORMAL
        assert sqlite.settings_dict["NAME"] == str(tmp_path / "maillage.sqlite3")
        assert sqlite.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        handler.close_all()
    assert (tmp_path / "maillage.sqlite3").exists()


@pytest.mark.django_db
def test_the_test_database_has_the_same_pragmas() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas: this run uses another database")
    with connection.cursor() as cursor:
        assert pragma(cursor, "foreign_keys") == 1
        assert pragma(cursor, "busy_timeout") == SQLITE_BUSY_TIMEOUT_SECONDS * 1000
        # An in-memory test database cannot use WAL; a file-based one must.
        assert pragma(cursor, "journal_mode") in {"wal", "memory"}


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgresql_from_database_url(tmp_path: Path, scheme: str) -> None:
    config = database_settings(f"{scheme}://maillage:s%40cret@db.example:6543/reseau", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "reseau"
    assert config["USER"] == "maillage"
    assert config["PASSWORD"] == "s@cret"
    assert config["HOST"] == "db.example"
    assert int(config["PORT"]) == 6543
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(
    "url",
    [
        "postgres://maillage:s%40cret@db.example:6543/reseau",
        "postgres://postgres@127.0.0.1:5432/maillage_ci",
        "postgres:///reseau",
    ],
)
def test_database_url_gives_another_process_the_same_database(tmp_path: Path, url: str) -> None:
    config = database_settings(url, tmp_path)
    again = database_settings(database_url(config), tmp_path)
    for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST"):
        assert again.get(key) == config.get(key), key
    assert str(again.get("PORT") or "") == str(config.get("PORT") or "")
    sqlite = database_settings("", tmp_path)
    assert database_settings(database_url(sqlite), tmp_path)["NAME"] == sqlite["NAME"]


def test_no_database_url_means_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    config = database_settings("", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "maillage.sqlite3")


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given() -> None:
    """On CI's second run DATABASE_URL points at PostgreSQL: make sure we really are there."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_every_catalogue_is_compiled_by_make() -> None:
    """The Makefile compiles each .po whatever its depth (apps inside apps included)."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    catalogues = sorted(root.glob("maillage/**/locale/*/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 5
    planned = subprocess.run(
        ["make", "-n", "-B", "messages"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    for catalogue in catalogues:
        assert str(catalogue.relative_to(root).with_suffix(".mo")) in planned, catalogue
