"""The coordinators' pages: who may see them, the queue's buttons, the settings form, figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.review import ReviewPolicy, ReviewRecord, ReviewState
from maillage.core.review.selectors import review_figures
from maillage.members.models import User
from tests.factories import ReviewRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["core:review_queue", "core:review_policy", "core:review_figures"]


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_asked_to_log_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("members:login") in response["Location"]


@pytest.mark.parametrize("name", ["core:review_queue", "core:review_policy"])
def test_members_are_refused(client: Client, member: User, name: str) -> None:
    assert logged_in(client, member).get(reverse(name)).status_code == 403


def test_members_see_the_figures_without_the_coordinators_links(
    client: Client, member: User
) -> None:
    response = logged_in(client, member).get(reverse("core:review_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("core:review_queue")}"' not in html
    assert f'href="{reverse("core:review_policy")}"' not in html


def test_coordinators_find_the_queue_in_the_menu(client: Client, coordinator: User) -> None:
    html = logged_in(client, coordinator).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:review_queue")}"' in html


@pytest.mark.parametrize("name", PAGES)
def test_coordinators_see_each_page_with_its_own_title(
    client: Client, coordinator: User, name: str
) -> None:
    response = logged_in(client, coordinator).get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    "action", ["core:review_approve", "core:review_reject", "core:review_spam"]
)
def test_members_cannot_act(client: Client, member: User, held: ReviewRecord, action: str) -> None:
    other = UserFactory()
    response = logged_in(client, other).post(reverse(action, args=[held.pk]), {"reason": "non"})
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.state == ReviewState.PENDING


def test_actions_are_post_only(client: Client, coordinator: User, held: ReviewRecord) -> None:
    response = logged_in(client, coordinator).get(reverse("core:review_approve", args=[held.pk]))
    assert response.status_code == 405


# --- the queue --------------------------------------------------------------------------------


def test_the_queue_shows_held_then_sampled_with_excerpt_link_and_buttons(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    sampled = ReviewRecordFactory(
        state="sampled", action="publish_then_sample", reasons=["low_trust"]
    )
    ReviewRecordFactory(state="approved")
    ReviewRecordFactory(state="auto_published", action="publish")
    html = logged_in(client, coordinator).get(reverse("core:review_queue")).content.decode()
    assert html.index(f'id="record-{held.pk}"') < html.index(f'id="record-{sampled.pk}"')
    assert html.count('class="card review-item"') == 2
    assert "Le blog de Camille — https://camille.example/" in html
    assert 'href="https://camille.example/"' in html
    assert "This is among the author’s first contributions." in html
    assert reverse("core:review_approve", args=[held.pk]) in html
    assert reverse("core:review_reject", args=[held.pk]) in html
    assert reverse("core:review_spam", args=[held.pk]) in html
    assert f'<label for="reason-{held.pk}">' in html


def test_own_contributions_show_no_buttons(
    client: Client, coordinator: User, reviewable_links: Any
) -> None:
    own = ReviewRecordFactory(author=coordinator)
    html = logged_in(client, coordinator).get(reverse("core:review_queue")).content.decode()
    assert "another coordinator will review it" in html
    assert reverse("core:review_approve", args=[own.pk]) not in html


def test_the_queue_page_has_a_constant_number_of_queries(
    client: Client,
    coordinator: User,
    reviewable_links: Any,
    django_assert_max_num_queries: Any,
) -> None:
    logged_in(client, coordinator)
    for _number in range(3):
        ReviewRecordFactory()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:review_queue"))
    for _number in range(15):
        ReviewRecordFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:review_queue"))


def test_approving_from_the_queue(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_approve", args=[held.pk]), follow=True
    )
    assert "Approved: the contribution is published." in response.content.decode()
    held.refresh_from_db()
    assert held.state == ReviewState.APPROVED
    assert reviewable_links.approved == [held.object_id]


def test_rejecting_from_the_queue_needs_a_reason(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    logged_in(client, coordinator)
    url = reverse("core:review_reject", args=[held.pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why it is rejected" in response.content.decode()
    client.post(url, {"reason": "Hors sujet"})
    held.refresh_from_db()
    assert (held.state, held.resolution_note) == (ReviewState.REJECTED, "Hors sujet")


def test_spam_from_the_queue(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    logged_in(client, coordinator).post(reverse("core:review_spam", args=[held.pk]))
    held.refresh_from_db()
    assert held.state == ReviewState.SPAM


def test_the_queue_refuses_own_content(
    client: Client, coordinator: User, reviewable_links: Any
) -> None:
    own = ReviewRecordFactory(author=coordinator)
    response = logged_in(client, coordinator).post(
        reverse("core:review_approve", args=[own.pk]), follow=True
    )
    assert "Nobody reviews their own contribution" in response.content.decode()
    own.refresh_from_db()
    assert own.state == ReviewState.PENDING


# --- settings ---------------------------------------------------------------------------------


def policy_data(**changes: Any) -> dict[str, Any]:
    data = {
        "trust_level_to_publish": 1,
        "first_contributions": 2,
        "max_links": 2,
        "watch_words": "",
        "guest_action": "hold",
        "silence_hours": 0,
        "sample_rate": 20,
        "kind_comment": "publish",
        "kind_link_suggestion": "publish",
        "kind_post": "publish",
        "kind_bookmark": "publish",
        "kind_question": "publish",
        "kind_list_message": "publish",
        "kind_project": "publish",
        "kind_objection": "publish",
        "kind_objection_answer": "publish",
        "kind_answer": "publish",
    }
    return {**data, **changes}


def test_coordinators_change_the_policy(client: Client, coordinator: User) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_policy"),
        policy_data(
            max_links=4,
            watch_words=" casino = reject \n\npromotion",
            silence_hours=48,
            kind_post="hold",
        ),
    )
    assert response.status_code == 302
    policy = ReviewPolicy.current()
    assert policy.max_links == 4
    assert policy.silence_hours == 48
    assert policy.kind_defaults == {"post": "hold"}
    assert policy.watch_list() == [("casino", "reject"), ("promotion", "hold")]
    html = client.get(reverse("core:review_policy")).content.decode()
    assert '<option value="hold" selected>' in html


def test_the_policy_form_refuses_an_unknown_watch_word_action(
    client: Client, coordinator: User
) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_policy"), policy_data(watch_words="casino = bannir")
    )
    assert response.status_code == 200
    assert "casino = bannir" in response.content.decode()
    assert ReviewPolicy.current().watch_words == ""


def test_the_policy_form_refuses_a_rate_over_100(client: Client, coordinator: User) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_policy"), policy_data(sample_rate=150)
    )
    assert response.status_code == 200
    assert ReviewPolicy.current().sample_rate == 20


# --- figures ----------------------------------------------------------------------------------


def resolved(hours: float, **extra: Any) -> ReviewRecord:
    created = timezone.now() - timedelta(days=1)
    return ReviewRecordFactory(
        created_at=created, resolved_at=created + timedelta(hours=hours), **extra
    )


def test_figures_shares_and_median_time_held(db: Any) -> None:
    for _number in range(6):
        ReviewRecordFactory(state="auto_published", action="publish")
    resolved(2, state="approved")
    resolved(4, state="rejected")
    resolved(10, state="spam", kind="post")
    ReviewRecordFactory(state="pending")
    figures = review_figures()
    assert figures.overall.total == 10
    assert figures.overall.without_review_share == 60
    assert figures.overall.held_share == 40
    assert figures.overall.removed_share == 20
    assert figures.overall.median_held == timedelta(hours=4)
    assert figures.overall.median_held_text == "4 hours"
    comment, post = figures.per_kind
    assert (comment.label, comment.total, comment.median_held) == ("comment", 9, timedelta(hours=3))
    assert (post.label, post.total, post.median_held) == ("post", 1, timedelta(hours=10))
    [month] = figures.per_month
    assert month.total == 10


def test_figures_per_month(db: Any) -> None:
    ReviewRecordFactory(created_at=timezone.now() - timedelta(days=70), state="approved")
    ReviewRecordFactory(created_at=timezone.now(), state="auto_published", action="publish")
    months = review_figures().per_month
    assert [row.total for row in months] == [1, 1]
    assert months[0].month > months[1].month
    assert months[0].without_review_share == 100


def test_the_figures_page_has_a_constant_number_of_queries(
    client: Client, coordinator: User, django_assert_num_queries: Any
) -> None:
    logged_in(client, coordinator)
    resolved(3, state="approved")
    resolved(5, state="approved", kind="post")
    ReviewRecordFactory(created_at=timezone.now() - timedelta(days=40))
    client.get(reverse("core:review_figures"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:review_figures"))
    for _number in range(20):
        resolved(1, state="approved")
        resolved(1, state="rejected", kind="post")
        ReviewRecordFactory(state="auto_published", action="publish")
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(reverse("core:review_figures"))
    html = response.content.decode()
    assert "Per kind of content" in html
    assert "median time held" in html


# --- htmx: the item is replaced in place ------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_with_htmx_the_item_is_replaced_by_its_result(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_approve", args=[held.pk]), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="record-{held.pk}"' in html
    assert 'role="status"' in html
    assert "Approved: the contribution is published." in html


def test_with_htmx_an_error_keeps_the_item_and_says_why(
    client: Client, coordinator: User, held: ReviewRecord, reviewable_links: Any
) -> None:
    response = logged_in(client, coordinator).post(
        reverse("core:review_reject", args=[held.pk]), {"reason": "  "}, **HTMX
    )
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Say why it is rejected" in html
    assert f'id="reason-{held.pk}"' in html
    own = ReviewRecordFactory(author=coordinator)
    html = client.post(reverse("core:review_spam", args=[own.pk]), **HTMX).content.decode()
    assert "Nobody reviews their own contribution" in html
    assert "another coordinator will review it" in html
