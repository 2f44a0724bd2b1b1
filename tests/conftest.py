"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.console import run_maillage
from tests.services import SMTPServer, free_port, service_missing


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    """Rate-limit counters and cached values never leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded files go to the test's own folder, never to the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPServer]:  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:  # pragma: no cover - aiosmtpd is a test dependency
        service_missing("aiosmtpd is not installed")
    server = SMTPServer(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def http_server(settings):  # type: ignore[no-untyped-def]
    """A real HTTP server on 127.0.0.1 with a per-test route table; core.fetch may reach it."""
    from tests.http_server import running_server

    settings.FETCH_ALLOW_LOOPBACK = True
    yield from running_server()


@pytest.fixture(scope="session")
def migrated_data_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder migrated by the console script, once per test process (a migration costs
    about 12 s of processor)."""
    data_dir = tmp_path_factory.mktemp("migrated") / "data"
    migrate = run_maillage("migrate", "--verbosity", "0", data_dir=data_dir)
    assert migrate.returncode == 0, migrate.stderr
    return data_dir


@pytest.fixture
def migrated_data_dir(migrated_data_template: Path, tmp_path: Path) -> Path:
    """A data folder whose SQLite database has every migration applied: a copy of the template,
    which the test may change."""
    data_dir = tmp_path / "data"
    shutil.copytree(migrated_data_template, data_dir)
    return data_dir
