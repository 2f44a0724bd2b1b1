"""The objections catalogue: proposals through the review policy, who sees held and hidden ones,
answers and testimonies, "it helped me" votes (one per member, toggled, with and without htmx),
the best answers rising, and the coordinators' curation."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from maillage.core.review import Decision, ReviewAction, ReviewRecord
from maillage.core.review import approve as approve_record
from maillage.core.review import reject as reject_record
from maillage.members.models import User
from maillage.onboarding import selectors, services
from maillage.onboarding.models import Answer, HelpfulVote, Objection, ProposalState
from tests.factories import (
    AnswerFactory,
    ArticleFactory,
    EventFactory,
    HelpfulVoteFactory,
    ObjectionFactory,
    ProjectFactory,
    UserFactory,
)
from tests.onboarding.conftest import english_client, logged_in

pytestmark = pytest.mark.django_db

HOLD = Decision(action=ReviewAction.HOLD, reasons=("first_contributions",))
PUBLISH = Decision(action=ReviewAction.PUBLISH, reasons=("trusted_author",))


# --- Proposing ---------------------------------------------------------------------------------


def test_a_trusted_member_proposes_an_objection_published_at_once(member: User) -> None:
    objection = services.propose_objection(
        by=member, title="  Je  n’ai pas le temps ! ", explanation="Trop de choses."
    )
    assert objection.state == ProposalState.PUBLISHED
    assert objection.published_at is not None
    assert objection.title == "Je n’ai pas le temps\u202f!"
    record = ReviewRecord.objects.for_content(objection).get()
    assert record.kind == "objection"
    assert record.author == member


def test_a_newcomer_s_objection_is_held_and_seen_by_them_and_coordinators_only(
    client: Client, newcomer: User, member: User, coordinator: User
) -> None:
    objection = services.propose_objection(by=newcomer, title="C’est pour les geeks")
    assert objection.state == ProposalState.HELD
    url = objection.get_absolute_url()

    assert english_client().get(url).status_code == 404
    assert logged_in(english_client(), member).get(url).status_code == 404
    own = logged_in(english_client(), newcomer).get(url)
    assert own.status_code == 200 and "Waiting for a coordinator" in own.content.decode()
    assert logged_in(english_client(), coordinator).get(url).status_code == 200

    # Not in the catalogue nor in the questionnaire; in the author's own proposals.
    assert objection not in selectors.listed_objections(member)
    assert objection not in selectors.questionnaire_objections()
    listing = logged_in(english_client(), newcomer).get(reverse("onboarding:objections"))
    assert list(listing.context["proposals"]) == [objection]
    assert objection not in listing.context["objections"]


def test_a_guest_proposes_with_a_name_and_is_held(client: Client) -> None:
    response = client.post(
        reverse("onboarding:propose"),
        {
            "title": "Je passe déjà trop de temps devant l’écran",
            "guest_name": "Annie",
            "guest_email": "annie@example.org",
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.state == ProposalState.HELD
    assert objection.proposed_by is None and objection.guest_name == "Annie"
    record = ReviewRecord.objects.for_content(objection).get()
    assert record.guest_email == "annie@example.org"
    assert "new_guest" in record.reasons


def test_a_guest_must_give_a_name_and_robots_are_turned_away(client: Client) -> None:
    url = reverse("onboarding:propose")
    assert client.post(url, {"title": "J’ai peur"}).status_code == 400
    robot = client.post(url, {"title": "J’ai peur", "guest_name": "Bot", "website": "x"})
    assert robot.status_code == 400
    assert not Objection.objects.exists()


def test_the_queue_publishes_or_rejects_a_held_objection(newcomer: User, coordinator: User) -> None:
    kept = services.propose_objection(by=newcomer, title="Ce n’est pas mon métier")
    refused = services.propose_objection(by=newcomer, title="Hors sujet", decision=HOLD)
    approve_record(record=ReviewRecord.objects.for_content(kept).get(), by=coordinator)
    reject_record(
        record=ReviewRecord.objects.for_content(refused).get(), by=coordinator, reason="Doublon."
    )
    kept.refresh_from_db()
    refused.refresh_from_db()
    assert kept.state == ProposalState.PUBLISHED and kept.published_at is not None
    assert refused.state == ProposalState.REJECTED
    assert kept in selectors.listed_objections(None)
    assert refused not in selectors.visible_objections(newcomer)


def test_members_answer_and_testify_guests_answer_publicly(member: User, newcomer: User) -> None:
    objection = ObjectionFactory()
    answer = services.answer_objection(
        objection=objection, by=member, body="Commencez petit.", decision=PUBLISH
    )
    testimony = services.answer_objection(
        objection=objection,
        by=member,
        kind="testimony",
        title="Comment j’ai convaincu ma direction",
        body="Une charte d’une page.",
        visibility="members",
        decision=PUBLISH,
    )
    guest = services.answer_objection(
        objection=objection, by=None, body="Moi aussi.", guest_name="Léa", visibility="members"
    )
    assert answer.state == testimony.state == ProposalState.PUBLISHED
    assert testimony.kind == "testimony" and testimony.visibility == "members"
    assert guest.state == ProposalState.HELD and guest.visibility == "public"
    assert ReviewRecord.objects.for_content(guest).get().kind == "objection_answer"


def test_held_or_hidden_objections_take_no_answers(member: User) -> None:
    held = ObjectionFactory(state="held", published_at=None)
    hidden = ObjectionFactory(hidden=True)
    for objection in (held, hidden):
        with pytest.raises(services.OnboardingError):
            services.answer_objection(objection=objection, by=member, body="Oui.")


# --- Who reads which answer ----------------------------------------------------------------


def test_answers_visibility(member: User, newcomer: User, coordinator: User) -> None:
    objection = ObjectionFactory()
    public = AnswerFactory(objection=objection)
    members_only = AnswerFactory(objection=objection, visibility="members")
    held = AnswerFactory(objection=objection, author=newcomer, state="held", published_at=None)
    hidden = AnswerFactory(objection=objection, hidden=True)
    rejected = AnswerFactory(objection=objection, state="rejected", published_at=None)

    def seen(viewer: object) -> set[Answer]:
        return set(selectors.answers_for(viewer, objection))

    assert seen(None) == {public}
    assert seen(member) == {public, members_only}
    assert seen(newcomer) == {public, members_only, held}
    assert seen(coordinator) == {public, members_only, held, hidden}
    assert rejected not in seen(coordinator)

    page = english_client().get(objection.get_absolute_url()).content.decode()
    assert public.body.split("**")[0] in page
    assert f"reponse-{members_only.pk}" not in page
    assert f"reponse-{held.pk}" not in page
    assert f"reponse-{hidden.pk}" not in page


def test_answers_of_a_hidden_objection_cannot_be_voted_on(member: User) -> None:
    answer = AnswerFactory(objection=ObjectionFactory(hidden=True))
    assert selectors.answer_for(member, answer.pk) is None
    response = logged_in(english_client(), member).post(
        reverse("onboarding:helpful", args=[answer.pk])
    )
    assert response.status_code == 404


def test_further_reading_is_filtered_by_each_app(member: User) -> None:
    objection = ObjectionFactory()
    public_project = ProjectFactory(name="Les squelettes qui parlent")
    held_project = ProjectFactory(name="Projet en attente", review_state="held", published_at=None)
    members_article = ArticleFactory(title="Réservé aux membres", visibility="members")
    draft_event = EventFactory(title="Atelier en brouillon", status="draft", published_at=None)
    public_event = EventFactory(title="Atelier du 26 mars")
    objection.projects.set([public_project, held_project])
    objection.articles.set([members_article])
    objection.events.set([draft_event, public_event])

    anonymous = selectors.further_reading(None, objection)
    assert anonymous == {"projects": [public_project], "articles": [], "events": [public_event]}
    assert selectors.further_reading(member, objection)["articles"] == [members_article]
    page = english_client().get(objection.get_absolute_url()).content.decode()
    assert "Les squelettes qui parlent" in page
    assert "Projet en attente" not in page
    assert "Réservé aux membres" not in page
    assert "Atelier en brouillon" not in page


# --- "It helped me" ----------------------------------------------------------------------------


def test_a_vote_toggles_and_counts_once_per_member(member: User) -> None:
    answer = AnswerFactory()
    assert services.toggle_helpful(answer=answer, member=member) is True
    assert services.helpful_count(answer) == 1
    assert services.toggle_helpful(answer=answer, member=member) is False
    assert services.helpful_count(answer) == 0
    services.toggle_helpful(answer=answer, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpfulVote.objects.create(answer=answer, member=member)
    assert services.helpful_count(answer) == 1


def test_no_vote_on_one_s_own_answer_nor_on_a_held_one(member: User) -> None:
    own = AnswerFactory(author=member)
    held = AnswerFactory(state="held", published_at=None)
    with pytest.raises(services.OnboardingError):
        services.toggle_helpful(answer=own, member=member)
    with pytest.raises(services.OnboardingError):
        services.toggle_helpful(answer=held, member=member)
    assert not HelpfulVote.objects.exists()


def test_the_best_answers_rise_featured_first() -> None:
    objection = ObjectionFactory()
    older = AnswerFactory(objection=objection)
    helpful = AnswerFactory(objection=objection)
    featured = AnswerFactory(objection=objection, featured=True)
    HelpfulVoteFactory.create_batch(3, answer=helpful)
    HelpfulVoteFactory(answer=older)
    assert selectors.answers_for(None, objection) == [featured, helpful, older]
    card = selectors.listed_objections(None).get(pk=objection.pk)
    assert card.shown_answers[0] == featured  # type: ignore[attr-defined]
    assert [a.helpful_count for a in card.shown_answers] == [0, 3, 1]  # type: ignore[attr-defined]


def test_voting_without_javascript_comes_back_to_the_answer(client: Client, member: User) -> None:
    answer = AnswerFactory()
    url = reverse("onboarding:helpful", args=[answer.pk])
    response = logged_in(client, member).post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reponse-{answer.pk}")
    assert HelpfulVote.objects.filter(answer=answer, member=member).exists()
    page = client.get(answer.objection.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    assert "helped 1 person" in page


def test_voting_with_htmx_swaps_the_button(client: Client, member: User) -> None:
    answer = AnswerFactory()
    url = reverse("onboarding:helpful", args=[answer.pk])
    response = logged_in(client, member).post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="helpful" id="helpful-')
    assert 'aria-pressed="true"' in html and "autofocus" in html
    assert "helped 1 person" in html
    again = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="false"' in again
    assert not HelpfulVote.objects.exists()


def test_voting_needs_an_account_and_a_post(client: Client, member: User) -> None:
    answer = AnswerFactory()
    url = reverse("onboarding:helpful", args=[answer.pk])
    assert client.post(url).status_code == 302  # to the login page
    assert "connexion" in client.post(url)["Location"]
    assert logged_in(client, member).get(url).status_code == 405
    csrf_client = english_client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    assert csrf_client.post(url).status_code == 403
    assert not HelpfulVote.objects.exists()


# --- Curation ----------------------------------------------------------------------------------


def test_coordinators_feature_hide_and_reorder(client: Client, coordinator: User) -> None:
    first, second, third = ObjectionFactory(), ObjectionFactory(), ObjectionFactory()
    curate = logged_in(client, coordinator)

    def order() -> list[Objection]:
        return list(selectors.listed_objections(None))

    assert order() == [first, second, third]
    curate.post(reverse("onboarding:curate", args=[third.slug]), {"action": "up"})
    assert order() == [first, third, second]
    curate.post(reverse("onboarding:curate", args=[second.slug]), {"action": "feature"})
    assert order() == [second, first, third]
    curate.post(reverse("onboarding:curate", args=[first.slug]), {"action": "hide"})
    assert order() == [second, third]
    assert first in selectors.listed_objections(coordinator)
    assert english_client().get(first.get_absolute_url()).status_code == 404
    curate.post(reverse("onboarding:curate", args=[first.slug]), {"action": "show"})
    assert first in order()
    # Already first among the non-featured: nothing moves.
    assert services.move_objection(objection=first, by=coordinator, direction="up") is False


def test_coordinators_feature_and_hide_answers(client: Client, coordinator: User) -> None:
    objection = ObjectionFactory()
    plain, other = AnswerFactory(objection=objection), AnswerFactory(objection=objection)
    curate = logged_in(client, coordinator)
    curate.post(reverse("onboarding:answer_curate", args=[other.pk]), {"action": "feature"})
    curate.post(reverse("onboarding:answer_curate", args=[plain.pk]), {"action": "hide"})
    assert selectors.answers_for(None, objection) == [other]


def test_only_coordinators_curate(client: Client, member: User) -> None:
    objection = ObjectionFactory()
    answer = AnswerFactory(objection=objection)
    as_member = logged_in(client, member)
    assert (
        as_member.post(
            reverse("onboarding:curate", args=[objection.slug]), {"action": "hide"}
        ).status_code
        == 403
    )
    assert (
        as_member.post(
            reverse("onboarding:answer_curate", args=[answer.pk]), {"action": "hide"}
        ).status_code
        == 403
    )
    assert as_member.get(reverse("onboarding:edit", args=[objection.slug])).status_code == 403
    with pytest.raises(services.OnboardingError):
        services.set_objection_flags(objection=objection, by=member, hidden=True)
    objection.refresh_from_db()
    assert not objection.hidden


def test_coordinators_link_an_objection_to_what_members_may_see(
    client: Client, coordinator: User
) -> None:
    objection = ObjectionFactory()
    project = ProjectFactory()
    article = ArticleFactory()
    event = EventFactory()
    response = logged_in(client, coordinator).post(
        reverse("onboarding:edit", args=[objection.slug]),
        {
            "title": "J’ai peur de me tromper",
            "explanation": "En public.",
            "projects": [project.pk],
            "articles": [article.pk],
            "events": [event.pk],
        },
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.title == "J’ai peur de me tromper"
    assert list(objection.projects.all()) == [project]
    assert list(objection.articles.all()) == [article]
    assert list(objection.events.all()) == [event]


def test_posting_an_answer_from_the_page(client: Client, member: User) -> None:
    objection = ObjectionFactory()
    UserFactory()  # someone else in the network
    response = logged_in(client, member).post(
        reverse("onboarding:answer", args=[objection.slug]),
        {
            "answer-kind": "answer",
            "answer-title": "",
            "answer-body": "Bloquez un quart d’heure le mardi.",
            "answer-visibility": "public",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.author == member
    assert response["Location"].endswith(f"#reponse-{answer.pk}")
    empty = client.post(reverse("onboarding:answer", args=[objection.slug]), {"answer-body": ""})
    assert empty.status_code == 400
    assert Answer.objects.count() == 1


def test_held_proposals_wait_in_the_moderation_queue(client: Client, coordinator: User) -> None:
    objection = services.propose_objection(by=None, title="Ce n’est pas pour nous", guest_name="Jo")
    answer = services.answer_objection(
        objection=ObjectionFactory(), by=None, body="Essayez quand même.", guest_name="Lou"
    )
    queue = logged_in(client, coordinator).get(reverse("core:review_queue")).content.decode()
    assert "Ce n’est pas pour nous" in queue
    assert objection.get_absolute_url() in queue
    assert "Essayez quand même." in queue
    assert f"#reponse-{answer.pk}" in queue


def test_visitors_cannot_flood_the_catalogue(client: Client, settings: object) -> None:
    settings.SIGNUP_RATE_LIMIT = 2  # type: ignore[attr-defined]
    url = reverse("onboarding:propose")
    statuses = [
        client.post(url, {"title": f"Frein {n}", "guest_name": "Robot poli"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Objection.objects.count() == 2
