"""The coordinators' counts: only totals per practice and objection, nothing below the threshold
on its own, nothing at all before enough questionnaires, no member named anywhere; for
coordinators only, with the way to plan a workshop."""

from __future__ import annotations

import re
from dataclasses import asdict
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from maillage.members.models import User
from maillage.onboarding import aggregates, paths
from maillage.onboarding.aggregates import Row, Tally
from tests.factories import ObjectionFactory, PracticeFactory, UserFactory
from tests.onboarding.conftest import logged_in

pytestmark = pytest.mark.django_db


def answer(times: int, *, practices: list, objections: list, members: bool = True) -> list[User]:
    people = []
    for _ in range(times):
        owner = UserFactory(display_name="Personne Secrète") if members else None
        paths.take_questionnaire(owner=owner, practices=practices, objections=objections)
        if owner is not None:
            people.append(owner)
    return people


def test_nothing_is_shown_before_enough_questionnaires() -> None:
    watch = PracticeFactory(label="Je tiens une veille dans un tableur")
    answer(2, practices=[watch], objections=[])
    summary = aggregates.summary()
    assert summary.questionnaires == 2
    assert not summary.enough
    assert summary.practices == Tally() and summary.objections == Tally()


def test_counts_at_the_threshold_are_shown_smaller_ones_only_summed() -> None:
    watch = PracticeFactory(label="Je tiens une veille dans un tableur")
    photos = PracticeFactory(label="Je prends des photos")
    club = PracticeFactory(label="J’anime un club de lecture")
    archives = PracticeFactory(label="Je numérise des archives")
    afraid = ObjectionFactory(title="J’ai peur")
    rare = ObjectionFactory(title="Un frein rare")
    answer(4, practices=[watch, photos], objections=[afraid])
    answer(1, practices=[watch, club], objections=[rare])
    answer(1, practices=[photos, archives], objections=[], members=False)
    summary = aggregates.summary()
    assert summary.questionnaires == 6 and summary.enough
    assert summary.practices == Tally(
        rows=[
            Row("Je prends des photos", 5, photos.slug),
            Row("Je tiens une veille dans un tableur", 5, watch.slug),
        ],
        others=None,  # 1 + 1 = 2: too few to show even summed
        has_small_counts=True,
    )
    assert summary.objections == Tally(
        rows=[Row("J’ai peur", 4, afraid.slug)], others=None, has_small_counts=True
    )
    # Two more for the reading club: it reaches 3 and is shown; archives (1) stays hidden.
    answer(2, practices=[club], objections=[])
    practices = aggregates.summary().practices
    assert Row("J’anime un club de lecture", 3, club.slug) in practices.rows
    assert "Je numérise des archives" not in {row.label for row in practices.rows}
    assert practices.others is None
    # Three practices chosen once each add up to a sum that may be shown.
    singles = [PracticeFactory(label=f"Pratique isolée {n}") for n in range(3)]
    for single in singles:
        answer(1, practices=[single], objections=[], members=False)
    assert aggregates.summary().practices.others == 4


def test_the_summary_holds_no_personal_data() -> None:
    watch = PracticeFactory(label="Je tiens une veille dans un tableur")
    people = answer(3, practices=[watch], objections=[ObjectionFactory()])
    summary = aggregates.summary()
    flat = repr(asdict(summary))
    for person in people:
        assert person.email not in flat
    assert "Personne Secrète" not in flat
    # Only labels, slugs and counts: no id, no date, no token of anyone's path.
    for tally in (summary.practices, summary.objections):
        for row in tally.rows:
            assert set(asdict(row)) == {"label", "count", "slug"}
    assert not any(path.token in flat for path in paths.Path.objects.all())


def test_the_page_is_for_coordinators_and_names_nobody(
    client: Client, coordinator: User, member: User
) -> None:
    watch = PracticeFactory(label="Je tiens une veille dans un tableur")
    rare = PracticeFactory(label="Une pratique très rare")
    people = answer(3, practices=[watch], objections=[])
    answer(1, practices=[rare], objections=[])
    url = reverse("onboarding:counts")
    assert client.get(url).status_code == 302
    assert logged_in(client, member).get(url).status_code == 403
    page = logged_in(client, coordinator).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Je tiens une veille dans un tableur" in html
    assert "Une pratique très rare" not in html
    assert "fewer than 3" in html
    for person in people:
        assert person.email not in html
    assert "Personne Secrète" not in html
    assert f'href="{reverse("events:create")}"' in html


def test_a_line_s_link_creates_the_event_with_its_name(client: Client, coordinator: User) -> None:
    watch = PracticeFactory(label="Je tiens une veille dans un tableur")
    fear = ObjectionFactory(title="J’ai peur & je n’ose pas")
    answer(3, practices=[watch], objections=[fear])
    html = logged_in(client, coordinator).get(reverse("onboarding:counts")).content.decode()
    links = re.findall(r'<a href="(/ateliers/nouveau/\?[^"]+)">', html)
    assert len(links) == 2
    titles = {}
    for link in links:
        form = client.get(unescape(link)).context["form"]
        titles[form["kind"].value()] = form["title"].value()
    assert titles == {
        "training": "Je tiens une veille dans un tableur",
        "workshop": "J’ai peur & je n’ose pas",
    }
