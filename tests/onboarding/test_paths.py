"""The questionnaire and personal paths: drawing a path from the answers, a member's one path
drawn again, a visitor's path kept with its token, marking steps done (who may), sharing by an
unguessable link readable without an account, keeping a path in one's account; and where each
first step leads (the spreadsheet import, the licence chooser, the feeds, the next training)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.members.models import User
from maillage.onboarding import paths, selectors
from maillage.onboarding.destinations import Destinations
from maillage.onboarding.models import Path, PathStep, StepKind
from maillage.onboarding.views.common import SESSION_PATHS
from tests.factories import (
    EventFactory,
    FirstStepFactory,
    ObjectionFactory,
    PracticeFactory,
    StepFeedFactory,
    UserFactory,
)
from tests.onboarding.conftest import english_client, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, object]:
    """The seed's two triggers and a training, and two objections."""
    excel = FirstStepFactory(title="Importer votre veille Excel", kind=StepKind.SPREADSHEET_IMPORT)
    feeds = FirstStepFactory(title="Suivre ces trois flux", kind=StepKind.FOLLOW_FEEDS, url="")
    licence = FirstStepFactory(
        title="Choisir une licence", kind=StepKind.LICENCE_CHOOSER, url="", for_everyone=True
    )
    training = FirstStepFactory(
        title="S’inscrire à la prochaine formation",
        kind=StepKind.NEXT_TRAINING,
        url="",
        for_everyone=True,
    )
    return {
        "watch": PracticeFactory(label="Je tiens une veille dans un tableur", steps=[excel, feeds]),
        "photos": PracticeFactory(label="Je prends des photos", steps=[licence]),
        "afraid": ObjectionFactory(title="J’ai peur"),
        "no_time": ObjectionFactory(title="Je n’ai pas le temps"),
        "excel": excel,
        "feeds": feeds,
        "licence": licence,
        "training": training,
    }


def planned(path: Path) -> list[str]:
    return [str(step) for step in path.path_steps.order_by("position")]


# --- Drawing a path ----------------------------------------------------------------------------


def test_the_answers_draw_a_path(catalogue: dict) -> None:
    path = paths.take_questionnaire(
        owner=None, practices=[catalogue["watch"]], objections=[catalogue["afraid"]]
    )
    assert planned(path) == [
        "Importer votre veille Excel",
        "J’ai peur",
        "Suivre ces trois flux",
    ]
    assert list(path.practices.all()) == [catalogue["watch"]]
    assert list(path.objections.all()) == [catalogue["afraid"]]
    assert len(path.token) >= 32


def test_a_member_has_one_path_drawn_again_keeping_what_was_done(
    catalogue: dict, member: User
) -> None:
    first = paths.take_questionnaire(owner=member, practices=[catalogue["watch"]], objections=[])
    excel_step = first.path_steps.get(step=catalogue["excel"])
    paths.set_step_done(path_step=excel_step, done=True)
    again = paths.take_questionnaire(
        owner=member, practices=[catalogue["watch"], catalogue["photos"]], objections=[]
    )
    assert again.pk == first.pk and again.token == first.token
    assert Path.objects.count() == 1
    assert planned(again) == [
        "Importer votre veille Excel",
        "Choisir une licence",
        "Suivre ces trois flux",
    ]
    assert again.path_steps.get(step=catalogue["excel"]).is_done
    assert not again.path_steps.get(step=catalogue["licence"]).is_done


def test_visitors_take_the_questionnaire_and_find_their_path_again(
    client: Client, catalogue: dict
) -> None:
    url = reverse("onboarding:questionnaire")
    response = client.post(url, {"practices": [catalogue["photos"].pk]})
    path = Path.objects.get()
    assert response["Location"] == path.get_absolute_url()
    assert path.owner is None
    assert client.session[SESSION_PATHS] == [path.token]
    # Answering again in the same browser redraws the same path.
    client.post(url, {"practices": [catalogue["watch"].pk]})
    assert Path.objects.count() == 1
    assert client.get(reverse("onboarding:my_path"))["Location"] == path.get_absolute_url()
    # Another browser gets a path of its own.
    english_client().post(url, {"practices": [catalogue["watch"].pk]})
    assert Path.objects.count() == 2


def test_an_empty_questionnaire_is_refused(client: Client, catalogue: dict) -> None:
    response = client.post(reverse("onboarding:questionnaire"), {})
    assert response.status_code == 400
    assert "Tick at least one thing" in response.content.decode()
    assert not Path.objects.exists()


def test_held_objections_are_not_offered(client: Client, catalogue: dict) -> None:
    held = ObjectionFactory(title="Proposition en attente", state="held", published_at=None)
    page = client.get(reverse("onboarding:questionnaire")).content.decode()
    assert "J’ai peur" in page and "Proposition en attente" not in page
    response = client.post(reverse("onboarding:questionnaire"), {"objections": [held.pk]})
    assert response.status_code == 400
    assert not Path.objects.exists()


# --- Reading, sharing, marking ----------------------------------------------------------------


def test_a_shared_path_is_readable_without_an_account_but_not_markable(
    catalogue: dict, member: User
) -> None:
    path = paths.take_questionnaire(owner=member, practices=[catalogue["watch"]], objections=[])
    step = path.path_steps.first()
    assert step is not None
    colleague = english_client()
    page = colleague.get(path.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    assert "Importer votre veille Excel" in html
    assert "A colleague shared these first steps with you" in html
    assert member.display_name not in html and member.email not in html
    assert "It’s done" not in html
    mark = reverse("onboarding:path_step", args=[path.token, step.pk])
    assert colleague.post(mark, {"done": "1"}).status_code == 403
    assert english_client().get("/premiers-pas/parcours/pas-le-bon-jeton/").status_code == 404


def test_the_member_marks_steps_done_with_and_without_htmx(
    client: Client, catalogue: dict, member: User
) -> None:
    path = paths.take_questionnaire(owner=member, practices=[catalogue["watch"]], objections=[])
    first, second = list(path.path_steps.order_by("position"))[:2]
    logged_in(client, member)
    response = client.post(
        reverse("onboarding:path_step", args=[path.token, first.pk]), {"done": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#etape-{first.pk}")
    first.refresh_from_db()
    assert first.is_done
    swapped = client.post(
        reverse("onboarding:path_step", args=[path.token, second.pk]),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    html = swapped.content.decode()
    assert html.lstrip().startswith('<section id="path-steps"')
    assert "2 of 3 steps done" in html
    assert html.count("autofocus") == 1
    client.post(reverse("onboarding:path_step", args=[path.token, first.pk]), {"done": "0"})
    first.refresh_from_db()
    assert not first.is_done


def test_someone_else_s_step_cannot_be_marked_through_my_path(
    client: Client, catalogue: dict, member: User
) -> None:
    mine = paths.take_questionnaire(owner=member, practices=[catalogue["watch"]], objections=[])
    other = paths.take_questionnaire(owner=None, practices=[catalogue["watch"]], objections=[])
    foreign = other.path_steps.first()
    assert foreign is not None
    response = logged_in(client, member).post(
        reverse("onboarding:path_step", args=[mine.token, foreign.pk]), {"done": "1"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_done


def test_a_visitor_marks_steps_of_the_path_taken_in_this_browser(
    client: Client, catalogue: dict
) -> None:
    client.post(reverse("onboarding:questionnaire"), {"practices": [catalogue["watch"].pk]})
    path = Path.objects.get()
    step = path.path_steps.first()
    assert step is not None
    response = client.post(
        reverse("onboarding:path_step", args=[path.token, step.pk]), {"done": "1"}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.is_done


def test_a_member_keeps_the_path_taken_before_logging_in(
    client: Client, catalogue: dict, member: User
) -> None:
    old = paths.take_questionnaire(owner=member, practices=[catalogue["photos"]], objections=[])
    client.post(reverse("onboarding:questionnaire"), {"practices": [catalogue["watch"].pk]})
    anonymous = Path.objects.get(owner__isnull=True)
    logged_in(client, member)
    page = client.get(anonymous.get_absolute_url()).content.decode()
    assert "Keep this path in my account" in page
    response = client.post(reverse("onboarding:path_keep", args=[anonymous.token]))
    assert response.status_code == 302
    anonymous.refresh_from_db()
    assert anonymous.owner == member
    assert not Path.objects.filter(pk=old.pk).exists()
    # Someone else cannot take it.
    stranger = english_client()
    stranger.force_login(UserFactory())
    assert stranger.post(reverse("onboarding:path_keep", args=[anonymous.token])).status_code == 403


# --- Where first steps lead ------------------------------------------------------------------


def test_destinations(catalogue: dict, member: User) -> None:
    destinations = Destinations(member)
    assert destinations.url(catalogue["excel"]) == reverse("veille_imports:start")
    assert destinations.url(catalogue["licence"]) == reverse("onboarding:licence")
    assert destinations.url(catalogue["feeds"]) == catalogue["feeds"].get_absolute_url()
    assert destinations.url(catalogue["training"]) == reverse("events:list") + "?kind=training"
    link = FirstStepFactory(kind=StepKind.LINK, url="https://www.flickr.com/")
    assert destinations.url(link) == "https://www.flickr.com/"
    assert destinations.is_external(link)


def test_the_next_training_is_the_soonest_one_the_viewer_may_see(
    catalogue: dict, member: User
) -> None:
    soon = timezone.now() + timedelta(days=3)
    EventFactory(kind="training", status="draft", published_at=None, starts_at=soon)
    EventFactory(kind="training", visibility="members", starts_at=soon + timedelta(hours=1))
    public = EventFactory(kind="training", starts_at=soon + timedelta(days=2))
    EventFactory(kind="workshop", starts_at=soon - timedelta(days=1))
    EventFactory(kind="training", starts_at=timezone.now() - timedelta(days=2))
    assert selectors.next_training(None) == public
    members_one = selectors.next_training(member)
    assert members_one is not None and members_one.visibility == "members"
    assert Destinations(None).url(catalogue["training"]) == public.get_absolute_url()


def test_the_feeds_step_offers_to_follow_each_feed(client: Client, member: User) -> None:
    feed = StepFeedFactory(title="Doc@Rennes", url="https://docarennes.example.org/feed/")
    url = feed.step.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert "https://docarennes.example.org/feed/" in anonymous
    assert reverse("sources:subscribe") not in anonymous
    page = logged_in(english_client(), member).get(url).content.decode()
    assert f'action="{reverse("sources:subscribe")}"' in page
    assert 'name="url" value="https://docarennes.example.org/feed/"' in page


def test_a_path_step_links_straight_to_the_spreadsheet_import(
    client: Client, catalogue: dict
) -> None:
    client.post(reverse("onboarding:questionnaire"), {"practices": [catalogue["watch"].pk]})
    path = Path.objects.get()
    page = client.get(path.get_absolute_url()).content.decode()
    assert f'href="{reverse("veille_imports:start")}"' in page
    assert PathStep.objects.filter(path=path, step=catalogue["excel"]).exists()
