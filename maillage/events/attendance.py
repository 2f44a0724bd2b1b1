"""Who came to an event: counts by profession and institution, and the sentence that says it.

« 15 personnes : 6 bibliothécaires, 3 documentalistes, 2 archivistes, 1 étudiant·e »
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from maillage.events.models import Event, Registration, RegistrationStatus
from maillage.members.models import Profession


@dataclass(frozen=True)
class AttendanceSummary:
    count: int
    # {profession code: people}, most represented first ("" is a profession not given).
    professions: dict[str, int] = field(default_factory=dict)
    # {institution name: people}, most represented first (people without one are left out).
    institutions: dict[str, int] = field(default_factory=dict)


def _profession_order(code: str) -> int:
    values = list(Profession.values)
    return values.index(code) if code in values else len(values)


def _sorted_counts(counts: Mapping[str, int], tie_break: Callable[[str], object]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], tie_break(item[0]))))


def attendance_summary(event: Event) -> AttendanceSummary:
    """The people checked in at the door; when nobody was checked in, the confirmed list."""
    active = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    people = active.filter(checked_in_at__isnull=False)
    if not people.exists():
        people = active.filter(status=RegistrationStatus.CONFIRMED)
    professions = {
        row["profession"]: row["n"]
        for row in people.values("profession").annotate(n=Count("pk")).order_by()
    }
    institutions = {
        row["institution_name"]: row["n"]
        for row in people.filter(~Q(institution_name=""))
        .values("institution_name")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return AttendanceSummary(
        count=sum(professions.values()),
        professions=_sorted_counts(professions, _profession_order),
        institutions=_sorted_counts(institutions, str.casefold),
    )


def recorded_attendance(event: Event) -> AttendanceSummary | None:
    """The snapshot taken when the event was closed (its count may have been corrected by hand),
    shown with the event's report; None for an event not closed."""
    if event.attendees_count is None:
        return None
    return AttendanceSummary(
        count=event.attendees_count,
        professions=_sorted_counts(event.professions_present or {}, _profession_order),
        institutions=_sorted_counts(event.institutions_present or {}, str.casefold),
    )


# One plural form per profession (ngettext written out, so that makemessages finds each).
_PROFESSION_COUNT_TEXTS: dict[str, Callable[[int], str]] = {
    Profession.LIBRARIAN: lambda n: ngettext("%(count)d librarian", "%(count)d librarians", n),
    Profession.DOCUMENTALIST: lambda n: ngettext(
        "%(count)d documentalist", "%(count)d documentalists", n
    ),
    Profession.ARCHIVIST: lambda n: ngettext("%(count)d archivist", "%(count)d archivists", n),
    Profession.CULTURAL_MEDIATION: lambda n: ngettext(
        "%(count)d person in cultural mediation", "%(count)d people in cultural mediation", n
    ),
    Profession.COMMUNICATION_WEB: lambda n: ngettext(
        "%(count)d person in communication / web", "%(count)d people in communication / web", n
    ),
    Profession.TEACHER: lambda n: ngettext("%(count)d teacher", "%(count)d teachers", n),
    Profession.STUDENT: lambda n: ngettext("%(count)d student", "%(count)d students", n),
    Profession.OTHER: lambda n: ngettext(
        "%(count)d other profession", "%(count)d other professions", n
    ),
    "": lambda n: ngettext(
        "%(count)d person whose profession is not given",
        "%(count)d people whose profession is not given",
        n,
    ),
}


def profession_count_text(code: str, count: int) -> str:
    """« 6 bibliothécaires », « 1 étudiant·e »: the number with the profession's plural label."""
    text = _PROFESSION_COUNT_TEXTS.get(code)
    if text is None:  # a profession code this version does not know (an old snapshot)
        return f"{count} {code}"
    return text(count) % {"count": count}


def describe_attendance(summary: AttendanceSummary) -> str:
    """« 15 personnes : 6 bibliothécaires, 3 documentalistes, 1 étudiant·e »."""
    people = ngettext("%(count)d person", "%(count)d people", summary.count) % {
        "count": summary.count
    }
    parts = [profession_count_text(code, n) for code, n in summary.professions.items() if n]
    if not parts:
        return people
    # French puts a no-break space before the colon: the translation carries it.
    return gettext("%(people)s: %(professions)s") % {
        "people": people,
        "professions": ", ".join(parts),
    }
