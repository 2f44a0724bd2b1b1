"""The demo's list: the network's and a topic list, threads from the seed's story, every
subscription mode; loading twice changes nothing, and nothing is sent."""

from __future__ import annotations

import pytest

from maillage.mailing.demo import load_mailing
from maillage.mailing.models import Delivery, MailingList, Message, Subscription, Thread
from maillage.members.demo import load_members

pytestmark = pytest.mark.django_db


def test_the_demo_list_loads_twice_the_same():
    load_members()
    first = load_mailing()
    counts = (
        MailingList.objects.count(),
        Thread.objects.count(),
        Message.objects.count(),
        Subscription.objects.count(),
    )
    assert load_mailing() == first
    assert counts == (
        MailingList.objects.count(),
        Thread.objects.count(),
        Message.objects.count(),
        Subscription.objects.count(),
    )
    network = MailingList.objects.get(is_network_list=True)
    assert network.local_part == "reseau"
    links = Thread.objects.get(subject__startswith="Liens pour aller plus loin")
    assert links.message_count == links.messages.count() == 4
    assert links.messages.filter(source="email").exists()
    assert set(Subscription.objects.values_list("mode", flat=True)) == {
        "every",
        "daily",
        "weekly",
        "web",
    }
    # Threaded as mail clients see it: each reply names its parent and the chain above.
    reply = links.messages.order_by("created_at")[3]
    assert reply.parent is not None
    assert reply.references.split()[-1] == reply.parent.message_id
    assert not Delivery.objects.exists()
