"""A natural-history museum and its four voices, each with what they know best, as in the demo:
Camille (insects), Lucie (skeletons), Yannick (herbaria, citizen science), Thomas (visits,
families, workshops); an administrator, an editor who triages and a reviewer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.inbox.models import InboxSettings
from maillage.members.models import User
from maillage.voices.models import Space, Voice
from tests.factories import (
    InboxSettingsFactory,
    MembershipFactory,
    SpaceFactory,
    TagFactory,
    UserFactory,
    VoiceFactory,
)
from tests.services import free_port

EXPERTISE = {
    "camille": (
        "Camille Le Goff",
        "chargée des collections d’entomologie",
        ("entomologie", "insectes", "réserves"),
    ),
    "lucie": (
        "Lucie Bréhat",
        "préparatrice en ostéologie",
        ("ostéologie", "squelettes", "restauration"),
    ),
    "yannick": (
        "Yannick Ollivier",
        "responsable des herbiers",
        ("botanique", "herbiers", "sciences participatives"),
    ),
    "thomas": ("Thomas Berthelot", "médiateur", ("médiation", "visites", "familles", "ateliers")),
}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def inbox_site(settings: Any) -> None:
    settings.SITE_URL = "https://docarennes.example"
    settings.SITE_NAME = "Doc@Rennes"
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"
    settings.MAILING_DOMAIN = "lists.example.org"
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (mail, tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@dataclass
class Museum:
    space: Space
    settings: InboxSettings
    admin: User
    editor: User
    reviewer: User
    camille: Voice
    lucie: Voice
    yannick: Voice
    thomas: Voice

    @property
    def voices(self) -> list[Voice]:
        return [self.camille, self.lucie, self.yannick, self.thomas]


@pytest.fixture
def museum(db: Any) -> Museum:
    space = SpaceFactory(institution__name="Muséum des Landes", institution__slug="museum-landes")
    admin = UserFactory(display_name="Alice Admin", email="alice@example.org")
    editor = UserFactory(display_name="Édouard Éditeur", email="edouard@example.org")
    reviewer = UserFactory(display_name="Rose Relectrice", email="rose@example.org")
    MembershipFactory(space=space, user=admin, role="admin")
    MembershipFactory(space=space, user=editor, role="editor")
    MembershipFactory(space=space, user=reviewer, role="reviewer")
    voices = {}
    for key, (name, title, tags) in EXPERTISE.items():
        voices[key] = VoiceFactory(
            space=space,
            user=UserFactory(display_name=name, email=f"{key}@example.org"),
            title=title,
            expertise=[TagFactory(name=tag) for tag in tags],
        )
    settings = InboxSettingsFactory(space=space, email_address="questions@museum-landes.example")
    return Museum(
        space=space,
        settings=settings,
        admin=admin,
        editor=editor,
        reviewer=reviewer,
        **voices,
    )


@pytest.fixture
def lmtp_server(transactional_db: Any) -> Iterator[Any]:
    from maillage.mailing import lmtp
    from tests.mailing.conftest import LMTPServer

    port = free_port()
    controller = lmtp.controller(host="127.0.0.1", port=port)
    controller.start()
    try:
        yield LMTPServer(host="127.0.0.1", port=port)
    finally:
        controller.stop()
