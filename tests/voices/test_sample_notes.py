"""A reviewer's word on a sampled post reaches its voice by email (real SMTP), in the
reviewer's language, with the post's link, once; held posts and notes left empty send nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core import review as core_review
from maillage.core.review import ReviewRecord, ReviewState
from maillage.voices.models import Post
from maillage.voices.services import posts
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db

NOTE = "Très bien\u202f; une photo du carabe aurait plu\u202f!"


@pytest.fixture
def site(settings: Any) -> None:
    settings.SITE_URL = "https://docarennes.example"
    settings.SITE_NAME = "Doc@Rennes"


def submitted(museum: Museum, *, tags: str) -> tuple[Post, ReviewRecord]:
    post = posts.save_draft(
        voice=museum.camille,
        by=museum.camille.user,
        text="Ce matin en réserve : un carabe doré de 1893.",
        channels=[museum.site],
        audience=museum.audience,
        key_message=museum.message,
        tone="behind_the_scenes",
        tags=tags,
    )
    posts.submit(post=post, by=museum.camille.user)
    return post, ReviewRecord.objects.for_content(post).get()


def approve(museum: Museum, record: ReviewRecord, note: str, language: str = "fr") -> Any:
    client = Client(headers={"Accept-Language": language})
    client.force_login(museum.reviewer)
    url = reverse("voices:approve", kwargs={"space": museum.space.slug, "pk": record.pk})
    return client.post(url, {"note": note})


def test_the_voice_reads_the_reviewers_note_on_a_sampled_post_once(
    museum: Museum, site: None, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    museum.space.sample_rate = 100
    museum.space.save()
    with django_capture_on_commit_callbacks(execute=True):
        post, record = submitted(museum, tags="entomologie")
    assert record.state == ReviewState.SAMPLED
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(museum, record, f"  {NOTE}\n")
    assert response.status_code == 302
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["camille@example.org"]
    assert (
        " ".join(mail.subject.split())
        == "Un mot de la relecture de votre publication dans Muséum des Landes"
    )
    text = mail.text().replace("\r\n", "\n")
    assert text.startswith("Bonjour Camille Le Goff,")
    assert "est partie aussitôt" in text
    assert f"Rose Relectrice a écrit\u00a0:\n\n{NOTE}\n" in text
    assert "https://docarennes.example" + post.get_absolute_url() in text
    post.refresh_from_db()
    assert post.decision_note == NOTE

    # Approved once: a second approval is refused and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        approve(museum, record, "Encore un mot.")
    record.refresh_from_db()
    assert record.resolution_note == NOTE
    with pytest.raises(core_review.AlreadyResolved):
        core_review.approve(record=record, by=museum.reviewer, note="Et un autre.")
    assert len(smtp_server.messages) == 1


def test_no_email_without_a_note_nor_for_a_held_post(
    museum: Museum, site: None, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    museum.space.sample_rate = 100
    museum.space.save()
    with django_capture_on_commit_callbacks(execute=True):
        _sampled, quiet = submitted(museum, tags="entomologie")
        _held, held = submitted(museum, tags="minéralogie")
    assert (quiet.state, held.state) == (ReviewState.SAMPLED, ReviewState.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        approve(museum, quiet, "  ")
        approve(museum, held, "Bien vu, publiée.")
    quiet.refresh_from_db()
    held.refresh_from_db()
    assert quiet.state == held.state == ReviewState.APPROVED
    assert held.resolution_note == "Bien vu, publiée."
    assert smtp_server.messages == []
