"""The decision table: each input of `decide` alone, then combined, under the default policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from maillage.core.review import Decision, ReviewAction, ReviewPolicy, decide
from maillage.members.models import User
from tests.factories import ReviewRecordFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLISH = ReviewAction.PUBLISH
SAMPLE = ReviewAction.PUBLISH_THEN_SAMPLE
HOLD = ReviewAction.HOLD
REJECT = ReviewAction.REJECT

PLAIN = "Merci pour ce compte-rendu, très utile pour notre médiathèque."


def author(trust: int, *, accepted: int = 2, **extra: Any) -> User:
    """A member at `trust` with `accepted` contributions already published."""
    user = UserFactory(trust_level=trust, **extra)
    for _number in range(accepted):
        ReviewRecordFactory(author=user, state="auto_published", action="publish")
    return user


def policy(**changes: Any) -> ReviewPolicy:
    current = ReviewPolicy.current()
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    return current


def links(count: int) -> str:
    return " ".join(f"https://exemple{number}.org/page" for number in range(count))


# --- each input alone -------------------------------------------------------------------------


def test_the_default_policy_matches_the_seed() -> None:
    current = ReviewPolicy.current()
    assert current.trust_level_to_publish == 1
    assert current.first_contributions == 2
    assert current.max_links == 2
    assert current.guest_action == HOLD
    assert current.silence_hours == 0
    assert current.sample_rate == 20


@pytest.mark.parametrize("trust", [1, 2, 3, 4])
def test_a_trusted_member_publishes_directly(trust: int) -> None:
    decision = decide(kind="comment", author=author(trust), text=PLAIN)
    assert decision == Decision(PUBLISH, ("trusted_author",))
    assert decision.visible_now


def test_below_the_trust_level_content_is_published_then_sampled() -> None:
    decision = decide(kind="comment", author=author(0), text=PLAIN)
    assert decision == Decision(SAMPLE, ("low_trust",))
    assert decision.visible_now


def test_first_contributions_of_a_new_member_are_held() -> None:
    decision = decide(kind="comment", author=author(0, accepted=0), text=PLAIN)
    assert decision == Decision(HOLD, ("first_contributions",))
    assert not decision.visible_now


def test_first_contributions_of_a_trusted_member_are_only_sampled() -> None:
    decision = decide(kind="comment", author=author(1, accepted=1), text=PLAIN)
    assert decision == Decision(SAMPLE, ("first_contributions",))


def test_rejected_contributions_do_not_count_as_first_contributions_done() -> None:
    user = author(0, accepted=1)
    ReviewRecordFactory(author=user, state="rejected")
    ReviewRecordFactory(author=user, state="spam")
    ReviewRecordFactory(author=user, state="pending")
    assert decide(kind="comment", author=user, text=PLAIN).action == HOLD


def test_first_contributions_off() -> None:
    policy(first_contributions=0)
    assert decide(kind="comment", author=author(1, accepted=0), text=PLAIN).action == PUBLISH


@pytest.mark.parametrize(("count", "action"), [(0, PUBLISH), (2, PUBLISH), (3, HOLD), (6, HOLD)])
def test_more_links_than_allowed_are_held(count: int, action: ReviewAction) -> None:
    decision = decide(kind="comment", author=author(2), text=f"{PLAIN} {links(count)}")
    assert decision.action == action
    if action == HOLD:
        assert decision.reasons == ("too_many_links",)


def test_bare_www_addresses_count_as_links() -> None:
    text = "www.un.example www.deux.example http://trois.example"
    assert decide(kind="comment", author=author(1), text=text).action == HOLD


def test_regular_members_may_post_many_links() -> None:
    assert decide(kind="comment", author=author(3), text=links(5)).action == PUBLISH


def test_the_link_limit_is_configurable() -> None:
    policy(max_links=5)
    assert decide(kind="comment", author=author(1), text=links(5)).action == PUBLISH


def test_a_watch_word_holds_even_a_trusted_member() -> None:
    policy(watch_words="promotion\n")
    decision = decide(kind="comment", author=author(4), text="Grande PROMOTION ce week-end")
    assert decision == Decision(HOLD, ("watch_word",))


def test_a_watch_word_may_reject() -> None:
    policy(watch_words="casino = reject\npromotion")
    decision = decide(kind="comment", author=author(2), text="Le meilleur Casino en ligne")
    assert decision == Decision(REJECT, ("watch_word",))
    assert not decision.visible_now


def test_watch_words_ignore_accents_and_case_and_match_whole_words() -> None:
    policy(watch_words="médicament\ncasino = reject")
    user = author(2)
    assert decide(kind="comment", author=user, text="MEDICAMENT pas cher").action == HOLD
    assert decide(kind="comment", author=user, text="Les casinos de Dinard").action == PUBLISH


def test_a_guest_is_held_by_default() -> None:
    decision = decide(kind="comment", author=None, text=PLAIN, guest=True)
    assert decision == Decision(HOLD, ("new_guest",))


def test_the_guest_action_is_configurable() -> None:
    policy(guest_action=SAMPLE)
    assert decide(kind="comment", author=None, text=PLAIN).action == SAMPLE


def test_the_kind_default_applies_to_everyone() -> None:
    policy(kind_defaults={"post": "hold"})
    assert decide(kind="post", author=author(4), text=PLAIN) == Decision(HOLD, ("kind_default",))
    assert decide(kind="comment", author=author(4), text=PLAIN).action == PUBLISH


def test_the_trust_level_to_publish_is_configurable() -> None:
    policy(trust_level_to_publish=2)
    assert decide(kind="comment", author=author(1), text=PLAIN).action == SAMPLE
    assert decide(kind="comment", author=author(2), text=PLAIN).action == PUBLISH


def test_a_subject_within_expertise_lowers_the_bar() -> None:
    tag = TagFactory(name="Réseaux sociaux")
    expert = author(0, expertise=[tag])
    decision = decide(kind="comment", author=expert, text=PLAIN, subject_tags=["réseaux sociaux"])
    assert decision == Decision(PUBLISH, ("trusted_author", "within_expertise"))
    outside = decide(kind="comment", author=expert, text=PLAIN, subject_tags=["archives"])
    assert outside == Decision(SAMPLE, ("low_trust",))


def test_expertise_turns_a_held_first_contribution_into_a_sampled_one() -> None:
    tag = TagFactory(name="Wikipédia")
    newcomer = author(0, accepted=0, expertise=[tag])
    decision = decide(kind="comment", author=newcomer, text=PLAIN, subject_tags=["wikipedia"])
    assert decision == Decision(SAMPLE, ("first_contributions", "within_expertise"))


# --- combined ---------------------------------------------------------------------------------


def test_a_new_member_with_many_links_is_held_for_both_reasons() -> None:
    decision = decide(kind="comment", author=author(0, accepted=0), text=links(3))
    assert decision == Decision(HOLD, ("too_many_links", "first_contributions"))


def test_a_guest_with_a_rejecting_word_is_rejected() -> None:
    policy(watch_words="casino = reject")
    decision = decide(kind="comment", author=None, text=f"casino {links(4)}", guest=True)
    assert decision == Decision(REJECT, ("watch_word",))


def test_a_guest_with_many_links_is_held_for_both_reasons() -> None:
    decision = decide(kind="comment", author=None, text=links(3), guest=True)
    assert decision == Decision(HOLD, ("new_guest", "too_many_links"))


def test_expertise_does_not_exempt_from_watch_words() -> None:
    policy(watch_words="promotion")
    tag = TagFactory(name="Musées")
    expert = author(1, expertise=[tag])
    decision = decide(kind="comment", author=expert, text="promotion", subject_tags=["musees"])
    assert decision.action == HOLD
    assert decision.reasons == ("watch_word", "within_expertise")


def test_the_kind_default_and_a_watch_word_give_both_reasons() -> None:
    policy(kind_defaults={"post": "hold"}, watch_words="promotion")
    decision = decide(kind="post", author=author(2), text="promotion")
    assert decision == Decision(HOLD, ("watch_word", "kind_default"))


def test_describe_reads_the_reasons() -> None:
    decision = decide(kind="comment", author=author(0, accepted=0), text=links(3))
    assert decision.describe() == (
        "Held for review. It contains more links than the policy allows. "
        "This is among the author’s first contributions."
    )
    with translation.override("fr"):
        assert decision.describe().startswith("Retenue pour relecture. Elle contient plus de liens")
