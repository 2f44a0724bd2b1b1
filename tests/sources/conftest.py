"""Fixtures for the sources' tests: English pages, members, and feeds built on demand for the
real local HTTP server (`http_server`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.test import Client
from django.utils import timezone, translation

from maillage.members.models import Role, User
from tests.factories import UserFactory

RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_HEADERS = {"Content-Type": "application/atom+xml; charset=utf-8"}
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def member(db: Any) -> User:
    return UserFactory(display_name="Camille Martin", email="camille@example.org")


@pytest.fixture
def other(db: Any) -> User:
    return UserFactory(display_name="Yann Le Bihan", email="yann@example.org")


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (huey tasks run
    in-process in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def rss(
    title: str = "Le blog de la médiathèque",
    items: list[dict[str, Any]] | None = None,
    *,
    site: str = "https://mediatheque.example.org/",
) -> bytes:
    """An RSS 2.0 document; each item: guid, title, link, date (datetime), description."""
    parts = []
    for item in items or []:
        fields = [f"<title>{escape(item.get('title', ''))}</title>"]
        if item.get("link"):
            fields.append(f"<link>{escape(item['link'])}</link>")
        if item.get("guid"):
            fields.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if item.get("date"):
            fields.append(f"<pubDate>{format_datetime(item['date'])}</pubDate>")
        if item.get("description"):
            fields.append(f"<description>{escape(item['description'])}</description>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(site)}</link>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def items(
    count: int, *, start: int = 0, prefix: str = "billet", now: datetime | None = None
) -> list[dict[str, Any]]:
    """`count` items, the first the newest, an hour apart."""
    now = now or timezone.now()
    return [
        {
            "guid": f"{prefix}-{number}",
            "title": f"Billet {number}",
            "link": f"https://mediatheque.example.org/{prefix}/{number}",
            "date": now - timedelta(hours=number - start),
            "description": f"<p>Résumé du billet {number}.</p>",
        }
        for number in range(start, start + count)
    ]
