"""The demo museum's two months of questions: loaded twice the same, routed by the real routing
(most straight to the right voice), some passed on, figures that show something."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.inbox import figures
from maillage.inbox.demo import QUESTIONS, load_inbox
from maillage.inbox.models import Answer, Assignment, Question
from maillage.members.demo import load_members
from maillage.voices.demo import load_voices
from maillage.voices.models import Space

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Question.objects.count(), Assignment.objects.count(), Answer.objects.count()


def test_the_demo_loads_twice_the_same_and_its_figures_show_something(db: Any) -> None:
    load_members()
    load_voices()
    load_inbox()
    first = counts()
    assert load_inbox() is not None
    assert counts() == first
    assert first[0] == len(QUESTIONS) >= 30
    space = Space.objects.get(institution__slug="musee-vilaine")
    questions = Question.objects.filter(space=space)
    direct = questions.filter(routing__in=("direct", "addressed")).count()
    triage = questions.filter(routing="triage").count()
    assert direct > 2 * triage > 0
    assert questions.filter(hops__gt=0).count() >= 3
    assert questions.filter(published_at__isnull=False).count() >= 6
    assert questions.filter(state="new").exists() and questions.filter(state="spam").exists()
    # Yannick's week away: the herbarium question of 13 May waited for triage.
    away = questions.get(subject="Les bénévoles de l’herbier")
    assert away.routing == "triage" and away.assignee is not None
    result = figures.figures_for(space)
    groups = {group.routing: group for group in result.routing}
    assert groups["direct"].median is not None and groups["triage"].median is not None
    assert groups["direct"].median < groups["triage"].median
    assert result.in_time_share is not None and 60 < result.in_time_share < 100


def test_the_demo_pages_answer(client: Client, db: Any) -> None:
    load_members()
    load_voices()
    load_inbox()
    space = Space.objects.get(institution__slug="musee-vilaine")
    public = client.get(reverse("inbox:public", kwargs={"space": space.slug})).content.decode()
    assert "Un insecte vert dans mon jardin" in public
    assert "Le dernier loup de Bretagne" not in public  # not answered, not published
    admin = space.memberships.get(role="admin").user
    client.force_login(admin)
    for name in ("inbox", "figures", "review", "settings"):
        assert client.get(reverse(f"inbox:{name}", kwargs={"space": space.slug})).status_code == 200
