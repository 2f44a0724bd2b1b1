"""The pages of the first steps: their query counts do not grow with their rows, they speak
French by default, and the demo loads the seed's objections and triggers."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.members.models import User
from maillage.onboarding import paths
from maillage.onboarding.models import Answer, FirstStep, Objection, Path, Practice, StepKind
from tests.factories import (
    AnswerFactory,
    FirstStepFactory,
    HelpfulVoteFactory,
    ObjectionFactory,
    PracticeFactory,
    StepFeedFactory,
    ToolFactory,
)
from tests.onboarding.conftest import logged_in

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_objections(count: int) -> list[Objection]:
    made = []
    for _ in range(count):
        objection = ObjectionFactory()
        for answer in AnswerFactory.create_batch(2, objection=objection):
            HelpfulVoteFactory(answer=answer)
        AnswerFactory(objection=objection, kind="testimony", visibility="members")
        made.append(objection)
    return made


def make_practices(count: int) -> list[Practice]:
    made = []
    for _ in range(count):
        steps = [
            FirstStepFactory(kind=StepKind.NEXT_TRAINING, url=""),
            FirstStepFactory(kind=StepKind.SPREADSHEET_IMPORT),
        ]
        practice = PracticeFactory(steps=steps)
        practice.tools.set(ToolFactory.create_batch(2))
        made.append(practice)
    return made


def same_count_for_few_and_many(
    client: Client, url: Callable[[], str], grow: Callable[[], object], limit: int
) -> None:
    few = queries(client, url())
    grow()
    many = queries(client, url())
    assert few == many
    assert many <= limit


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_the_catalogue_costs_the_same_whatever_its_length(
    client: Client, who: str, member: User, coordinator: User
) -> None:
    if who != "anonymous":
        logged_in(client, member if who == "member" else coordinator)
    make_objections(2)
    same_count_for_few_and_many(
        client, lambda: reverse("onboarding:objections"), lambda: make_objections(12), 10
    )


def test_an_objection_page_costs_the_same_whatever_its_answers(
    client: Client, member: User
) -> None:
    objection = make_objections(1)[0]
    logged_in(client, member)

    def more() -> None:
        for answer in AnswerFactory.create_batch(10, objection=objection):
            HelpfulVoteFactory.create_batch(2, answer=answer)
        AnswerFactory.create_batch(4, objection=objection, kind="testimony")

    same_count_for_few_and_many(client, lambda: objection.get_absolute_url(), more, 16)


def test_the_practices_page_costs_the_same_whatever_its_length(client: Client) -> None:
    make_practices(2)
    same_count_for_few_and_many(
        client, lambda: reverse("onboarding:practices"), lambda: make_practices(10), 8
    )


def test_a_path_page_costs_the_same_whatever_its_steps(client: Client, member: User) -> None:
    practices = make_practices(1)
    feeds_step = FirstStepFactory(kind=StepKind.FOLLOW_FEEDS, url="")
    StepFeedFactory.create_batch(3, step=feeds_step)
    practices.append(PracticeFactory(steps=[feeds_step]))
    path = paths.take_questionnaire(owner=member, practices=practices[:1], objections=[])
    logged_in(client, member)

    def more() -> None:
        objections = make_objections(2)
        paths.take_questionnaire(
            owner=member, practices=[*practices, *make_practices(2)], objections=objections
        )

    same_count_for_few_and_many(client, lambda: path.get_absolute_url(), more, 12)
    assert Path.objects.get().path_steps.count() == 5


def test_the_questionnaire_costs_the_same_whatever_its_choices(client: Client) -> None:
    make_practices(2)
    make_objections(1)

    def more() -> None:
        make_practices(8)
        make_objections(6)

    same_count_for_few_and_many(client, lambda: reverse("onboarding:questionnaire"), more, 8)


def test_pages_speak_french_by_default() -> None:
    objection = ObjectionFactory(title="J’ai peur")
    AnswerFactory(objection=objection)
    french = Client()
    home = french.get(reverse("onboarding:home")).content.decode()
    assert "Premiers pas sur le web social" in home
    page = french.get(objection.get_absolute_url()).content.decode()
    assert "«\u00a0J’ai peur\u00a0»" in page
    assert "Ça m’a aidé" not in page  # only members vote
    assert "Connectez-vous pour dire que cela vous a aidé" in page
    questionnaire = french.get(reverse("onboarding:questionnaire")).content.decode()
    assert "Que faites-vous chaque semaine\u202f?" in questionnaire
    licence = french.get(reverse("onboarding:licence")).content.decode()
    assert "Choisir une licence Creative Commons pour vos photos" in licence


def test_every_page_has_its_own_title(client: Client, coordinator: User) -> None:
    objection = ObjectionFactory(title="J’ai peur")
    step = FirstStepFactory(title="Importer votre veille Excel")
    path = paths.take_questionnaire(
        owner=None, practices=[PracticeFactory(steps=[step])], objections=[]
    )
    logged_in(client, coordinator)
    urls = [
        reverse("onboarding:home"),
        reverse("onboarding:objections"),
        reverse("onboarding:propose"),
        objection.get_absolute_url(),
        reverse("onboarding:edit", args=[objection.slug]),
        reverse("onboarding:practices"),
        step.get_absolute_url(),
        reverse("onboarding:licence"),
        reverse("onboarding:questionnaire"),
        path.get_absolute_url(),
        reverse("onboarding:counts"),
    ]
    titles = set()
    for url in urls:
        html = client.get(url).content.decode()
        titles.add(html.split("<title>", 1)[1].split("</title>", 1)[0])
    assert len(titles) == len(urls)


def test_the_demo_loads_the_seed_s_objections_and_triggers_twice_the_same() -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = (
        Objection.objects.count(),
        Answer.objects.count(),
        Practice.objects.count(),
        FirstStep.objects.count(),
        Path.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert (
        Objection.objects.count(),
        Answer.objects.count(),
        Practice.objects.count(),
        FirstStep.objects.count(),
        Path.objects.count(),
    ) == counts
    titles = set(Objection.objects.values_list("title", flat=True))
    assert {"J’ai peur de me lancer", "Je n’ai pas le temps de m’y mettre"} <= titles
    assert "C’est un truc de geeks" in titles
    assert len(titles) >= 7
    assert Answer.objects.filter(kind="testimony").exists()
    watch = Practice.objects.get(slug="veille-dans-un-tableur")
    assert watch.step_links.first().step.kind == StepKind.SPREADSHEET_IMPORT  # type: ignore[union-attr]
    photos = Practice.objects.get(slug="je-prends-des-photos")
    assert photos.step_links.first().step.kind == StepKind.LICENCE_CHOOSER  # type: ignore[union-attr]
    assert Practice.objects.count() >= 6
    assert FirstStep.objects.get(kind=StepKind.FOLLOW_FEEDS).feeds.count() == 3
