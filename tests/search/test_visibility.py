"""Visibility is enforced inside the query: what someone may not see is neither listed nor
counted, whatever the words, filters or page."""

from __future__ import annotations

from typing import Any

import pytest

from maillage.core import search

pytestmark = pytest.mark.django_db


def results(text: str, viewer: Any = None, **filters: Any) -> search.SearchResults:
    return search.search(viewer=viewer, text=text, **filters)


def assert_hidden(text: str, viewer: Any = None) -> None:
    found = results(text, viewer)
    assert found.hits == [] and found.total == 0 and found.counts == {}, found
    for kind in search.Kind:
        assert results(text, viewer, kinds=(kind.value,)).total == 0


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("pearltrees", ["sophie"]),  # a private bookmark: its owner only
        ("snapchat", ["camille"]),  # a draft article: its creator only (and not its comment)
        ("pinterest", ["nolwenn"]),  # a draft event: its creator only
        ("imprimante", ["nolwenn"]),  # a scheduled article: its creator until its date
    ],
)
def test_private_content_only_for_its_owner(made: dict[str, Any], text: str, allowed: list[str]):
    assert_hidden(text)
    for key in ("camille", "yann", "sophie", "nolwenn"):
        found = results(text, made[key])
        if key in allowed:
            assert found.total == 1 and len(found.hits) == 1
        else:
            assert found.total == 0 and found.counts == {}


def test_members_only_content_is_hidden_from_people_not_logged_in(made: dict[str, Any]) -> None:
    for text in ("mastodon", "dailymotion", '"veille partagée"'):
        assert_hidden(text)
        assert results(text, made["yann"]).total >= 1
    # the members-only article and its comment, counted for members only
    assert dict(results("mastodon", made["yann"]).counts) == {"article": 1, "comment": 1}


@pytest.mark.parametrize("text", ["tumblr", "kamishibai", "tricot crochet", "snapchat vraiment"])
def test_held_unconfirmed_deleted_and_inactive_are_never_found(made: dict[str, Any], text: str):
    """A held comment, a guest's unconfirmed one, an inactive member, a private profile field,
    a comment on a draft: nobody finds them, not even their author."""
    for viewer in (None, made["sophie"], made["nolwenn"], made["camille"]):
        if text == "snapchat vraiment" and viewer == made["camille"]:
            continue  # the draft itself is camille's; its comment still is not found
        found = results(text, viewer)
        assert not any(hit.kind == "comment" for hit in found.hits)
        assert "comment" not in found.counts
        if text != "snapchat vraiment":
            assert found.total == 0


def test_profile_fields_follow_their_own_visibility(made: dict[str, Any]) -> None:
    # Camille's bio (Facebook, Twitter) is for members; her expertise is public.
    assert "member" not in results("facebook", None).counts
    assert results("facebook", made["yann"]).counts.get("member") == 1
    assert results("veille @camille", None).counts.get("member") == 1
    # One profile, one result, whoever looks.
    for viewer in (None, made["yann"], made["camille"]):
        assert results("camille", viewer, kinds=("member",)).total == 1


def test_counts_match_what_the_viewer_may_open(made: dict[str, Any]) -> None:
    anonymous = results("bibliothèque veille", None)
    member = results("bibliothèque veille", made["yann"])
    assert member.total > anonymous.total
    assert "b_members" not in [hit.url for hit in anonymous.hits]
    assert sum(anonymous.counts.values()) == anonymous.total


def test_an_inactive_account_searches_as_nobody(made: dict[str, Any]) -> None:
    assert_hidden("mastodon", made["gone"])
