"""The sources' models in the administration: coordinators list and open each of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    DiscoveryFactory,
    FeedEntryFactory,
    KeptEntryFactory,
    ReadEntryFactory,
    ReadUpToFactory,
    SourceSubscriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_coordinators_browse_every_model(client: Client) -> None:
    coordinator = UserFactory(role="coordinator", is_staff=True)
    subscription = SourceSubscriptionFactory()
    entry = FeedEntryFactory(feed=subscription.feed)
    objects = [
        subscription.feed,
        subscription,
        entry,
        ReadEntryFactory(entry=entry),
        ReadUpToFactory(feed=subscription.feed),
        KeptEntryFactory(entry=entry),
        DiscoveryFactory(),
    ]
    client.force_login(coordinator)
    for obj in objects:
        meta = obj._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(change).status_code == 200, change
        assert str(obj)
