"""What the questionnaires say, counted for coordinators planning workshops and trainings.

Only counts leave this module: no member, no path, no date. A practice or an objection chosen
fewer than THRESHOLD times is not shown on its own (so that a rare answer cannot point to the
one colleague who gave it); such answers are added up into one line, itself shown only when it
reaches the threshold. Nothing at all is shown before THRESHOLD questionnaires were answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from maillage.onboarding.models import Objection, Path, Practice, ProposalState

THRESHOLD = 3


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    slug: str = ""


@dataclass(frozen=True)
class Tally:
    """Counts at or above the threshold, most chosen first; the rest as one sum (`others`),
    which is None when it is itself too small to show."""

    rows: list[Row] = field(default_factory=list)
    others: int | None = None
    has_small_counts: bool = False


@dataclass(frozen=True)
class Summary:
    questionnaires: int
    enough: bool
    practices: Tally
    objections: Tally


def _tally(counts: dict[int, int], labels: dict[int, tuple[str, str]], threshold: int) -> Tally:
    rows: list[Row] = []
    small = 0
    small_seen = False
    for key, count in counts.items():
        if key not in labels or count <= 0:
            continue
        if count >= threshold:
            label, slug = labels[key]
            rows.append(Row(label=label, count=count, slug=slug))
        else:
            small += count
            small_seen = True
    rows.sort(key=lambda row: (-row.count, row.label))
    return Tally(
        rows=rows, others=small if small >= threshold else None, has_small_counts=small_seen
    )


def practice_counts() -> dict[int, int]:
    """How many questionnaires chose each practice (practice id → count)."""
    rows = Path.practices.through.objects.values("practice_id").annotate(
        count=Count("path_id", distinct=True)
    )
    return {row["practice_id"]: row["count"] for row in rows}


def objection_counts() -> dict[int, int]:
    rows = Path.objections.through.objects.values("objection_id").annotate(
        count=Count("path_id", distinct=True)
    )
    return {row["objection_id"]: row["count"] for row in rows}


def summary(*, threshold: int = THRESHOLD) -> Summary:
    """The counts coordinators see (at most five queries, whatever the number of answers)."""
    questionnaires = Path.objects.count()
    if questionnaires < threshold:
        return Summary(questionnaires, False, Tally(), Tally())
    practices = {
        practice.pk: (practice.label, practice.slug)
        for practice in Practice.objects.only("pk", "label", "slug")
    }
    objections = {
        objection.pk: (objection.title, objection.slug)
        for objection in Objection.objects.filter(state=ProposalState.PUBLISHED).only(
            "pk", "title", "slug"
        )
    }
    return Summary(
        questionnaires=questionnaires,
        enough=True,
        practices=_tally(practice_counts(), practices, threshold),
        objections=_tally(objection_counts(), objections, threshold),
    )
