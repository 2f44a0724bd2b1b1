"""Search, engagement read back by the hourly task, training attended at an event, the
invitation page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core import search
from maillage.voices import tasks
from maillage.voices.crypto import encrypt_credentials
from maillage.voices.models import Delivery
from maillage.voices.services import NotAllowed, posts
from maillage.voices.services import space as space_services
from maillage.voices.services import voices as voice_services
from tests.factories import ChannelFactory, EventFactory, RegistrationFactory, UserFactory
from tests.voices.conftest import Museum
from tests.voices.fake_apis import FakeMastodon

pytestmark = pytest.mark.django_db


def submit(museum: Museum, text: str, tags: str, channels: list[Any] | None = None) -> Any:
    post = posts.save_draft(
        voice=museum.camille,
        by=museum.camille.user,
        text=text,
        channels=channels or [museum.site],
        tags=tags,
    )
    return posts.submit(post=post, by=museum.camille.user)


def test_published_posts_are_found_held_ones_are_not(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        submit(museum, "Les coléoptères dorés sortent des réserves.", "entomologie")
        submit(museum, "Les météorites cachées du muséum.", "minéralogie")
    found = search.search(viewer=None, text="coléoptères")
    assert [hit.kind for hit in found.hits] == ["post"]
    assert search.search(viewer=None, text="météorites").total == 0
    assert search.search(viewer=museum.camille.user, text="météorites").total == 0


def test_engagement_is_read_back_from_the_channel(
    museum: Museum, http_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    channel = ChannelFactory(
        space=museum.space,
        kind="mastodon",
        base_url=fake.base_url,
        max_length=500,
        credentials=encrypt_credentials({"access_token": fake.token}),
    )
    museum.camille.channels.add(channel)
    with django_capture_on_commit_callbacks(execute=True):
        submit(museum, "Un carabe.", "entomologie", [channel])
    fake.counts.update(replies=4, reblogs=9, favourites=30)
    tasks.read_engagement.call_local()
    delivery = Delivery.objects.get(channel=channel)
    assert (delivery.replies, delivery.reposts, delivery.favourites) == (4, 9, 30)
    assert delivery.engagement_fetched_at is not None
    # Read again only after six hours.
    fake.counts.update(replies=5)
    tasks.read_engagement.call_local()
    delivery.refresh_from_db()
    assert delivery.replies == 4


def test_a_training_attended_counts_as_the_training(museum: Museum) -> None:
    training = EventFactory(kind="training", title="Les réseaux sociaux pour les agents")
    workshop = EventFactory(kind="workshop")
    RegistrationFactory(event=training, user=museum.yann.user, checked_in_at=timezone.now())
    RegistrationFactory(event=workshop, user=museum.yann.user, checked_in_at=timezone.now())
    with pytest.raises(voice_services.NotAttended):
        voice_services.record_training_attendance(
            voice=museum.yann, by=museum.editor, event=workshop
        )
    with pytest.raises(NotAllowed):
        voice_services.record_training_attendance(
            voice=museum.yann, by=museum.yann.user, event=training
        )
    voice = voice_services.record_training_attendance(
        voice=museum.yann, by=museum.editor, event=training
    )
    assert voice.trained and voice.training_event == training


def test_the_in_app_training_and_the_charter(museum: Museum) -> None:
    yann = museum.yann
    with pytest.raises(voice_services.TrainingNotPassed):
        voice_services.complete_training(voice=yann, by=yann.user, answers={"discretion": "a"})
    voice_services.complete_training(
        voice=yann, by=yann.user, answers=dict(voice_services.TRAINING_ANSWERS)
    )
    assert yann.trained
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(yann.user)
    response = client.post(
        reverse("voices:training", kwargs={"space": museum.space.slug}), {"accept_charter": "1"}
    )
    assert response.status_code == 302
    yann.refresh_from_db()
    assert yann.charter_accepted


def test_the_invitation_page(museum: Museum) -> None:
    _invitation, token = space_services.invite(
        space=museum.space, by=museum.admin, email="lea@example.org", role="reviewer"
    )
    client = Client(headers={"Accept-Language": "en"})
    address = reverse("voices:accept", kwargs={"token": token})
    assert "Log in" in client.get(address).content.decode()
    lea = UserFactory(email="lea@example.org")
    client.force_login(lea)
    response = client.post(address)
    assert response.status_code == 302
    assert museum.space.memberships.get(user=lea).role == "reviewer"
    assert client.get(address).status_code == 410


def test_a_manager_records_the_training_attended_from_the_voice_page(museum: Museum) -> None:
    training = EventFactory(kind="training", title="Les réseaux sociaux pour les agents")
    RegistrationFactory(event=training, user=museum.yann.user, checked_in_at=timezone.now())
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(museum.editor)
    address = reverse(
        "voices:voice_edit", kwargs={"space": museum.space.slug, "pk": museum.yann.pk}
    )
    assert "Les réseaux sociaux pour les agents" in client.get(address).content.decode()
    response = client.post(
        address,
        {
            "title": "médiateur",
            "expertise": "médiation",
            "public": "on",
            "training_event": training.pk,
        },
    )
    assert response.status_code == 302
    museum.yann.refresh_from_db()
    assert museum.yann.training_event == training and museum.yann.trained
