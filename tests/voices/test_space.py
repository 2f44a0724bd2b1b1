"""Invitations by email, accepting them, roles."""

from __future__ import annotations

import re

import pytest

from maillage.voices.models import Membership, Voice
from maillage.voices.services import NotAllowed
from maillage.voices.services import space as services
from tests.factories import InstitutionFactory, UserFactory
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invitation_is_emailed_and_accepted(
    museum: Museum, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invite(
            space=museum.space,
            by=museum.admin,
            email="Lea@Example.org",
            role="voice",
            title="chargée des minéraux",
        )
    assert invitation.email == "lea@example.org"
    assert token not in invitation.token_digest
    [message] = smtp_server.messages
    body = message.text()
    assert message.envelope_to == ["lea@example.org"]
    link = re.search(r"https?://\S+/voix/invitation/(\S+)/", body)
    assert link is not None and link.group(1) == token

    lea = UserFactory(email="lea@example.org")
    membership = services.accept_invitation(token=token, user=lea)
    assert membership.role == "voice"
    voice = Voice.objects.get(space=museum.space, user=lea)
    assert voice.title == "chargée des minéraux"
    assert not voice.charter_accepted and not voice.trained
    with pytest.raises(services.InvitationInvalid):
        services.accept_invitation(token=token, user=lea)


def test_only_administrators_invite(museum: Museum) -> None:
    with pytest.raises(NotAllowed):
        services.invite(space=museum.space, by=museum.editor, email="x@example.org", role="voice")


def test_a_wrong_token_is_refused(museum: Museum) -> None:
    with pytest.raises(services.InvitationInvalid):
        services.accept_invitation(token="nope", user=museum.editor)


def test_a_space_keeps_an_administrator(museum: Museum) -> None:
    membership = Membership.objects.get(space=museum.space, user=museum.admin)
    with pytest.raises(services.LastAdministrator):
        services.change_role(membership=membership, role="voice", by=museum.admin)
    editor = Membership.objects.get(space=museum.space, user=museum.editor)
    services.change_role(membership=editor, role="admin", by=museum.admin)
    services.change_role(membership=membership, role="voice", by=museum.editor)


def test_opening_a_space_once(db) -> None:  # type: ignore[no-untyped-def]
    institution = InstitutionFactory()
    admin = UserFactory()
    first = services.open_space(institution=institution, admin=admin)
    again = services.open_space(institution=institution, admin=admin)
    assert first == again
    assert first.versions.count() == 1
