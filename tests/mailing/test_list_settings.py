"""Coordinators' topic lists from the site: created and changed by coordinators alone, with an
address that is free and well formed, offered to members on the web only, posting by the list's
rule, closed without losing the archive."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.mailing.models import MailingList, MessageStatus, Subscription
from maillage.mailing.services import posting
from maillage.members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_settings(**changes: object) -> dict[str, object]:
    settings: dict[str, object] = {
        "name": "Community managers",
        "local_part": "community",
        "slug": "",
        "description": "Pour celles et ceux qui animent les comptes.",
        "posting_policy": "members",
        "min_trust_level": "1",
        "archive_access": "members",
        "reply_policy": "list",
        "subject_prefix": "[CM]",
    }
    settings.update(changes)
    return settings


def test_a_coordinator_creates_a_topic_list(network, coordinator):
    client = logged_in(coordinator)
    index = client.get(reverse("mailing:index")).content.decode()
    assert reverse("mailing:manage") in index
    page = client.get(reverse("mailing:create"))
    assert page.status_code == 200
    assert "Nouvelle liste thématique" in page.content.decode()
    response = client.post(reverse("mailing:create"), list_settings())
    assert response.status_code == 302
    created = MailingList.objects.get(local_part="community")
    assert created.slug == "community"  # taken from the address when left empty
    assert created.created_by == coordinator
    assert not created.is_network_list
    assert not Subscription.objects.filter(mailing_list=created).exists()
    assert "Community managers" in client.get(reverse("mailing:manage")).content.decode()


def test_a_member_cannot_manage_lists(network, camille):
    client = logged_in(camille)
    assert client.get(reverse("mailing:manage")).status_code == 403
    assert client.get(reverse("mailing:create")).status_code == 403
    assert client.post(reverse("mailing:create"), list_settings()).status_code == 403
    assert client.post(reverse("mailing:close", kwargs={"pk": network.pk})).status_code == 403
    assert not MailingList.objects.filter(local_part="community").exists()
    assert reverse("mailing:manage") not in client.get(reverse("mailing:index")).content.decode()
    # Visitors are asked to log in.
    assert Client().get(reverse("mailing:create")).status_code == 302


@pytest.mark.parametrize(
    ("local_part", "message"),
    [
        ("reseau", "Une autre liste a déjà cette adresse."),
        ("Community+cm", "Lettres minuscules, chiffres, points et tirets seulement"),
        ("bounces", "Cette adresse est réservée au serveur de messagerie."),
        ("postmaster", "Cette adresse est réservée au serveur de messagerie."),
    ],
)
def test_a_taken_or_malformed_address_is_refused_in_french(
    network, coordinator, local_part, message
):
    client = logged_in(coordinator)
    response = client.post(reverse("mailing:create"), list_settings(local_part=local_part))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert MailingList.objects.count() == 1


def test_a_page_address_taken_by_the_site_or_another_list_is_refused(network, coordinator):
    client = logged_in(coordinator)
    taken = client.post(reverse("mailing:create"), list_settings(slug="reseau"))
    assert "Une autre liste a déjà cette adresse de page." in taken.content.decode()
    page = client.post(reverse("mailing:create"), list_settings(slug="gerer"))
    assert page.status_code == 400
    assert "Cette adresse est déjà celle d’une page du site." in page.content.decode()


def test_the_new_list_is_offered_on_the_web_only(network, coordinator, camille):
    logged_in(coordinator).post(reverse("mailing:create"), list_settings())
    created = MailingList.objects.get(local_part="community")
    page = logged_in(camille).get(reverse("mailing:subscriptions")).content.decode()
    assert "Community managers (community@lists.example.org)" in page
    field = f'name="list_{created.pk}" value="web"'
    checked = page[page.index(field) :].split(">", 1)[0]
    assert "checked" in checked
    # The network list a member never chose stays unticked: sign-up asked them.
    network_field = page[page.index(f'name="list_{network.pk}" value="none"') :]
    assert "checked" in network_field.split(">", 1)[0]
    # Saving the page as offered sends no email.
    logged_in(camille).post(
        reverse("mailing:subscriptions"),
        {f"list_{network.pk}": "none", f"list_{created.pk}": "web", "followed_tags": ""},
    )
    assert Subscription.objects.get(member=camille, mailing_list=created).mode == "web"


def test_the_posting_rule_chosen_is_the_lists(network, coordinator, camille, open_policy):
    logged_in(coordinator).post(
        reverse("mailing:create"),
        list_settings(posting_policy="trusted", min_trust_level="3"),
    )
    created = MailingList.objects.get(local_part="community")
    newcomer = UserFactory(trust_level=2)
    held = posting.start_thread(
        mailing_list=created, author=newcomer, subject="Premier message", body="Bonjour."
    )
    assert held.status == MessageStatus.HELD
    camille.trust_level = 3
    camille.save()
    published = posting.start_thread(
        mailing_list=created, author=camille, subject="Deuxième message", body="Bonjour."
    )
    assert published.status == MessageStatus.PUBLISHED
    # Every member may post straight again once the coordinator says so.
    response = logged_in(coordinator).post(
        reverse("mailing:edit", kwargs={"pk": created.pk}),
        list_settings(posting_policy="members", slug="community"),
    )
    assert response.status_code == 302
    created.refresh_from_db()
    again = posting.start_thread(
        mailing_list=created, author=newcomer, subject="Troisième message", body="Bonjour."
    )
    assert again.status == MessageStatus.PUBLISHED


def test_closing_a_list_keeps_its_archive(network, coordinator, camille, open_policy):
    client = logged_in(coordinator)
    client.post(reverse("mailing:create"), list_settings())
    created = MailingList.objects.get(local_part="community")
    message = posting.start_thread(
        mailing_list=created, author=camille, subject="Avant la fermeture", body="Bonjour."
    )
    response = client.post(reverse("mailing:close", kwargs={"pk": created.pk}))
    assert response.status_code == 302
    created.refresh_from_db()
    assert not created.is_active
    assert not posting.may_post(camille, created)
    archive = logged_in(camille).get(created.get_absolute_url()).content.decode()
    assert "Avant la fermeture" in archive
    assert "Cette liste est fermée" in archive
    assert logged_in(camille).get(message.thread.get_absolute_url()).status_code == 200
    assert (
        f"list_{created.pk}"
        not in logged_in(camille).get(reverse("mailing:subscriptions")).content.decode()
    )
    # The network's list stays open.
    client.post(reverse("mailing:close", kwargs={"pk": network.pk}))
    network.refresh_from_db()
    assert network.is_active
    client.post(reverse("mailing:reopen", kwargs={"pk": created.pk}))
    created.refresh_from_db()
    assert created.is_active
