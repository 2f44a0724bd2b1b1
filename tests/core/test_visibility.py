"""core.visibility: who may see public, members-only and private content."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from maillage.core.visibility import (
    Visibility,
    can_see,
    levels_visible_to,
    visibility_field,
    visible_q,
)
from maillage.members.models import ProfileLink, User

PUBLIC, MEMBERS, PRIVATE = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE


def _user(email: str, **extra: object) -> User:
    return User.objects.create_user(
        email, "a long enough password", display_name=email.split("@")[0], **extra
    )


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {
        "owner": _user("owner@example.org"),
        "member": _user("member@example.org"),
        "inactive": _user("gone@example.org", is_active=False),
    }


def test_levels() -> None:
    assert Visibility.values == ["public", "members", "private"]
    assert levels_visible_to(None) == [PUBLIC]
    assert levels_visible_to(AnonymousUser()) == [PUBLIC]


def test_levels_for_members(people: dict[str, User]) -> None:
    assert levels_visible_to(people["member"]) == [PUBLIC, MEMBERS]
    assert levels_visible_to(people["inactive"]) == [PUBLIC]


def test_visibility_field_defaults_to_members() -> None:
    field = visibility_field()
    assert field.default == MEMBERS
    assert field.choices == Visibility.choices
    assert visibility_field(default=PUBLIC).default == PUBLIC


def test_visible_q_for_anonymous_is_public_only() -> None:
    assert visible_q(None) == Q(visibility__in=[PUBLIC])
    assert visible_q(AnonymousUser()) == Q(visibility__in=[PUBLIC])


def test_visible_q_for_a_member_adds_their_own(people: dict[str, User]) -> None:
    member = people["member"]
    assert visible_q(member) == Q(visibility__in=[PUBLIC, MEMBERS]) | Q(owner=member)
    assert visible_q(member, field="state", owner_field="author") == Q(
        state__in=[PUBLIC, MEMBERS]
    ) | Q(author=member)
    assert visible_q(member, owner_field=None) == Q(visibility__in=[PUBLIC, MEMBERS])


@pytest.mark.parametrize(
    ("viewer", "level", "expected"),
    [
        (None, PUBLIC, True),
        (None, MEMBERS, False),
        (None, PRIVATE, False),
        ("anonymous", PUBLIC, True),
        ("anonymous", MEMBERS, False),
        ("anonymous", PRIVATE, False),
        ("member", PUBLIC, True),
        ("member", MEMBERS, True),
        ("member", PRIVATE, False),
        ("owner", PUBLIC, True),
        ("owner", MEMBERS, True),
        ("owner", PRIVATE, True),
        ("inactive", PUBLIC, True),
        ("inactive", MEMBERS, False),
        ("inactive", PRIVATE, False),
    ],
)
def test_can_see(people: dict[str, User], viewer: str | None, level: str, expected: bool) -> None:
    viewers: dict[str | None, object] = {None: None, "anonymous": AnonymousUser()}
    viewers.update(people)
    who = viewers[viewer]
    assert can_see(who, level, owner=people["owner"]) is expected


def test_can_see_without_an_owner(people: dict[str, User]) -> None:
    assert not can_see(people["member"], PRIVATE)
    assert not can_see(AnonymousUser(), PRIVATE, owner=None)


def test_an_inactive_owner_is_still_the_owner(people: dict[str, User]) -> None:
    # Consistent with visible_q; an inactive account cannot log in anyway.
    inactive = people["inactive"]
    assert can_see(inactive, PRIVATE, owner=inactive)
    assert not can_see(inactive, MEMBERS, owner=people["owner"])


@pytest.fixture
def links(people: dict[str, User]) -> dict[str, ProfileLink]:
    """One link per level of its author's bio visibility: a real field to filter on."""
    result: dict[str, ProfileLink] = {}
    for level in (PUBLIC, MEMBERS, PRIVATE):
        author = _user(f"{level}-author@example.org", bio_visibility=level)
        result[level] = ProfileLink.objects.create(
            user=author, title=level, url=f"https://example.org/{level}"
        )
    result["own-private"] = ProfileLink.objects.create(
        user=people["owner"], title="own", url="https://example.org/own"
    )
    User.objects.filter(pk=people["owner"].pk).update(bio_visibility=PRIVATE)
    return result


def _visible_titles(viewer: object) -> set[str]:
    condition = visible_q(viewer, field="user__bio_visibility", owner_field="user")
    return set(ProfileLink.objects.filter(condition).values_list("title", flat=True))


def test_visible_q_filters_rows(people: dict[str, User], links: dict[str, ProfileLink]) -> None:
    assert _visible_titles(None) == {"public"}
    assert _visible_titles(AnonymousUser()) == {"public"}
    assert _visible_titles(people["member"]) == {"public", "members"}
    assert _visible_titles(people["owner"]) == {"public", "members", "own"}
    assert _visible_titles(people["inactive"]) == {"public"}


def test_visible_q_agrees_with_can_see(
    people: dict[str, User], links: dict[str, ProfileLink]
) -> None:
    viewers: list[object] = [None, AnonymousUser(), *people.values()]
    for viewer in viewers:
        expected = {
            link.title
            for link in ProfileLink.objects.select_related("user")
            if can_see(viewer, link.user.bio_visibility, owner=link.user)
        }
        assert _visible_titles(viewer) == expected
