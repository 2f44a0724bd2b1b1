"""The admin: coordinators manage members and institutions, members cannot get in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.members import services
from maillage.members.models import Institution, Role, User
from tests.factories import InstitutionFactory, ProfileLinkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return services.set_role(user=UserFactory(display_name="Coordinatrice"), role=Role.COORDINATOR)


ADMIN_PAGES = [
    reverse("admin:index"),
    reverse("admin:members_user_changelist"),
    reverse("admin:members_user_add"),
    reverse("admin:members_institution_changelist"),
    reverse("admin:members_institution_add"),
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_coordinator_can_use_the_admin(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_member_cannot(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_demoted_coordinator_loses_the_admin(client, coordinator):
    services.set_role(user=coordinator, role=Role.MEMBER)
    coordinator.refresh_from_db()
    assert not coordinator.is_staff
    client.force_login(coordinator)
    assert client.get(reverse("admin:index")).status_code == 302


def test_set_role_keeps_a_superuser_staff(db):
    boss = User.objects.create_superuser("boss@example.org", "x" * 12, display_name="Boss")
    services.set_role(user=boss, role=Role.MEMBER)
    boss.refresh_from_db()
    assert boss.is_staff


def test_coordinator_changes_a_member(client, coordinator, member):
    client.force_login(coordinator)
    ProfileLinkFactory(user=member)
    url = reverse("admin:members_user_change", args=[member.pk])
    html = client.get(url).content.decode()
    assert "Mon blog" in html  # the links inline
    assert 'name="is_superuser"' not in html  # superuser-only fields are hidden


def test_coordinator_cannot_touch_a_superuser(client, coordinator):
    boss = User.objects.create_superuser("boss@example.org", "x" * 12, display_name="Boss")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:members_user_changelist"),
        {"action": "make_member", "_selected_action": [boss.pk]},
    )
    assert response.status_code == 302
    html = client.get(reverse("admin:members_user_change", args=[boss.pk])).content.decode()
    assert 'name="email"' not in html  # read-only view
    assert (
        client.post(
            reverse("admin:members_user_delete", args=[boss.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert User.objects.filter(pk=boss.pk).exists()


def test_actions_set_the_role(client, coordinator, member):
    client.force_login(coordinator)
    changelist = reverse("admin:members_user_changelist")
    client.post(changelist, {"action": "make_coordinator", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert (member.role, member.is_staff) == (Role.COORDINATOR, True)
    client.post(changelist, {"action": "make_member", "_selected_action": [member.pk]})
    member.refresh_from_db()
    assert (member.role, member.is_staff) == (Role.MEMBER, False)


def test_changelist_search_and_filters(client, coordinator, member):
    client.force_login(coordinator)
    changelist = reverse("admin:members_user_changelist")
    response = client.get(changelist, {"q": "camille"})
    assert list(response.context["cl"].result_list) == [member]
    response = client.get(changelist, {"role__exact": "coordinator"})
    assert list(response.context["cl"].result_list) == [coordinator]
    assert (
        client.get(
            changelist, {"trust_level__exact": "0", "profession__exact": "librarian"}
        ).status_code
        == 200
    )


def test_coordinator_adds_a_member_who_is_not_staff(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:members_user_add"),
        {
            "email": "New.Person@Example.org",
            "display_name": "New Person",
            "usable_password": "true",
            "password1": "a good long passphrase",
            "password2": "a good long passphrase",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(display_name="New Person")
    assert created.email == "new.person@example.org"
    assert not created.is_staff


def test_coordinator_manages_institutions(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:members_institution_add"),
        {
            "name": "Musée des Beaux-Arts",
            "slug": "musee-des-beaux-arts",
            "kind": "museum",
            "city": "Rennes",
            "website": "",
            "created_at_0": "2024-01-01",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution = Institution.objects.get(slug="musee-des-beaux-arts")
    response = client.post(
        reverse("admin:members_institution_delete", args=[institution.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Institution.objects.exists()


def test_institution_changelist_counts_members(client, coordinator):
    institution = InstitutionFactory(name="Bibliothèque Triangle")
    UserFactory(institution=institution)
    client.force_login(coordinator)
    response = client.get(reverse("admin:members_institution_changelist"))
    assert "Bibliothèque Triangle" in response.content.decode()
    assert response.context["cl"].result_list[0].member_count == 1
