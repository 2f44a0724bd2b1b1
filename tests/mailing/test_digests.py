"""Digests: what they hold (and never: others' private content, drafts, held messages), when
they leave (07:00 local time), that empty ones are skipped, that running twice sends once, and
their one-click way out — over a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from maillage.mailing.models import DeliveryMode, DeliveryState, Digest, Subscription
from maillage.mailing.services import digest_content, digests
from tests.factories import (
    ArticleFactory,
    BookmarkFactory,
    CommentFactory,
    EventFactory,
    FollowedTagFactory,
    ListMessageFactory,
    ListSubscriptionFactory,
    ListThreadFactory,
    MailingListFactory,
    RegistrationFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday():  # type: ignore[no-untyped-def]
    """The last Monday 07:05 (Paris) in the past: the weekly digest's moment."""
    zone = digest_content.local_zone()
    today = timezone.localdate(timezone.now(), zone)
    day = today - timedelta(days=today.weekday() + 7)
    return datetime.combine(day, time(7, 5), tzinfo=zone)


@pytest.fixture
def during(monday):  # type: ignore[no-untyped-def]
    """Two days before the digest: inside its week."""
    return monday - timedelta(days=2)


@pytest.fixture
def readers(network):  # type: ignore[no-untyped-def]
    yann = UserFactory(email="yann@example.org", display_name="Yann Kerbrat")
    sophie = UserFactory(email="sophie@example.org", display_name="Sophie Le Bihan")
    quiet = UserFactory(email="quiet@example.org", display_name="Membre tranquille")
    for member in (yann, sophie):
        ListSubscriptionFactory(mailing_list=network, member=member, mode="weekly")
    return yann, sophie, quiet


def send_weekly(monday):  # type: ignore[no-untyped-def]
    ids = digests.create_due_digests(monday)
    digests.send_digests(digest_ids=ids)
    return ids


def test_the_weekly_digest_says_what_each_member_may_see(
    smtp_server, network, readers, monday, during, open_policy
):
    yann, sophie, _quiet = readers
    later = monday + timedelta(days=20)
    owner = UserFactory(display_name="Coordinatrice")
    EventFactory(title="Atelier Flickr et licences libres", starts_at=later, published_at=during)
    EventFactory(
        title="Atelier privé",
        starts_at=later,
        published_at=during,
        visibility="private",
        created_by=owner,
    )
    EventFactory(title="Brouillon d’atelier", starts_at=later, published_at=None, status="draft")
    full = EventFactory(title="Atelier complet", starts_at=later, published_at=during, capacity=1)
    RegistrationFactory(event=full)
    EventFactory(
        title="Atelier de la semaine d’avant",
        starts_at=later,
        published_at=during - timedelta(days=7),
    )
    ArticleFactory(title="Compte-rendu de l’atelier du 26 mars", published_at=during)
    private_event = EventFactory(
        visibility="private", created_by=owner, starts_at=during - timedelta(days=1)
    )
    ArticleFactory(title="Rapport d’un atelier privé", published_at=during, event=private_event)
    ArticleFactory(title="Brouillon d’article", status="draft", published_at=None)
    # Yann commented; Camille answered him this week.
    article = ArticleFactory(
        title="Le web social en bibliothèque", published_at=during - timedelta(days=30)
    )
    yann_comment = CommentFactory(
        target=article, author=yann, published_at=during - timedelta(days=20)
    )
    CommentFactory(
        target=article,
        author=UserFactory(display_name="Camille"),
        parent=yann_comment,
        thread=yann_comment,
        body="Bonne idée, Yann !",
        published_at=during,
    )
    # Yann follows #flickr; Sophie declared it as her expertise.
    flickr = TagFactory(name="flickr")
    FollowedTagFactory(member=yann, tag=flickr)
    sophie.expertise.add(flickr)
    keeper = UserFactory(display_name="Mathieu Quéré")
    shared = BookmarkFactory(owner=keeper, title="Flickr Commons pour les archives", tags=[flickr])
    secret = BookmarkFactory(
        owner=keeper, title="Mon signet privé sur Flickr", tags=[flickr], visibility="private"
    )
    for bookmark in (shared, secret):
        type(bookmark).objects.filter(pk=bookmark.pk).update(created_at=during)
    # The list: one thread this week, one held message.
    thread = ListThreadFactory(mailing_list=network, subject="Fréquence des posts sur Facebook")
    ListMessageFactory(thread=thread, published_at=during)
    held_thread = ListThreadFactory(mailing_list=network, subject="Message en attente de relecture")
    ListMessageFactory(thread=held_thread, status="held", published_at=None)

    send_weekly(monday)

    [to_yann] = smtp_server.to("yann@example.org")
    text = to_yann.text()
    assert to_yann.message["Auto-Submitted"] == "auto-generated"
    assert to_yann.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "votre résumé hebdomadaire" in to_yann.subject
    for expected in (
        "Atelier Flickr et licences libres",
        "Compte-rendu de l’atelier du 26 mars",
        "Camille sur «\u00a0Le web social en bibliothèque\u00a0»",
        "Flickr Commons pour les archives",
        "Fréquence des posts sur Facebook",
    ):
        assert expected in text, expected
    for absent in (
        "Atelier privé",
        "Brouillon",
        "Atelier complet",
        "semaine d’avant",
        "Rapport d’un atelier privé",
        "Mon signet privé",
        "en attente de relecture",
    ):
        assert absent not in text, absent
    assert "<strong>" not in text and "Flickr Commons pour les archives" in to_yann.html()

    # Sophie: no reply to her, the bookmark through her expertise.
    [to_sophie] = smtp_server.to("sophie@example.org")
    assert "Bonne idée" not in to_sophie.text()
    assert "Flickr Commons pour les archives" in to_sophie.text()
    # The quiet member receives no digest at all.
    assert not smtp_server.to("quiet@example.org")
    assert Digest.objects.get(member=yann).state == DeliveryState.SENT


def test_nothing_to_say_sends_nothing_and_twice_sends_once(smtp_server, network, readers, monday):
    _yann, _sophie, _ = readers
    send_weekly(monday)
    assert not smtp_server.messages
    assert set(Digest.objects.values_list("state", "empty")) == {(DeliveryState.SKIPPED, True)}
    # Something new after the digest was made changes nothing for that week: it is done.
    ListMessageFactory(
        thread=ListThreadFactory(mailing_list=network), published_at=monday - timedelta(days=1)
    )
    send_weekly(monday)
    send_weekly(monday + timedelta(hours=2))
    assert not smtp_server.messages
    assert Digest.objects.count() == 2


def test_a_digest_is_sent_once_however_often_the_task_runs(
    smtp_server, network, readers, monday, during
):
    ListMessageFactory(thread=ListThreadFactory(mailing_list=network), published_at=during)
    for minutes in (0, 10, 20):
        send_weekly(monday + timedelta(minutes=minutes))
    smtp_server.wait_for(2)
    assert len(smtp_server.messages) == 2
    assert Digest.objects.count() == 2


def test_digests_leave_at_seven_local_time(settings, monday):
    zone = digest_content.local_zone()
    day = monday.date()
    assert digests.due_windows(datetime.combine(day, time(6, 59), tzinfo=zone)) == []
    windows = digests.due_windows(datetime.combine(day, time(7, 0), tzinfo=zone))
    assert [w.period for w in windows] == ["daily", "weekly"]  # a Monday
    assert windows[1].since == datetime.combine(day - timedelta(days=7), time(7), tzinfo=zone)
    tuesday = digests.due_windows(
        datetime.combine(day + timedelta(days=1), time(7, 30), tzinfo=zone)
    )
    assert [w.period for w in tuesday] == ["daily"]
    # Asked in UTC, the answer is Paris' (07:00 there is 06:00 or 05:00 UTC).
    seven = datetime.combine(day, time(7), tzinfo=zone).astimezone(UTC)
    assert digests.due_windows(seven - timedelta(minutes=1)) == []
    assert digests.due_windows(seven) != []
    settings.MAILING_DIGEST_HOUR = 9
    assert digests.due_windows(datetime.combine(day, time(8, 0), tzinfo=zone)) == []


def test_daily_readers_get_their_lists_threads_only_in_their_digest(
    smtp_server, network, monday, during
):
    topic = MailingListFactory(name="Community managers", slug="cm", local_part="cm")
    member = UserFactory(email="daily@example.org")
    ListSubscriptionFactory(mailing_list=topic, member=member, mode="daily")
    ListSubscriptionFactory(mailing_list=network, member=member, mode="every")
    yesterday = monday - timedelta(hours=5)
    ListMessageFactory(
        thread=ListThreadFactory(mailing_list=topic, subject="Outils de planification"),
        published_at=yesterday,
    )
    ListMessageFactory(
        thread=ListThreadFactory(mailing_list=network, subject="Sur la liste du réseau"),
        published_at=yesterday,
    )
    ArticleFactory(title="Un article du jour", published_at=yesterday)
    ids = digests.create_digests(digest_content.window_for("daily", monday.date()))
    digests.send_digests(digest_ids=ids)
    [mail] = smtp_server.to("daily@example.org")
    assert "Outils de planification" in mail.text()
    # The network's list comes message by message: neither its threads nor its news here.
    assert "Sur la liste du réseau" not in mail.text()
    assert "Un article du jour" not in mail.text()


def test_stopping_a_digest_in_one_click(smtp_server, network, readers, monday, during):
    yann, sophie, _ = readers
    ListMessageFactory(thread=ListThreadFactory(mailing_list=network), published_at=during)
    send_weekly(monday)
    [mail] = smtp_server.to("yann@example.org")
    path = (
        mail.message["List-Unsubscribe"]
        .strip()
        .strip("<>")
        .removeprefix("https://docarennes.example")
    )
    response = Client(enforce_csrf_checks=True).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get(member=yann).mode == DeliveryMode.WEB_ONLY
    assert Subscription.objects.get(member=sophie).mode == DeliveryMode.WEEKLY
    assert Client().post(path.replace("/arreter/", "/arreter/x")).status_code == 404


def test_suspended_or_inactive_members_get_no_digest(smtp_server, network, readers, monday, during):
    yann, sophie, _ = readers
    Subscription.objects.filter(member=yann).update(suspended_at=timezone.now())
    type(sophie).objects.filter(pk=sophie.pk).update(is_active=False)
    ListMessageFactory(thread=ListThreadFactory(mailing_list=network), published_at=during)
    assert send_weekly(monday) == []
    assert not smtp_server.messages


def test_digests_left_behind_by_a_dead_worker_go_out_with_the_sweep(
    smtp_server, network, readers, monday, during
):
    from maillage.mailing import tasks

    ListMessageFactory(thread=ListThreadFactory(mailing_list=network), published_at=during)
    made = digests.create_due_digests(monday)
    assert len(made) == 2
    # The worker died before sending. Running the 07:00 task again hands nothing out twice…
    assert digests.create_due_digests(monday + timedelta(minutes=10)) == []
    # …and the sweep leaves the rows to their batch until its claim has passed.
    tasks.send_due_mail()
    assert not smtp_server.messages
    Digest.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    tasks.send_due_mail()
    smtp_server.wait_for(2)
    tasks.send_due_mail()
    assert len(smtp_server.messages) == 2
    assert set(Digest.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
