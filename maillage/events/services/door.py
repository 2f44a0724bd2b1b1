"""At the door: check-in, undoing it, people who did not register (walk-ins)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext

from maillage.core.db import write_transaction
from maillage.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from maillage.events.services.errors import InvalidRegistration, RegistrationError
from maillage.events.services.registration import (
    _active_registration,
    _free_check_in_code,
    _save_new_registration,
)
from maillage.events.services.shared import (
    _copy_fields,
    _current_language,
    _locked_event,
    _require_manager,
    _reread,
)
from maillage.members.models import Profession, User


def _require_door_open(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise RegistrationError(
            gettext("Check-in is only possible for a published event that is not closed.")
        )


def check_in(*, registration: Registration, by: User) -> Registration:
    """Tick the person present. Someone waiting or offered who is at the door gets in too."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        _require_manager(by, locked)
        _require_door_open(locked)
        current = _reread(registration)
        if current.status == RegistrationStatus.CANCELLED:
            raise RegistrationError(
                gettext("This registration was cancelled: add the person at the door instead.")
            )
        now = timezone.now()
        if current.status != RegistrationStatus.CONFIRMED:
            current.status = RegistrationStatus.CONFIRMED
            current.confirmed_at = now
        current.checked_in_at = current.checked_in_at or now
        current.save(update_fields=["status", "confirmed_at", "checked_in_at"])
    _copy_fields(registration, current, ["status", "confirmed_at", "checked_in_at"])
    return current


def undo_check_in(*, registration: Registration, by: User) -> Registration:
    """Untick a mistaken check-in; someone added at the door by mistake is removed."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        _require_manager(by, locked)
        _require_door_open(locked)
        current = _reread(registration)
        current.checked_in_at = None
        if current.walk_in and current.status != RegistrationStatus.CANCELLED:
            current.status = RegistrationStatus.CANCELLED
            current.cancelled_at = timezone.now()
        current.save(update_fields=["checked_in_at", "status", "cancelled_at"])
    _copy_fields(registration, current, ["checked_in_at", "status", "cancelled_at"])
    return current


def add_walk_in(
    *,
    event: Event,
    name: str,
    email: str = "",
    profession: str = "",
    institution_name: str = "",
    by: User,
) -> Registration:
    """Someone at the door who did not register: added and checked in at once.

    The door may take more people than the capacity. If the address already has a registration,
    that one is checked in instead of creating a second.
    """
    name = " ".join(name.split())
    email = email.strip().lower()
    if not name:
        raise InvalidRegistration(gettext("Please give the person's name."))
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise InvalidRegistration(gettext("Please give a valid email address.")) from error
    if profession and profession not in Profession.values:
        raise InvalidRegistration(gettext("Please choose a profession from the list."))
    with write_transaction():
        locked = _locked_event(event.pk)
        now = timezone.now()
        _require_manager(by, locked)
        _require_door_open(locked)
        existing = _active_registration(locked, email=email) if email else None
        if existing is not None:
            return check_in(registration=existing, by=by)
        member = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        registration = Registration(
            event=locked,
            user=member,
            name=name[:120],
            email=email,
            profession=profession,
            institution_name=institution_name.strip()[:200],
            language=_current_language(),
            status=RegistrationStatus.CONFIRMED,
            created_at=now,
            confirmed_at=now,
            checked_in_at=now,
            walk_in=True,
            check_in_code=_free_check_in_code(locked),
        )
        _save_new_registration(registration, {})
    return registration
