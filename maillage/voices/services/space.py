"""People in a space: opening it, invitations by email, roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maillage.members.models import Institution
from maillage.voices import permissions
from maillage.voices.models import Invitation, Membership, Role, Space, Voice
from maillage.voices.services import NotAllowed, VoicesError

if TYPE_CHECKING:
    from maillage.members.models import User

INVITATION_DAYS = 14


class InvitationInvalid(VoicesError):
    default_message = _("This invitation is no longer valid: ask for a new one.")


class LastAdministrator(VoicesError):
    default_message = _("A space keeps at least one administrator.")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def open_space(*, institution: Institution, admin: User) -> Space:
    """The institution's space, with `admin` as its first administrator (once)."""
    space, _created = Space.objects.get_or_create(institution=institution)
    Membership.objects.get_or_create(space=space, user=admin, defaults={"role": Role.ADMIN})
    from maillage.voices.services.strategy import ensure_first_version

    ensure_first_version(space=space, by=admin)
    return space


@transaction.atomic
def invite(
    *, space: Space, by: User, email: str, role: str, title: str = ""
) -> tuple[Invitation, str]:
    """An invitation and its token (sent by email after the commit; only its digest is kept)."""
    if not permissions.can_manage_space(space, by):
        raise NotAllowed()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        space=space,
        email=email.strip().lower(),
        role=Role(role),
        title=title.strip(),
        token_digest=token_digest(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    from maillage.voices.tasks import send_invitation

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_invitation(invitation.pk, token, language))
    return invitation, token


def send_invitation_email(*, invitation: Invitation, token: str) -> None:
    from django.urls import reverse

    from maillage.core.mail import send_templated_email

    context = {
        "invitation": invitation,
        "space": invitation.space,
        "link": settings.SITE_URL + reverse("voices:accept", kwargs={"token": token}),
        "SITE_NAME": settings.SITE_NAME,
    }
    send_templated_email(
        to=invitation.email,
        subject_template="voices/emails/invitation_subject.txt",
        body_template="voices/emails/invitation.txt",
        context=context,
    )


def open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("space__institution")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise InvitationInvalid()
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Membership:
    """Join the space in the invited role; a voice gets their page (charter and training to do)."""
    invitation = open_invitation(token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvitationInvalid()
    membership, created = Membership.objects.get_or_create(
        space=locked.space, user=user, defaults={"role": locked.role}
    )
    if not created and membership.role != locked.role and locked.role == Role.ADMIN:
        membership.role = locked.role
        membership.save(update_fields=["role"])
    if locked.role == Role.VOICE or locked.title:
        Voice.objects.get_or_create(
            space=locked.space,
            user=user,
            defaults={"title": locked.title or str(_("staff member"))},
        )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    if not permissions.can_manage_space(membership.space, by):
        raise NotAllowed()
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_administrator(membership)
    membership.role = Role(role)
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    if not permissions.can_manage_space(membership.space, by):
        raise NotAllowed()
    if membership.role == Role.ADMIN:
        _keep_an_administrator(membership)
    membership.delete()


def _keep_an_administrator(membership: Membership) -> None:
    others = Membership.objects.filter(space=membership.space, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise LastAdministrator()
