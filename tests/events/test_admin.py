"""The events admin: coordinators reach every page; statuses change through the services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.events.models import Event, EventStatus, RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(coordinator) -> Client:  # type: ignore[no-untyped-def]
    coordinator.is_staff = True
    coordinator.save()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(coordinator)
    return client


def test_every_events_admin_page_opens_for_a_coordinator(admin_client, event):
    registration = RegistrationFactory(event=event)
    for name in ("event", "registration", "sentnotification", "calendarfeedtoken"):
        response = admin_client.get(reverse(f"admin:events_{name}_changelist"))
        assert response.status_code == 200, name
    assert admin_client.get(reverse("admin:events_event_add")).status_code == 200
    assert (
        admin_client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200
    )
    url = reverse("admin:events_registration_change", args=[registration.pk])
    assert admin_client.get(url).status_code == 200


def test_members_do_not_reach_the_admin(event):
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:events_event_changelist")).status_code == 403


def test_publish_and_cancel_actions_go_through_the_services(admin_client, coordinator):
    draft = EventFactory(created_by=coordinator, status=EventStatus.DRAFT, published_at=None)
    url = reverse("admin:events_event_changelist")
    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED and draft.published_at
    admin_client.post(url, {"action": "cancel", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == EventStatus.CANCELLED and draft.ical_sequence == 1


def test_cancelling_registrations_from_the_admin_offers_their_places(admin_client, event):
    confirmed = RegistrationFactory.create_batch(3, event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING, confirmed_at=None)
    admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel", "_selected_action": [confirmed[0].pk]},
    )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED
