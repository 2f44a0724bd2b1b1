"""Closing an event: a snapshot of who came, and its report published as an article attached to
the event (through the articles app's services); correcting who came later."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.core.db import write_transaction
from maillage.events.attendance import AttendanceSummary, attendance_summary
from maillage.events.models import Event, EventStatus
from maillage.events.services.errors import InvalidRegistration, InvalidTransition
from maillage.events.services.shared import _copy_fields, _locked_event, _require_manager
from maillage.members.models import User

if TYPE_CHECKING:
    from maillage.articles.models import Article

ATTENDANCE_FIELDS = ["attendees_count", "professions_present", "institutions_present"]


def default_report_title(event: Event) -> str:
    """« Compte-rendu : <the event's title> », the title a report is offered when closing."""
    return gettext("Report: %(event)s") % {"event": event.title}


def report_body(body: str, outcomes: str = "") -> str:
    """The report's text, with the outcomes and ideas as its last section."""
    body, outcomes = body.strip(), outcomes.strip()
    if not outcomes:
        return body
    return f"{body}\n\n## {gettext('Outcomes and ideas')}\n\n{outcomes}"


def _record(event: Event, summary: AttendanceSummary, attendees_count: int | None) -> None:
    event.attendees_count = summary.count if attendees_count is None else attendees_count
    event.professions_present = summary.professions
    event.institutions_present = summary.institutions


def close_event(
    *,
    event: Event,
    by: User,
    body: str,
    title: str = "",
    summary: str = "",
    outcomes: str = "",
    attendees_count: int | None = None,
    links: Sequence[tuple[str, str]] = (),
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> Article:
    """published → closed, once the event has started: a snapshot of who came, and the report,
    published at once as an article attached to the event (returned).

    The professions and institutions present are taken from the check-ins (from the confirmed
    list when nobody was checked in); `attendees_count` defaults to the same count. The outcomes
    become the report's last section; the links, its links to go further.
    """
    from maillage.articles import services as articles

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
        _record(locked, attendance_summary(locked), attendees_count)
        locked.status = EventStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at", *ATTENDANCE_FIELDS, "updated_at"])
        try:
            report = articles.publish_event_report(
                event=locked,
                by=by,
                title=title.strip() or default_report_title(locked),
                summary=summary,
                body=report_body(body, outcomes),
                links=links,
                attachments=attachments,
            )
        except articles.ArticleError as error:
            raise InvalidRegistration(str(error)) from error
    _copy_fields(event, locked, ["status", "closed_at", *ATTENDANCE_FIELDS, "updated_at"])
    return report


def correct_attendance(
    *, event: Event, by: User, attendees_count: int | None = None, recount: bool = False
) -> Event:
    """After closing: correct the number of people who came, and with `recount` take the
    professions and institutions present again from the check-ins (after late corrections)."""
    _require_manager(by, event)
    with write_transaction():
        locked = _locked_event(event.pk)
        if locked.status != EventStatus.CLOSED:
            raise InvalidTransition(_("Who came is recorded when the event is closed."))
        if recount:
            _record(locked, attendance_summary(locked), attendees_count)
        elif attendees_count is not None:
            locked.attendees_count = attendees_count
        locked.save(update_fields=[*ATTENDANCE_FIELDS, "updated_at"])
    _copy_fields(event, locked, [*ATTENDANCE_FIELDS, "updated_at"])
    return event
