"""The author of a rejected contribution is told why, by email, through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from maillage.core import review
from maillage.members.models import User
from tests.factories import ProfileLinkFactory, ReviewRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_NAME = "Doc@Rennes"
    settings.SITE_URL = "https://docarennes.example"
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"


def test_the_member_reads_the_reason(
    smtp_server: Any,
    held: Any,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review.reject(record=held, by=coordinator, reason="Le lien ne mène nulle part.")
    [mail] = smtp_server.to("camille@example.org")
    assert mail.message["From"] == '"Doc@Rennes" <noreply@docarennes.example>'
    assert mail.subject == "Your contribution was not published · Doc@Rennes"
    text = mail.text()
    assert "Hello Camille Martin," in text
    assert "Le blog de Camille — https://camille.example/" in text
    assert "Le lien ne mène nulle part." in text
    assert "https://docarennes.example" in text


def test_in_french(
    smtp_server: Any, held: Any, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        review.reject(record=held, by=coordinator, reason="Hors sujet.")
    [mail] = smtp_server.to("camille@example.org")
    assert mail.subject.strip() == "Votre contribution n’a pas été publiée · Doc@Rennes"
    assert "Bonjour Camille Martin," in mail.text()
    assert "La raison donnée\u00a0:" in mail.text()


def test_a_guest_is_told_at_their_address(
    smtp_server: Any,
    coordinator: User,
    reviewable_links: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    record = ReviewRecordFactory(
        target=ProfileLinkFactory(), author=None, guest_email="invite@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        review.reject(record=record, by=coordinator, reason="Publicité.")
    [mail] = smtp_server.to("invite@example.org")
    assert "Hello," in mail.text()
    assert "Publicité." in mail.text()


def test_spam_and_approval_send_nothing(
    smtp_server: Any, held: Any, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    other = ReviewRecordFactory(author=held.author)
    with django_capture_on_commit_callbacks(execute=True):
        review.mark_spam(record=held, by=coordinator)
        review.approve(record=other, by=coordinator)
    assert smtp_server.messages == []
