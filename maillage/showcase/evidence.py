"""Actions on evidence: added by hand, read from an address in the background (the watch's
page reader: title, site, date, excerpt), accepted or refused when it came by Webmention."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.db import lock_for_update
from maillage.core.fetch import FetchError
from maillage.members.models import User
from maillage.showcase import selectors
from maillage.showcase.models import (
    Evidence,
    EvidenceKind,
    EvidenceOrigin,
    EvidenceStatus,
    Project,
    ReadingState,
)
from maillage.veille.reading import PageUnreadable, TryAgainLater, is_transient, read_page

logger = logging.getLogger(__name__)

EXCERPT_MAX_CHARS = 600


class EvidenceError(Exception):
    """A change that cannot be made; str(error) is shown to the person."""


@dataclass(frozen=True)
class EvidenceContent:
    kind: str
    date: date | None = None
    title: str = ""
    source_url: str = ""
    publication: str = ""
    author_name: str = ""
    quote: str = ""
    metric: str = ""
    value: Decimal | None = None
    unit: str = ""
    period: str = ""
    highlighted: bool = False


def _check(content: EvidenceContent) -> None:
    if content.kind == EvidenceKind.FIGURE and (
        not content.metric.strip() or content.value is None
    ):
        raise EvidenceError(_("A figure needs a metric and a value."))
    if content.kind != EvidenceKind.FIGURE and not (
        content.quote.strip() or content.title.strip() or content.source_url
    ):
        raise EvidenceError(_("Give at least a title, a quote or the source's address."))


def _require_team(by: User, project: Project) -> None:
    if not selectors.can_edit(by, project):
        raise EvidenceError(_("Only the project's team and the coordinators add evidence."))


def _fill(evidence: Evidence, content: EvidenceContent) -> None:
    for name in (
        "kind",
        "date",
        "title",
        "source_url",
        "publication",
        "author_name",
        "quote",
        "metric",
        "value",
        "unit",
        "period",
        "highlighted",
    ):
        setattr(evidence, name, getattr(content, name))
    if evidence.kind != EvidenceKind.FIGURE:
        evidence.metric, evidence.value, evidence.unit, evidence.period = "", None, "", ""


@transaction.atomic
def add_evidence(*, project: Project, by: User, content: EvidenceContent) -> Evidence:
    """The team adds what it knows: accepted at once."""
    _require_team(by, project)
    _check(content)
    evidence = Evidence(project=project, added_by=by, origin=EvidenceOrigin.MANUAL)
    _fill(evidence, content)
    evidence.save()
    return evidence


@transaction.atomic
def update_evidence(*, evidence: Evidence, by: User, content: EvidenceContent) -> Evidence:
    _require_team(by, evidence.project)
    _check(content)
    _fill(evidence, content)
    evidence.save()
    return evidence


@transaction.atomic
def add_evidence_from_address(
    *, project: Project, by: User, url: str, kind: str = EvidenceKind.PRESS
) -> Evidence:
    """Keep the address now; a task reads the page (title, site, date, excerpt) after commit."""
    _require_team(by, project)
    if urlsplit(url).scheme not in {"http", "https"}:
        raise EvidenceError(_("Give a web address (http or https)."))
    evidence = Evidence.objects.create(
        project=project,
        kind=kind,
        source_url=url,
        publication=urlsplit(url).hostname or "",
        added_by=by,
        origin=EvidenceOrigin.ADDRESS,
        reading_state=ReadingState.PENDING,
    )
    schedule_reading(evidence)
    return evidence


def schedule_reading(evidence: Evidence) -> None:
    from maillage.showcase import tasks

    evidence_id = evidence.pk
    transaction.on_commit(lambda: tasks.read_evidence_source(evidence_id))


def parsed_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def excerpt_of(description: str, text: str) -> str:
    """A few sentences of the page: its own description, else the start of its main text."""
    if description:
        return description[:EXCERPT_MAX_CHARS]
    words = " ".join(text.split())
    if len(words) <= EXCERPT_MAX_CHARS:
        return words
    cut = words[:EXCERPT_MAX_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"


def read_evidence_source(*, evidence_id: int, final_attempt: bool = True) -> str:
    """Read the page an evidence item points to and fill in what the team left blank.

    Idempotent: only an item waiting to be read is read. A network error that may pass is
    raised as TryAgainLater (the task retries) until the last attempt, which marks it failed.
    """
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.reading_state != ReadingState.PENDING:
        return "skipped"
    try:
        reading = read_page(evidence.source_url)
    except FetchError as error:
        if is_transient(error) and not final_attempt:
            raise TryAgainLater(str(error)) from error
        _mark_failed(evidence.pk, str(error))
        return "failed"
    except PageUnreadable as error:
        _mark_failed(evidence.pk, str(error))
        return "failed"
    with transaction.atomic():
        evidence = lock_for_update(Evidence.objects.filter(pk=evidence_id)).get()
        if evidence.reading_state != ReadingState.PENDING:
            return "skipped"
        evidence.title = evidence.title or reading.title[:300]
        evidence.publication = reading.site_name[:200] or evidence.publication
        evidence.date = evidence.date or parsed_date(reading.published)
        evidence.quote = evidence.quote or excerpt_of(reading.description, reading.text)
        evidence.reading_state = ReadingState.DONE
        evidence.reading_error = ""
        evidence.save()
    return "read"


def _mark_failed(evidence_id: int, message: str) -> None:
    Evidence.objects.filter(pk=evidence_id, reading_state=ReadingState.PENDING).update(
        reading_state=ReadingState.FAILED, reading_error=message[:500]
    )


@transaction.atomic
def read_again(*, evidence: Evidence, by: User) -> Evidence:
    _require_team(by, evidence.project)
    if not evidence.source_url:
        raise EvidenceError(_("This evidence has no address to read."))
    evidence.reading_state = ReadingState.PENDING
    evidence.reading_error = ""
    evidence.save(update_fields=["reading_state", "reading_error", "updated_at"])
    schedule_reading(evidence)
    return evidence


@transaction.atomic
def accept_evidence(*, evidence: Evidence, by: User) -> Evidence:
    _require_team(by, evidence.project)
    evidence.status = EvidenceStatus.ACCEPTED
    evidence.save(update_fields=["status", "updated_at"])
    return evidence


@transaction.atomic
def refuse_evidence(*, evidence: Evidence, by: User) -> Evidence:
    """Refused evidence stays (a Webmention sent again does not bring it back), unseen."""
    _require_team(by, evidence.project)
    evidence.status = EvidenceStatus.REJECTED
    evidence.save(update_fields=["status", "updated_at"])
    return evidence


@transaction.atomic
def delete_evidence(*, evidence: Evidence, by: User) -> None:
    _require_team(by, evidence.project)
    evidence.delete()
