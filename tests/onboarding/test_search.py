"""Objections in the site's search: published ones, found by their words and by their published
answers' words; never a held proposal, a hidden objection or a held answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from maillage.core import search
from maillage.core.review import Decision, ReviewAction
from maillage.members.models import User
from maillage.onboarding import services
from maillage.onboarding.models import Objection
from tests.factories import ObjectionFactory

pytestmark = pytest.mark.django_db

HOLD = Decision(action=ReviewAction.HOLD, reasons=("first_contributions",))
PUBLISH = Decision(action=ReviewAction.PUBLISH, reasons=("trusted_author",))


def found(text: str, viewer: Any = None) -> list[str]:
    return [hit.url for hit in search.search(viewer=viewer, text=text).hits]


@pytest.fixture
def no_time(member: User) -> Objection:
    """A published objection, with a published answer that speaks of fear."""
    objection = services.propose_objection(
        by=member, title="Je n’ai pas le temps", decision=PUBLISH
    )
    services.answer_objection(
        objection=objection,
        by=member,
        body="Derrière le manque de temps, il y a souvent la **peur** de mal faire.",
        decision=PUBLISH,
    )
    return objection


def test_an_objection_is_found_by_its_words_and_its_answers(no_time: Objection) -> None:
    url = no_time.get_absolute_url()
    assert found("pas le temps") == [url]
    # "peur" is only in the answer.
    assert found("peur") == [url]
    hit = search.search(viewer=None, text="peur").hits[0]
    assert hit.kind == "objection"
    assert "<mark>peur</mark>" in hit.excerpt


def test_a_held_proposal_is_never_found_until_published(newcomer: User, coordinator: User) -> None:
    held = services.propose_objection(by=newcomer, title="J’ai peur des trolls", decision=HOLD)
    assert found("peur trolls") == []
    assert found("peur trolls", newcomer) == []
    assert found("peur trolls", coordinator) == []
    services.publish_objection(held)
    assert found("peur trolls") == [held.get_absolute_url()]


def test_held_answers_are_not_found_published_ones_are(member: User, newcomer: User) -> None:
    objection = services.propose_objection(
        by=member, title="Ma direction dit non", decision=PUBLISH
    )
    answer = services.answer_objection(
        objection=objection, by=newcomer, body="Montrez-lui les chiffres du musée.", decision=HOLD
    )
    assert found("chiffres musée") == []
    services.publish_answer(answer)
    assert found("chiffres musée") == [objection.get_absolute_url()]
    services.mark_answer_as_spam(answer)
    assert found("chiffres musée") == []


def test_members_only_answers_are_found_by_members_alone(member: User) -> None:
    objection = services.propose_objection(
        by=member, title="Ma direction dit non", decision=PUBLISH
    )
    services.answer_objection(
        objection=objection,
        by=member,
        body="Notre directrice a cédé devant le comité.",
        visibility="members",
        decision=PUBLISH,
    )
    url = objection.get_absolute_url()
    assert found("directrice comité") == []
    assert found("directrice comité", member) == [url]
    # The objection itself is for everyone, once for each.
    assert found("direction") == [url]
    assert found("direction", member) == [url]


def test_a_hidden_objection_leaves_the_results(no_time: Objection, coordinator: User) -> None:
    services.set_objection_flags(objection=no_time, by=coordinator, hidden=True)
    assert found("pas le temps") == []
    assert found("pas le temps", coordinator) == []


def test_a_full_reindex_agrees(no_time: Objection) -> None:
    ObjectionFactory(title="Ce n’est pas pour nous", state="held", published_at=None)
    search.rebuild()
    assert found("peur") == [no_time.get_absolute_url()]
    assert found("pour nous") == []


def test_the_search_page_filters_objections_and_names_them_in_french(no_time: Objection) -> None:
    client = Client(headers={"Accept-Language": "fr"})
    html = client.get("/recherche/", {"q": "peur"}).content.decode()
    assert no_time.get_absolute_url() in html
    assert "?q=peur&amp;kind=objection" in html
    assert ">Frein<" in html
    assert '<option value="objection">Freins</option>' in html
    only = client.get("/recherche/", {"q": "peur", "kind": "objection"}).content.decode()
    assert no_time.get_absolute_url() in only
    assert (
        client.get("/recherche/", {"q": "peur", "kind": "article"})
        .content.decode()
        .count(no_time.get_absolute_url())
        == 0
    )
