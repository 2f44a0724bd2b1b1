"""Actions on events: announce, register, waiting list and offers, check-in, closing report.

Every action that touches places runs in one transaction holding the event row's lock
(`_locked_event`), so that places are counted and taken by one request at a time: capacity is
never exceeded, whatever the concurrency. Emails leave through tasks, once the transaction commits.

The rules for freed places (see `offer_deadline`):
- a freed place goes to the first person waiting (by `waiting_since`, then id), by email;
- the offer runs for `event.offer_hours` (24 h by default), but never more than a quarter of the
  time left before the start, and never less than one hour;
- within two hours of the start there is no time to answer an offer: the next person waiting is
  confirmed at once (and told so by email, with a one-click cancel link);
- once the event has started, freed places go to no one (the door decides);
- an offer that is declined or expires cancels that registration (the person is told, and may
  register again at the end of the list); the place is offered to the next person at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.core.db import lock_for_update, write_transaction
from maillage.core.models import Tag
from maillage.events import dates
from maillage.events.attendance import attendance_summary
from maillage.events.ical import feed_token_for, regenerate_feed_token
from maillage.events.models import (
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    Event,
    EventReport,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
    ReportAttachment,
    ReportLink,
    new_check_in_code,
)
from maillage.members.models import Profession, User

logger = logging.getLogger(__name__)

__all__ = [
    "AlreadyRegistered",
    "InvalidRegistration",
    "InvalidTransition",
    "NotAllowed",
    "OfferExpired",
    "OfferNotAvailable",
    "RegistrationClosed",
    "RegistrationError",
    "UnknownRegistration",
    "accept_offer",
    "add_walk_in",
    "can_manage_event",
    "cancel_event",
    "cancel_registration",
    "check_in",
    "close_event",
    "confirm_guest",
    "decline_offer",
    "expire_offers",
    "feed_token_for",
    "offer_deadline",
    "places_left",
    "publish_event",
    "regenerate_feed_token",
    "register_guest",
    "register_member",
    "registration_for_token",
    "save_event",
    "undo_check_in",
    "update_report",
]

# Within this time before the start, a freed place is given at once rather than offered.
DIRECT_CONFIRMATION_WINDOW = timedelta(hours=2)
MINIMUM_OFFER = timedelta(hours=1)
# An offer never runs past this fraction of the time left before the start.
OFFER_SHARE_OF_REMAINING_TIME = 4
# Changing one of these on a published event sends an update (.ics REQUEST) to people confirmed.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "place_name", "place_address", "online_url")


# --- Errors: each carries a message a person can read -------------------------------------------


class RegistrationError(Exception):
    """An action on an event or a registration that cannot be done; str() says why."""

    default_message: str | Promise = _("This action is not possible.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class AlreadyRegistered(RegistrationError):
    default_message = _("This person is already registered for this event.")


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this event is closed.")


class InvalidRegistration(RegistrationError):
    default_message = _("Some information is missing or wrong.")


class UnknownRegistration(RegistrationError):
    default_message = _("This link is not valid: it may be incomplete, or the registration gone.")


class OfferNotAvailable(RegistrationError):
    default_message = _("This place is no longer offered to you.")


class OfferExpired(OfferNotAvailable):
    default_message = _(
        "Sorry, the time to accept this place has passed: it was offered to the next person."
    )


class InvalidTransition(RegistrationError):
    default_message = _("The event cannot go to that state from its current one.")


class NotAllowed(RegistrationError, PermissionDenied):
    default_message = _("Only the event's organisers and the coordinators can do this.")


# --- Shared helpers ------------------------------------------------------------------------------


def can_manage_event(user: User | None, event: Event) -> bool:
    """Organisers, facilitators, the event's creator and coordinators manage an event."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator or (event.created_by_id is not None and event.created_by_id == user.pk):
        return True
    if event.pk is None:
        return False
    return (
        event.organisers.filter(pk=user.pk).exists()
        or event.facilitators.filter(pk=user.pk).exists()
    )


def _require_manager(user: User, event: Event) -> None:
    if not can_manage_event(user, event):
        raise NotAllowed()


def _locked_event(event_id: int) -> Event:
    """The event, re-read with its row locked until the transaction ends (see module doc)."""
    return lock_for_update(Event.objects.filter(pk=event_id)).get()


def _reread(registration: Registration) -> Registration:
    return Registration.objects.select_related("event").get(pk=registration.pk)


def _copy_fields(target: object, source: object, names: Iterable[str]) -> None:
    """Keep the caller's instance in step with the row the service saved."""
    for name in names:
        setattr(target, name, getattr(source, name))


def _current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def _local_date(moment: datetime, event: Event) -> str:
    return dates.moment_text(moment, event.time_zone)


def _queue_email(registration: Registration, kind: str, **extra: object) -> None:
    """Send one of notifications.REGISTRATION_EMAILS once the transaction commits."""
    if not registration.email:
        return
    from maillage.events import tasks

    registration_id = registration.pk
    transaction.on_commit(lambda: tasks.send_registration_email(registration_id, kind, **extra))


def _queue_filling_check(event: Event) -> None:
    if event.capacity:
        from maillage.events import tasks

        event_id = event.pk
        transaction.on_commit(lambda: tasks.check_event_filling(event_id))


def place_counts(event: Event) -> tuple[int, int]:
    """(places held, people waiting): an offered place is held until its offer ends."""
    counts = Registration.objects.filter(event=event).aggregate(
        held=Count("pk", filter=Q(status__in=PLACE_HOLDING_STATUSES)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return counts["held"], counts["waiting"]


def places_left(event: Event) -> int | None:
    """Places still free (None: no limit). Walk-ins may push the count of people past capacity."""
    if event.capacity is None:
        return None
    held, _waiting = place_counts(event)
    return max(event.capacity - held, 0)


# --- Announcing: save, publish, cancel -----------------------------------------------------------


def _validate_event(event: Event) -> None:
    try:
        ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(zone)s”.") % {"zone": event.time_zone}}
        ) from error
    # The slug is made on save from the title; the counters are the services' business.
    event.full_clean(exclude=["slug", "ical_uid", "ical_sequence"])


def save_event(*, event: Event, by: User, tag_names: str | None = None) -> Event:
    """Create or change an event (its status changes only through the named transitions).

    A new event needs a coordinator (as the issue says: coordinators create events); an existing
    one, someone who manages it. When a published event's date, time, place or link changes, its
    iCalendar SEQUENCE grows and every confirmed person receives the update (METHOD:REQUEST).
    Raising the capacity offers the new places to the people waiting.
    """
    is_new = event.pk is None
    if is_new:
        if not by.is_coordinator:
            raise NotAllowed(_("Only coordinators can create events."))
        if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise InvalidTransition()
        if event.created_by_id is None:
            event.created_by = by
    else:
        _require_manager(by, event)
    _validate_event(event)
    with write_transaction():
        now = timezone.now()
        schedule_changed = capacity_grew = False
        if is_new:
            if event.status == EventStatus.PUBLISHED and event.published_at is None:
                event.published_at = now
        else:
            before = _locked_event(event.pk)
            if event.status != before.status:
                raise InvalidTransition(
                    _("Publish, cancel or close the event with the matching action.")
                )
            published = before.status == EventStatus.PUBLISHED
            schedule_changed = published and any(
                getattr(before, name) != getattr(event, name) for name in SCHEDULE_FIELDS
            )
            capacity_grew = published and (
                (before.capacity is not None and event.capacity is None)
                or (
                    before.capacity is not None
                    and event.capacity is not None
                    and event.capacity > before.capacity
                )
            )
            event.ical_sequence = before.ical_sequence + (1 if schedule_changed else 0)
        event.save()
        if is_new and not event.organisers.exists():
            event.organisers.add(by)
        if tag_names is not None:
            event.tags.set(Tag.objects.for_names(tag_names))
        if schedule_changed:
            sequence = event.ical_sequence
            for registration in event.registrations.filter(status=RegistrationStatus.CONFIRMED):
                _queue_email(registration, "event_updated", sequence=sequence)
        if capacity_grew:
            _fill_free_places(event, now)
            _queue_filling_check(event)
    return event


def publish_event(*, event: Event, by: User) -> Event:
    """draft → published: the event is announced and open to registration (within its dates)."""
    _require_manager(by, event)
    with write_transaction():
        locked = _locked_event(event.pk)
        if locked.status != EventStatus.DRAFT:
            raise InvalidTransition(_("Only a draft can be published."))
        locked.status = EventStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
    _copy_fields(event, locked, ["status", "published_at", "updated_at"])
    return event


def cancel_event(*, event: Event, by: User, message: str = "") -> Event:
    """published → cancelled: everyone still registered gets the news and a METHOD:CANCEL .ics.

    Registrations keep their status (they tell who had signed up); the event refuses new ones.
    """
    _require_manager(by, event)
    with write_transaction():
        locked = _locked_event(event.pk)
        if locked.status != EventStatus.PUBLISHED:
            raise InvalidTransition(_("Only a published event can be cancelled."))
        locked.status = EventStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.ical_sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "ical_sequence", "updated_at"])
        for registration in locked.registrations.filter(status__in=ACTIVE_STATUSES):
            _queue_email(registration, "event_cancelled", message=message.strip())
    _copy_fields(event, locked, ["status", "cancelled_at", "ical_sequence", "updated_at"])
    return event


# --- Registering ---------------------------------------------------------------------------------


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


# --- Cancelling, and the waiting list ------------------------------------------------------------


def offer_deadline(event: Event, now: datetime) -> datetime | None:
    """When an offer made at `now` ends; None when the event is too close for an offer."""
    remaining = event.starts_at - now
    if remaining <= DIRECT_CONFIRMATION_WINDOW:
        return None
    window = min(timedelta(hours=event.offer_hours), remaining / OFFER_SHARE_OF_REMAINING_TIME)
    return now + max(window, MINIMUM_OFFER)


def _fill_free_places(event: Event, now: datetime) -> list[Registration]:
    """Hand free places to the people waiting, in order (the event must be locked)."""
    if event.status != EventStatus.PUBLISHED or now >= event.starts_at:
        return []
    promoted: list[Registration] = []
    while True:
        if event.capacity is not None:
            held, _waiting = place_counts(event)
            if held >= event.capacity:
                break
        registration = (
            event.registrations.filter(status=RegistrationStatus.WAITING)
            .order_by("waiting_since", "pk")
            .first()
        )
        if registration is None:
            break
        deadline = offer_deadline(event, now)
        if deadline is None:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _queue_email(registration, "confirmed", promoted=True)
        else:
            registration.status = RegistrationStatus.OFFERED
            registration.offered_at = now
            registration.offer_expires_at = deadline
            registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
            _queue_email(registration, "offer")
        promoted.append(registration)
    return promoted


def cancel_registration(*, registration: Registration) -> Registration:
    """One click: the registration ends and its place (if it held one) goes to the next in line.

    Cancelling twice is harmless. An event that is over (ended or closed) keeps its records.
    """
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread(registration)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if locked.status == EventStatus.CLOSED or now >= locked.ends_at:
            raise RegistrationClosed(gettext("This event is over: its registrations are kept."))
        held_a_place = current.status in PLACE_HOLDING_STATUSES
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        if locked.status == EventStatus.PUBLISHED:
            _queue_email(current, "registration_cancelled", had_place=held_a_place)
        if held_a_place:
            _fill_free_places(locked, now)
    _copy_fields(registration, current, ["status", "cancelled_at"])
    return current


def _expire_offers_of_event(event_id: int, now: datetime) -> int:
    with write_transaction():
        locked = _locked_event(event_id)
        expired = list(
            locked.registrations.filter(
                status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            ).order_by("offer_expires_at", "pk")
        )
        for registration in expired:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            _queue_email(registration, "offer_expired")
        if expired:
            _fill_free_places(locked, now)
    return len(expired)


def expire_offers(*, now: datetime | None = None) -> int:
    """End the offers past their deadline (each passes to the next person); how many ended."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(_expire_offers_of_event(event_id, now) for event_id in list(event_ids))


def accept_offer(*, registration: Registration) -> Registration:
    """One click: the offered place becomes the person's (a second click changes nothing)."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread(registration)
        if current.status == RegistrationStatus.CONFIRMED:
            return current
        if current.status != RegistrationStatus.OFFERED:
            raise OfferNotAvailable()
        expired = current.offer_expires_at is not None and current.offer_expires_at <= now
        if not expired:
            current.status = RegistrationStatus.CONFIRMED
            current.confirmed_at = now
            current.save(update_fields=["status", "confirmed_at"])
            current.event = locked
            _queue_email(current, "confirmed")
            _queue_filling_check(locked)
    if expired:
        # The periodic task may not have passed by yet: pass the place on now.
        _expire_offers_of_event(registration.event_id, now)
        raise OfferExpired()
    _copy_fields(registration, current, ["status", "confirmed_at"])
    return current


def decline_offer(*, registration: Registration) -> Registration:
    """One click: the person does not take the place; it goes to the next person waiting."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread(registration)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if current.status != RegistrationStatus.OFFERED:
            raise OfferNotAvailable()
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        _fill_free_places(locked, now)
    _copy_fields(registration, current, ["status", "cancelled_at"])
    return current


# --- At the door ---------------------------------------------------------------------------------


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


# --- Closing: the report -------------------------------------------------------------------------


def _save_links(report: EventReport, links: Sequence[tuple[str, str]]) -> None:
    report.links.all().delete()
    ReportLink.objects.bulk_create(
        ReportLink(report=report, title=title.strip()[:200] or url, url=url.strip(), position=index)
        for index, (title, url) in enumerate(links)
        if url.strip()
    )


def _add_attachments(report: EventReport, attachments: Sequence[tuple[str, UploadedFile]]) -> None:
    for title, upload in attachments:
        ReportAttachment.objects.create(
            report=report, title=(title.strip() or upload.name or "")[:200], file=upload
        )


def close_event(
    *,
    event: Event,
    by: User,
    body: str,
    outcomes: str = "",
    attendees_count: int | None = None,
    links: Sequence[tuple[str, str]] = (),
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> EventReport:
    """published → closed, once the event has started: the report and a snapshot of who came.

    The professions and institutions present are taken from the check-ins (from the confirmed
    list when nobody was checked in); `attendees_count` defaults to the same count.
    """
    _require_manager(by, event)
    if not body.strip():
        raise InvalidRegistration(gettext("The report needs a text."))
    with write_transaction():
        locked = _locked_event(event.pk)
        now = timezone.now()
        if locked.status != EventStatus.PUBLISHED:
            raise InvalidTransition(_("Only a published event can be closed."))
        if now < locked.starts_at:
            raise InvalidTransition(_("An event can be closed once it has started."))
        summary = attendance_summary(locked)
        report = EventReport.objects.create(
            event=locked,
            body=body.strip(),
            outcomes=outcomes.strip(),
            attendees_count=summary.count if attendees_count is None else attendees_count,
            professions=summary.professions,
            institutions=summary.institutions,
            author=by,
            published_at=now,
        )
        _save_links(report, links)
        _add_attachments(report, attachments)
        locked.status = EventStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
    _copy_fields(event, locked, ["status", "updated_at"])
    return report


def update_report(
    *,
    report: EventReport,
    by: User,
    body: str | None = None,
    outcomes: str | None = None,
    attendees_count: int | None = None,
    links: Sequence[tuple[str, str]] | None = None,
    attachments: Sequence[tuple[str, UploadedFile]] = (),
    remove_attachment_ids: Iterable[int] = (),
    refresh_attendance: bool = False,
) -> EventReport:
    """Edit a closed event's report: what is None stays; `links`, when given, replaces them all.

    `refresh_attendance` takes the snapshot of professions and institutions again (after late
    check-in corrections, say).
    """
    _require_manager(by, report.event)
    with write_transaction():
        report = EventReport.objects.select_for_update().select_related("event").get(pk=report.pk)
        if body is not None:
            if not body.strip():
                raise InvalidRegistration(gettext("The report needs a text."))
            report.body = body.strip()
        if outcomes is not None:
            report.outcomes = outcomes.strip()
        if attendees_count is not None:
            report.attendees_count = attendees_count
        if refresh_attendance:
            summary = attendance_summary(report.event)
            report.professions = summary.professions
            report.institutions = summary.institutions
        report.save()
        if links is not None:
            _save_links(report, links)
        removed = report.attachments.filter(pk__in=list(remove_attachment_ids))
        for attachment in removed:
            attachment.file.delete(save=False)
        removed.delete()
        _add_attachments(report, attachments)
    return report
