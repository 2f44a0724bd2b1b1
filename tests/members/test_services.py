"""Services called directly: roles, trust, profile updates, sign-up details."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from maillage.core.visibility import Visibility
from maillage.members import services
from maillage.members.models import Role, User
from tests.factories import PASSWORD, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_inactive_account_and_queues_the_email(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        user = services.sign_up(email=" Jo@Example.ORG", display_name=" Jo ", password=PASSWORD)
    assert user is not None
    assert (user.email, user.display_name, user.is_active) == ("jo@example.org", "Jo", False)
    assert user.check_password(PASSWORD)
    assert len(callbacks) == 1  # sent only once the account is committed


def test_set_role_and_back(member):
    services.set_role(user=member, role=Role.COORDINATOR)
    member.refresh_from_db()
    assert member.is_staff and member.is_coordinator
    services.set_role(user=member, role=Role.MEMBER)
    member.refresh_from_db()
    assert not member.is_staff and not member.is_coordinator


def test_set_role_refuses_unknown_roles(member):
    with pytest.raises(ValidationError):
        services.set_role(user=member, role="emperor")


@pytest.mark.parametrize("level", [0, 4])
def test_set_trust_level(member, level):
    services.set_trust_level(user=member, level=level)
    member.refresh_from_db()
    assert member.trust_level == level


@pytest.mark.parametrize("level", [-1, 5])
def test_set_trust_level_range(member, level):
    with pytest.raises(ValidationError):
        services.set_trust_level(user=member, level=level)


def test_update_profile_sets_tags_links_and_visibility(member):
    TagFactory(name="Fonds anciens")
    services.update_profile(
        user=member,
        display_name="Camille",
        expertise=["fonds anciens", "Wikidata"],
        links=[services.LinkData(title="Site", url="https://example.org/")],
        visibility={"email": Visibility.MEMBERS, "bio": Visibility.PRIVATE},
    )
    member.refresh_from_db()
    assert sorted(tag.slug for tag in member.expertise.all()) == ["fonds-anciens", "wikidata"]
    assert member.links.get().url == "https://example.org/"
    assert (member.email_visibility, member.bio_visibility) == ("members", "private")


def test_update_profile_validates(member):
    with pytest.raises(ValidationError):
        services.update_profile(user=member, display_name="   ")
    with pytest.raises(ValidationError):
        services.update_profile(user=member, display_name="C", profession="astronaut")
    with pytest.raises(ValidationError):
        services.update_profile(user=member, display_name="C", visibility={"bio": "world"})
    with pytest.raises(ValueError, match="no visibility"):
        services.update_profile(user=member, display_name="C", visibility={"password": "public"})
    links = [services.LinkData(title=str(n), url=f"https://{n}.example.org/") for n in range(6)]
    with pytest.raises(ValidationError):
        services.update_profile(user=member, display_name="C", links=links)


def test_emails_are_stored_lowercase(db):
    user = User.objects.create_user("Mixed.Case@Example.ORG", PASSWORD, display_name="M")
    assert user.email == "mixed.case@example.org"
    other = User(email=" Upper@Example.org ", display_name="U")
    other.clean()
    assert other.email == "upper@example.org"


def test_email_uniqueness_ignores_case(db):
    UserFactory(email="same@example.org")
    with pytest.raises(ValidationError):
        User(email="SAME@example.org", display_name="S", password="x").full_clean()


def test_factories_make_usable_members(member):
    assert member.is_active and member.email_confirmed_at is not None
    assert member.check_password(PASSWORD)
    assert str(member) == "Camille Martin"
