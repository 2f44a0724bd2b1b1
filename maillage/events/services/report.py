"""Closing an event: its report, with a snapshot of who came; editing the report later."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.core.db import write_transaction
from maillage.events.attendance import attendance_summary
from maillage.events.models import (
    Event,
    EventReport,
    EventStatus,
    ReportAttachment,
    ReportLink,
)
from maillage.events.services.errors import InvalidRegistration, InvalidTransition
from maillage.events.services.shared import _copy_fields, _locked_event, _require_manager
from maillage.members.models import User


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
