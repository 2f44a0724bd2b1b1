"""Rights per role, one plain function each."""

from __future__ import annotations

import pytest

from maillage.voices import permissions
from tests.factories import PostFactory, UserFactory
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db

RIGHTS = {
    # right: (admin, editor, reviewer, voice, outsider)
    permissions.is_member: (True, True, True, True, False),
    permissions.can_manage_space: (True, False, False, False, False),
    permissions.can_edit_strategy: (True, True, False, False, False),
    permissions.can_manage_channels: (True, True, False, False, False),
    permissions.can_review: (True, True, True, False, False),
    permissions.can_repost: (True, True, False, False, False),
    permissions.can_see_figures: (True, True, True, True, False),
}


@pytest.mark.parametrize("right", list(RIGHTS), ids=lambda right: right.__name__)
def test_each_right_per_role(museum: Museum, right: object) -> None:
    people = (
        museum.admin,
        museum.editor,
        museum.reviewer,
        museum.camille.user,
        UserFactory(),
    )
    expected = RIGHTS[right]  # type: ignore[index]
    got = tuple(right(museum.space, person) for person in people)  # type: ignore[operator]
    assert got == expected


def test_only_people_with_a_voice_write(museum: Museum) -> None:
    assert permissions.can_write(museum.space, museum.camille.user)
    assert not permissions.can_write(museum.space, museum.reviewer)


def test_reviewers_of_the_space_review_its_posts(museum: Museum) -> None:
    post = PostFactory(voice=museum.camille)
    assert permissions.can_review_post(post, museum.reviewer)
    assert not permissions.can_review_post(post, museum.camille.user)
    assert not permissions.can_review_post(post, UserFactory())


def test_an_inactive_member_has_no_rights(museum: Museum) -> None:
    museum.admin.is_active = False
    museum.admin.save()
    assert not permissions.can_manage_space(museum.space, museum.admin)


def test_a_post_is_edited_by_its_author_while_not_decided(museum: Museum) -> None:
    post = PostFactory(voice=museum.camille)
    assert permissions.can_edit_post(post, museum.camille.user)
    assert not permissions.can_edit_post(post, museum.admin)
    post.state = "scheduled"
    assert not permissions.can_edit_post(post, museum.camille.user)
