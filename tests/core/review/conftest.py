"""Fixtures for the review policy: English, people in roles, profile links as reviewable content.

No content kind exists in core itself: the tests register members' ProfileLink as reviewable and
record what the queue asked of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import translation

from maillage.core.review import register_reviewable, unregister_reviewable
from maillage.members.models import ProfileLink, Role, User
from tests.factories import ProfileLinkFactory, ReviewRecordFactory, UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(
        display_name="Claire Morvan", email="claire@example.org", role=Role.COORDINATOR
    )


@pytest.fixture
def member(db: Any) -> User:
    return UserFactory(display_name="Camille Martin", email="camille@example.org", trust_level=1)


@dataclass
class Calls:
    approved: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    spam: list[int] = field(default_factory=list)


@pytest.fixture
def reviewable_links() -> Iterator[Calls]:
    """ProfileLink registered as reviewable for the test only; the calls are recorded."""
    calls = Calls()

    def approve(link: models.Model) -> None:
        calls.approved.append(link.pk)

    def reject(link: models.Model, reason: str) -> None:
        calls.rejected.append((link.pk, reason))

    def mark_spam(link: models.Model) -> None:
        calls.spam.append(link.pk)

    def describe(link: models.Model) -> str:
        assert isinstance(link, ProfileLink)
        return f"{link.title} — {link.url}"

    def url(link: models.Model) -> str:
        assert isinstance(link, ProfileLink)
        return link.url

    register_reviewable(
        ProfileLink, approve=approve, reject=reject, mark_spam=mark_spam, describe=describe, url=url
    )
    yield calls
    unregister_reviewable(ProfileLink)


@pytest.fixture
def held(member: User, reviewable_links: Calls) -> Any:
    """A contribution by Camille, held for review."""
    link = ProfileLinkFactory(
        user=member, title="Le blog de Camille", url="https://camille.example/"
    )
    return ReviewRecordFactory(target=link, author=member)
