"""The list's pages: who reads an archive (members, or everyone for a public list), threads by
date, a thread with its reply form and Markdown preview, held messages seen by their author
only, attachments through the permission check, search through core.search, subscriptions
from the member's page and at sign-up (never pre-ticked); query counts pinned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.core import search
from maillage.mailing.models import FollowedTag, Message, MessageStatus, Subscription
from maillage.members.models import User
from tests.factories import (
    ListAttachmentFactory,
    ListMessageFactory,
    ListThreadFactory,
    MailingListFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def public_list(db):  # type: ignore[no-untyped-def]
    return MailingListFactory(
        name="Community managers", slug="community-managers", archive_access="public"
    )


def test_a_members_archive_is_closed_to_visitors_and_a_public_one_open(
    network, public_list, camille
):
    thread = ListThreadFactory(mailing_list=network, subject="Réservé aux membres")
    ListMessageFactory(thread=thread, body="Un message entre nous.")
    open_thread = ListThreadFactory(mailing_list=public_list, subject="Ouvert à tous")
    ListMessageFactory(thread=open_thread)
    visitor = Client()
    assert visitor.get(network.get_absolute_url()).status_code == 404
    assert visitor.get(thread.get_absolute_url()).status_code == 404
    index = visitor.get(reverse("mailing:index")).content.decode()
    assert public_list.get_absolute_url() in index
    assert network.get_absolute_url() not in index
    assert visitor.get(public_list.get_absolute_url()).status_code == 200
    assert "Ouvert à tous" in visitor.get(open_thread.get_absolute_url()).content.decode()
    member = logged_in(camille)
    assert "Un message entre nous" in member.get(thread.get_absolute_url()).content.decode()


def test_the_archive_lists_threads_by_date_with_months(network, camille):
    now = timezone.now()
    old = ListThreadFactory(mailing_list=network, subject="Un fil de l’an dernier")
    ListMessageFactory(thread=old, published_at=now - timedelta(days=400))
    new = ListThreadFactory(mailing_list=network, subject="Un fil d’aujourd’hui")
    ListMessageFactory(thread=new, published_at=now)
    held_only = ListThreadFactory(mailing_list=network, subject="Seulement en attente")
    ListMessageFactory(thread=held_only, status="held", published_at=None)
    page = logged_in(camille).get(network.get_absolute_url()).content.decode()
    assert page.index("Un fil d’aujourd’hui") < page.index("Un fil de l’an dernier")
    assert "Seulement en attente" not in page
    month = (now - timedelta(days=400)).strftime("%Y-%m")
    assert f"?mois={month}" in page
    filtered = logged_in(camille).get(network.get_absolute_url(), {"mois": month})
    text = filtered.content.decode()
    assert "Un fil de l’an dernier" in text and "Un fil d’aujourd’hui" not in text


def test_archive_and_thread_pages_cost_the_same_queries_for_few_and_many(
    network, camille, django_assert_num_queries
):
    client = logged_in(camille)

    def fill(threads: int, messages: int) -> object:
        last = None
        for _ in range(threads):
            last = ListThreadFactory(mailing_list=network)
            for _ in range(messages):
                ListAttachmentFactory(message=ListMessageFactory(thread=last))
        return last

    few = fill(2, 2)
    client.get(network.get_absolute_url())  # the session and caches warm up
    with CaptureQueriesContext(connection) as few_archive:
        client.get(network.get_absolute_url())
    with CaptureQueriesContext(connection) as few_thread:
        assert client.get(few.get_absolute_url()).status_code == 200  # type: ignore[attr-defined]
    many = fill(20, 12)
    with django_assert_num_queries(len(few_archive.captured_queries)):
        client.get(network.get_absolute_url())
    with django_assert_num_queries(len(few_thread.captured_queries)):
        assert client.get(many.get_absolute_url()).status_code == 200  # type: ignore[attr-defined]
    assert len(few_archive.captured_queries) <= 8
    assert len(few_thread.captured_queries) <= 8


def test_a_reply_on_the_web_with_a_preview_first(network, camille, open_policy, committed):
    thread = ListThreadFactory(mailing_list=network, subject="Flickr et licences")
    first = ListMessageFactory(thread=thread)
    client = logged_in(camille)
    preview = client.post(
        thread.get_absolute_url(), {"body": "Avec **CC BY-SA**, bien sûr.", "preview": "1"}
    )
    assert preview.status_code == 200
    assert "<strong>CC BY-SA</strong>" in preview.content.decode()
    assert Message.objects.count() == 1
    htmx = client.post(
        reverse("mailing:preview"), {"body": "*vite*"}, headers={"HX-Request": "true"}
    )
    assert "<em>vite</em>" in htmx.content.decode()
    with committed():
        response = client.post(
            thread.get_absolute_url(), {"body": "Avec **CC BY-SA**, bien sûr.", "parent": first.pk}
        )
    reply = Message.objects.get(author=camille)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#message-{reply.pk}")
    assert reply.parent == first
    assert reply.subject == "Re: Flickr et licences"
    thread.refresh_from_db()
    assert thread.message_count == 2


def test_held_messages_are_seen_by_their_author_alone(network, sophie, camille):
    # Sophie is new: her first contributions are held by the network's policy.
    from maillage.core.review.models import ReviewPolicy

    policy = ReviewPolicy.current()
    policy.first_contributions = 3
    policy.save()
    User.objects.filter(pk=sophie.pk).update(trust_level=0)
    thread = ListThreadFactory(mailing_list=network, subject="Une question")
    ListMessageFactory(thread=thread)
    response = logged_in(sophie).post(thread.get_absolute_url(), {"body": "Ma première réponse."})
    assert response.status_code == 302
    held = Message.objects.get(author=sophie)
    assert held.status == MessageStatus.HELD
    assert (
        "Ma première réponse" in logged_in(sophie).get(thread.get_absolute_url()).content.decode()
    )
    assert (
        "Ma première réponse"
        not in logged_in(camille).get(thread.get_absolute_url()).content.decode()
    )
    assert not mail.outbox
    assert search.search(viewer=camille, text="première réponse").total == 0


def test_new_thread_form_errors_and_visitors(network, camille):
    client = logged_in(camille)
    url = reverse("mailing:new_thread", kwargs={"slug": network.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"subject": "", "body": ""})
    assert response.status_code == 400
    assert Client().get(url).status_code == 302  # to the login page


def test_attachments_follow_the_archive(network, public_list, camille, sophie):
    members_file = ListAttachmentFactory(
        message=ListMessageFactory(thread=ListThreadFactory(mailing_list=network))
    )
    public_file = ListAttachmentFactory(
        message=ListMessageFactory(thread=ListThreadFactory(mailing_list=public_list))
    )
    held_file = ListAttachmentFactory(
        message=ListMessageFactory(
            thread=ListThreadFactory(mailing_list=network), status="held", author=sophie
        )
    )

    def url(attachment, mailing_list):  # type: ignore[no-untyped-def]
        return reverse(
            "mailing:attachment", kwargs={"slug": mailing_list.slug, "pk": attachment.pk}
        )

    assert Client().get(url(members_file, network)).status_code == 404
    response = logged_in(camille).get(url(members_file, network))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert Client().get(url(public_file, public_list)).status_code == 200
    assert logged_in(camille).get(url(held_file, network)).status_code == 404
    assert logged_in(sophie).get(url(held_file, network)).status_code == 200
    # An attachment is found only under its own list.
    assert logged_in(camille).get(url(members_file, public_list)).status_code == 404


def test_the_original_email_is_for_its_author_and_coordinators(
    network, camille, sophie, coordinator, open_policy, settings
):
    from maillage.mailing.services import incoming

    settings.MAILING_AUTHSERV_ID = "mx.example.org"
    raw = (
        b"From: Camille <camille@example.org>\r\nTo: reseau@lists.example.org\r\n"
        b"Subject: Par courriel\r\nMessage-ID: <original@example.org>\r\n"
        b"Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n\r\n"
        b"Bonjour.\r\n"
    )
    incoming.receive(
        raw=raw, recipient="reseau@lists.example.org", envelope_from="camille@example.org"
    )
    message = Message.objects.get()
    url = reverse("mailing:message_source", kwargs={"slug": network.slug, "message_id": message.pk})
    assert logged_in(camille).get(url).content == raw
    assert logged_in(coordinator).get(url).status_code == 200
    assert logged_in(sophie).get(url).status_code == 404
    # The permalink leads to the message in its thread.
    permalink = logged_in(sophie).get(message.get_absolute_url())
    assert permalink["Location"].endswith(f"#message-{message.pk}")


def test_archive_search_finds_this_lists_messages_for_those_who_may_read(
    network, public_list, camille, open_policy, committed
):
    from maillage.mailing.services import posting

    with committed():
        posting.start_thread(
            mailing_list=network,
            author=camille,
            subject="Les squelettes qui parlent",
            body="Le Muséum de Toulouse fait parler ses collections.",
        )
        posting.start_thread(
            mailing_list=public_list,
            author=camille,
            subject="Squelettes en public",
            body="Les collections parlent aussi ici.",
        )
    url = reverse("mailing:search", kwargs={"slug": network.slug})
    found = logged_in(camille).get(url, {"q": "squelettes"}).content.decode()
    assert "<mark>squelettes</mark> qui parlent" in found  # highlighted by core.search
    assert "en public" not in found
    # htmx asks for the results alone: the site's partial, without its filter by kind.
    partial = logged_in(camille).get(url, {"q": "squelettes"}, HTTP_HX_REQUEST="true")
    assert "<mark>squelettes</mark> qui parlent" in partial.content.decode()
    assert "<h1" not in partial.content.decode()
    assert "search-kinds" not in partial.content.decode()
    assert Client().get(url, {"q": "squelettes"}).status_code == 404
    public = Client().get(
        reverse("mailing:search", kwargs={"slug": public_list.slug}), {"q": "collections"}
    )
    assert "en public" in public.content.decode()
    # The site's search finds list messages too, as who may read them.
    assert search.search(viewer=None, text="squelettes").total == 1
    assert search.search(viewer=camille, text="squelettes").total == 2


def test_subscriptions_from_the_members_page(network, public_list, camille):
    client = logged_in(camille)
    profile = client.get(camille.get_absolute_url()).content.decode()
    assert reverse("mailing:subscriptions") in profile
    page = client.get(reverse("mailing:subscriptions")).content.decode()
    assert "Doc@Rennes" in page and "Community managers" in page
    TagFactory(name="Flickr")
    response = client.post(
        reverse("mailing:subscriptions"),
        {
            f"list_{network.pk}": "weekly",
            f"list_{public_list.pk}": "none",
            "followed_tags": "flickr, licences libres",
        },
    )
    assert response.status_code == 302
    assert Subscription.objects.get(member=camille, mailing_list=network).mode == "weekly"
    assert not Subscription.objects.filter(member=camille, mailing_list=public_list).exists()
    assert sorted(
        FollowedTag.objects.filter(member=camille).values_list("tag__slug", flat=True)
    ) == [
        "flickr",
        "licences-libres",
    ]
    client.post(
        reverse("mailing:subscriptions"),
        {f"list_{network.pk}": "none", f"list_{public_list.pk}": "every", "followed_tags": ""},
    )
    left = Subscription.objects.get(member=camille, mailing_list=network)
    assert left.unsubscribed_at is not None
    assert Subscription.objects.get(member=camille, mailing_list=public_list).mode == "every"
    assert not FollowedTag.objects.filter(member=camille).exists()


def test_sign_up_asks_without_ticking(network):
    page = Client().get(reverse("members:signup")).content.decode()
    assert 'name="join_mailing_list"' in page
    assert "checked" not in page.split('name="join_mailing_list"')[1].split(">")[0]
    data = {
        "email": "nouvelle@example.org",
        "display_name": "Nouvelle",
        "password1": "une phrase assez longue",
        "password2": "une phrase assez longue",
    }
    Client().post(reverse("members:signup"), data)
    assert not Subscription.objects.filter(member__email="nouvelle@example.org").exists()
    Client().post(
        reverse("members:signup"),
        {**data, "email": "inscrite@example.org", "join_mailing_list": "on"},
    )
    subscription = Subscription.objects.get(member__email="inscrite@example.org")
    assert (subscription.mailing_list, subscription.mode) == (network, "every")
    # Not confirmed yet: nothing goes to the address until it is.
    assert not Subscription.objects.receiving().filter(pk=subscription.pk).exists()


def test_an_unknown_unsubscribe_token_is_not_found(network):
    assert (
        Client().post(reverse("mailing:unsubscribe", kwargs={"token": "nope"})).status_code == 404
    )


def test_pages_in_french(network, camille):
    ListMessageFactory(thread=ListThreadFactory(mailing_list=network))
    page = logged_in(camille).get(network.get_absolute_url()).content.decode()
    assert "Nouveau fil" in page and "Par mois" in page
    assert "Liste de diffusion" in logged_in(camille).get(reverse("mailing:index")).content.decode()
