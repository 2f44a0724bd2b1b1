"""Registering: members in one click, guests confirmed by email, answers, the windows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from maillage.core.db import write_transaction
from maillage.events.models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
    new_check_in_code,
)
from maillage.events.services.errors import (
    AlreadyRegistered,
    InvalidRegistration,
    RegistrationClosed,
    UnknownRegistration,
)
from maillage.events.services.shared import (
    _current_language,
    _local_date,
    _locked_event,
    _queue_email,
    _queue_filling_check,
    _reread,
    place_counts,
)
from maillage.members.models import Profession, User


def _check_open(event: Event, now: datetime, *, registered_at: datetime | None = None) -> None:
    """Raise RegistrationClosed unless the event takes registrations at `now`.

    `registered_at`: a guest confirming their address is judged by when they registered, so that
    the closing date does not fall between their form and their click.
    """
    if event.status != EventStatus.PUBLISHED:
        if event.status == EventStatus.CANCELLED:
            raise RegistrationClosed(gettext("This event has been cancelled."))
        raise RegistrationClosed()
    if now >= event.starts_at:
        raise RegistrationClosed(gettext("This event has already started."))
    at = registered_at or now
    if event.registration_opens_at and at < event.registration_opens_at:
        raise RegistrationClosed(
            gettext("Registration opens on %(date)s.")
            % {"date": _local_date(event.registration_opens_at, event)}
        )
    if event.registration_closes_at and at >= event.registration_closes_at:
        raise RegistrationClosed(
            gettext("Registration closed on %(date)s.")
            % {"date": _local_date(event.registration_closes_at, event)}
        )


def _validated_answers(event: Event, answers: Mapping[int, str] | None) -> dict[int, str]:
    answers = {int(key): str(value).strip() for key, value in (answers or {}).items()}
    questions = {question.pk: question for question in event.questions.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidRegistration(gettext("An answer does not match any question of this event."))
    for question in questions.values():
        value = answers.get(question.pk, "")
        if question.required and not value:
            raise InvalidRegistration(
                gettext("Please answer the question “%(question)s”.") % {"question": question.label}
            )
        if value and question.kind == QuestionKind.CHOICE and value not in question.choice_list:
            raise InvalidRegistration(
                gettext("Please pick one of the proposed answers to “%(question)s”.")
                % {"question": question.label}
            )
        if len(value) > 2000:
            raise InvalidRegistration(gettext("An answer is too long (2,000 characters at most)."))
    return {key: value for key, value in answers.items() if value}


def _active_registration(
    event: Event, *, email: str, user: User | None = None
) -> Registration | None:
    query = Q(email__iexact=email) if email else Q(pk__in=[])
    if user is not None:
        query |= Q(user=user)
    return (
        Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).filter(query).first()
    )


def _free_check_in_code(event: Event) -> str:
    # Called with the event locked: no other request can take the same code meanwhile.
    taken = set(event.registrations.values_list("check_in_code", flat=True))
    code = new_check_in_code()
    while code in taken:
        code = new_check_in_code()
    return code


def _next_waiting_since(event: Event, now: datetime) -> datetime:
    # Strictly after everyone already in line, even if two requests read the same clock tick.
    last = event.registrations.aggregate(last=Max("waiting_since"))["last"]
    if last is not None and last >= now:
        return last + timedelta(microseconds=1)
    return now


def _admit(event: Event, registration: Registration, now: datetime) -> None:
    """Give the registration a place if one is free and nobody waits before it; else the list."""
    held, waiting = place_counts(event)
    if event.capacity is None or (held < event.capacity and waiting == 0):
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITING
        registration.waiting_since = _next_waiting_since(event, now)


def _save_new_registration(registration: Registration, answers: Mapping[int, str]) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the model's constraint: one active registration per address
        raise AlreadyRegistered() from error
    RegistrationAnswer.objects.bulk_create(
        RegistrationAnswer(registration=registration, question_id=question_id, value=value)
        for question_id, value in answers.items()
    )


def _announce_admission(registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        _queue_email(registration, "confirmed")
        _queue_filling_check(registration.event)
    elif registration.status == RegistrationStatus.WAITING:
        _queue_email(registration, "waiting_list")


def register_member(
    *, event: Event, user: User, answers: dict[int, str] | None = None
) -> Registration:
    """One click: a place if one is left, else the waiting list. Raises RegistrationError."""
    if not user.is_active:
        raise RegistrationClosed(gettext("Your account is not active."))
    with write_transaction():
        locked = _locked_event(event.pk)
        # Taken once the lock is held: timestamps follow the order of the decisions.
        now = timezone.now()
        _check_open(locked, now)
        if _active_registration(locked, email=user.email, user=user) is not None:
            raise AlreadyRegistered(gettext("You are already registered for this event."))
        valid_answers = _validated_answers(locked, answers)
        registration = Registration(
            event=locked,
            user=user,
            name=user.display_name or user.email,
            email=user.email.strip().lower(),
            profession=user.profession,
            institution_name=user.institution.name if user.institution_id else "",  # type: ignore[union-attr]
            language=_current_language(),
            created_at=now,
            check_in_code=_free_check_in_code(locked),
        )
        _admit(locked, registration, now)
        _save_new_registration(registration, valid_answers)
        _announce_admission(registration)
    return registration


def register_guest(
    *,
    event: Event,
    name: str,
    email: str,
    profession: str,
    answers: dict[int, str] | None = None,
    language: str = "fr",
) -> Registration:
    """A guest's registration, pending until they open the link emailed to them (confirm_guest).

    A pending registration holds no place. Registering again with the same address raises
    AlreadyRegistered; if the first one is still pending, the link is sent again.
    """
    name = " ".join(name.split())
    email = email.strip().lower()
    if not name:
        raise InvalidRegistration(gettext("Please give your name."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidRegistration(gettext("Please give a valid email address.")) from error
    if profession and profession not in Profession.values:
        raise InvalidRegistration(gettext("Please choose a profession from the list."))
    if language not in dict(settings.LANGUAGES):
        language = str(settings.LANGUAGE_CODE)
    pending: Registration | None = None
    with write_transaction():
        locked = _locked_event(event.pk)
        now = timezone.now()
        _check_open(locked, now)
        existing = _active_registration(locked, email=email)
        if existing is None:
            registration = Registration(
                event=locked,
                name=name[:120],
                email=email,
                profession=profession,
                language=language,
                status=RegistrationStatus.PENDING,
                created_at=now,
                check_in_code=_free_check_in_code(locked),
            )
            _save_new_registration(registration, _validated_answers(locked, answers))
            _queue_email(registration, "guest_confirmation")
            return registration
        if existing.status == RegistrationStatus.PENDING:
            pending = existing
    if pending is not None:
        # Outside the atomic block that the exception leaves: the email must still go out.
        _queue_email(pending, "guest_confirmation")
        raise AlreadyRegistered(
            gettext(
                "This address is already registered and waits for its confirmation: "
                "we have sent the link again."
            )
        )
    raise AlreadyRegistered(gettext("This address is already registered for this event."))


def registration_for_token(token: str) -> Registration:
    """The registration behind an emailed link, or UnknownRegistration."""
    registration = (
        Registration.objects.select_related("event").filter(token=token).first() if token else None
    )
    if registration is None:
        raise UnknownRegistration()
    return registration


def confirm_guest(*, token: str) -> Registration:
    """The guest opened their link: a place if one is left, else the waiting list (idempotent)."""
    found = registration_for_token(token)
    with write_transaction():
        locked = _locked_event(found.event_id)
        now = timezone.now()
        registration = _reread(found)
        if registration.status == RegistrationStatus.CANCELLED:
            raise UnknownRegistration(gettext("This registration was cancelled."))
        if registration.status != RegistrationStatus.PENDING:
            return registration  # a second click on the same link
        _check_open(locked, now, registered_at=registration.created_at)
        registration.event = locked
        _admit(locked, registration, now)
        registration.save(update_fields=["status", "confirmed_at", "waiting_since"])
        _announce_admission(registration)
    return registration
