"""A museum's space: an administrator, a reviewer, an editor, Camille the entomologist (a
trained voice), Yann (a voice not trained yet), the site channel serving one audience."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.members.models import User
from maillage.voices.models import Audience, Channel, KeyMessage, Space, Voice
from maillage.voices.services.strategy import ensure_first_version
from tests.factories import (
    AudienceFactory,
    ChannelFactory,
    KeyMessageFactory,
    MembershipFactory,
    SpaceFactory,
    TagFactory,
    UserFactory,
    VoiceFactory,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@dataclass
class Museum:
    space: Space
    admin: User
    editor: User
    reviewer: User
    camille: Voice
    yann: Voice
    audience: Audience
    message: KeyMessage
    site: Channel

    def client_for(self, client: Any, user: User) -> Any:
        client.force_login(user)
        return client


@pytest.fixture
def museum(db: Any) -> Museum:
    space = SpaceFactory(institution__name="Muséum des Landes", institution__slug="museum-landes")
    admin = UserFactory(display_name="Alice Admin", email="alice@example.org")
    editor = UserFactory(display_name="Édouard Éditeur", email="edouard@example.org")
    reviewer = UserFactory(display_name="Rose Relectrice", email="rose@example.org")
    MembershipFactory(space=space, user=admin, role="admin")
    MembershipFactory(space=space, user=editor, role="editor")
    MembershipFactory(space=space, user=reviewer, role="reviewer")
    audience = AudienceFactory(space=space, name="Familles")
    message = KeyMessageFactory(audience=audience, text="Le muséum se visite en famille")
    site = ChannelFactory(space=space, kind="site", name="Nos pages")
    site.audiences.set([audience])
    camille = VoiceFactory(
        space=space,
        user=UserFactory(display_name="Camille Le Goff", email="camille@example.org"),
        title="chargée des collections d’entomologie",
        expertise=[TagFactory(name="entomologie"), TagFactory(name="insectes")],
    )
    camille.channels.set([site])
    yann = VoiceFactory(
        space=space,
        user=UserFactory(display_name="Yann Morvan", email="yann@example.org"),
        title="médiateur",
        training_done_at=None,
        expertise=[TagFactory(name="médiation")],
    )
    yann.channels.set([site])
    ensure_first_version(space=space, by=admin)
    return Museum(
        space=space,
        admin=admin,
        editor=editor,
        reviewer=reviewer,
        camille=camille,
        yann=yann,
        audience=audience,
        message=message,
        site=site,
    )
