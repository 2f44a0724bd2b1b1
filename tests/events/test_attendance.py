"""Who came: counts by profession and institution, and the French sentence that says it."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from maillage.events import dates
from maillage.events.attendance import (
    AttendanceSummary,
    attendance_summary,
    describe_attendance,
    recorded_attendance,
)
from maillage.events.models import RegistrationStatus
from maillage.members.models import Profession
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

SEED_LIKE = AttendanceSummary(
    count=15,
    professions={
        "librarian": 6,
        "documentalist": 3,
        "cultural_mediation": 2,
        "communication_web": 2,
        "archivist": 1,
        "student": 1,
    },
    institutions={"BU des Lices": 3},
)


def test_summary_counts_the_people_checked_in_most_represented_first(event):
    now = timezone.now()
    rows = [
        (Profession.DOCUMENTALIST, "Lycée des Gayeulles"),
        (Profession.LIBRARIAN, "BU des Lices"),
        (Profession.LIBRARIAN, "BU des Lices"),
        (Profession.LIBRARIAN, "Médiathèque"),
        (Profession.STUDENT, ""),
        ("", ""),
    ]
    for profession, institution in rows:
        RegistrationFactory(
            event=event, profession=profession, institution_name=institution, checked_in_at=now
        )
    RegistrationFactory(event=event, profession=Profession.ARCHIVIST)  # did not come
    RegistrationFactory(
        event=event, status=RegistrationStatus.CANCELLED, checked_in_at=now
    )  # a walk-in undone
    summary = attendance_summary(event)
    assert summary.count == 6
    assert list(summary.professions.items()) == [
        ("librarian", 3),
        ("documentalist", 1),
        ("student", 1),
        ("", 1),
    ]
    assert list(summary.institutions.items()) == [
        ("BU des Lices", 2),
        ("Lycée des Gayeulles", 1),
        ("Médiathèque", 1),
    ]


def test_description_in_french_with_typography():
    with translation.override("fr"):
        text = describe_attendance(SEED_LIKE)
    assert text == (
        "15 personnes\u00a0: 6 bibliothécaires, 3 documentalistes, "
        "2 personnes en médiation culturelle, 2 personnes en communication / web, "
        "1 archiviste, 1 étudiant·e"
    )


def test_description_in_english():
    with translation.override("en"):
        text = describe_attendance(SEED_LIKE)
    assert text.startswith("15 people: 6 librarians, 3 documentalists, 2 people in cultural")
    assert text.endswith("1 archivist, 1 student")


def test_description_singular_and_empty():
    with translation.override("fr"):
        assert describe_attendance(AttendanceSummary(count=0)) == "0 personne"
        one = AttendanceSummary(count=1, professions={"teacher": 1})
        assert describe_attendance(one) == "1 personne\u00a0: 1 enseignant·e"
        unknown = AttendanceSummary(count=2, professions={"": 2})
        assert (
            describe_attendance(unknown)
            == "2 personnes\u00a0: 2 personnes sans profession indiquée"
        )


def test_recorded_attendance_uses_the_snapshot_taken_at_closing(event):
    assert recorded_attendance(event) is None  # not closed: nothing recorded
    event.attendees_count = 15
    event.professions_present = {"student": 1, "librarian": 6}
    event.institutions_present = {"BU des Lices": 2, "Archives": 2}
    summary = recorded_attendance(event)
    assert summary is not None
    assert summary.count == 15 and list(summary.professions) == ["librarian", "student"]
    assert list(summary.institutions) == ["Archives", "BU des Lices"]


def test_durations_and_times_read_the_french_way(event):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    with translation.override("fr"):
        assert dates.duration_text(timedelta(hours=1, minutes=45)) == "1\u00a0h\u00a045"
        assert dates.duration_text(timedelta(hours=2)) == "2\u00a0h"
        assert dates.duration_text(timedelta(minutes=45)) == "45\u00a0min"
        event.starts_at = datetime(2014, 3, 26, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
        event.ends_at = datetime(2014, 3, 26, 19, 45, tzinfo=ZoneInfo("Europe/Paris"))
        assert dates.when_text(event) == "mercredi 26 mars 2014, de 18\u00a0h à 19\u00a0h\u00a045"
    with translation.override("en"):
        assert dates.when_text(event) == "Wednesday 26 March 2014, from 18:00 to 19:45"
