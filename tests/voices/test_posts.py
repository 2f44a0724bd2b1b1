"""The state machine of posts under the institution's review policy, publishing on schedule,
failures and retries, deadlines ("silence means yes" or escalation), sampling, reposts."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maillage.core import review as core_review
from maillage.core.review import ReviewRecord, ReviewState
from maillage.voices import tasks
from maillage.voices.crypto import encrypt_credentials
from maillage.voices.models import DeliveryState, Post, PostState
from maillage.voices.services import InvalidTransition, NotAllowed, posts, publishing
from tests.factories import ChannelFactory, VoiceFactory
from tests.voices.conftest import Museum
from tests.voices.fake_apis import Failure, FakeMastodon

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def write(museum: Museum, voice: Any = None, *, tags: str = "entomologie", **values: Any) -> Post:
    voice = voice or museum.camille
    defaults: dict[str, Any] = {
        "text": "Ce matin en réserve : un carabe doré de 1893.",
        "channels": [museum.site],
        "audience": museum.audience,
        "key_message": museum.message,
        "tone": "behind_the_scenes",
        "tags": tags,
    }
    defaults.update(values)
    return posts.save_draft(voice=voice, by=voice.user, **defaults)


def test_within_expertise_a_trained_voice_publishes_at_once(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    post = write(museum)
    assert post.state == PostState.DRAFT
    assert post.strategy_version is not None
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(post=post, by=museum.camille.user, rng=random.Random(99))  # noqa: S311
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert post.review_reasons == ["trusted_author", "within_expertise"]
    assert post.published_at is not None
    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.remote_url.endswith(post.get_absolute_url())
    assert list(Post.objects.on_site()) == [post]


def test_outside_expertise_the_post_is_held_with_a_deadline_in_working_hours(
    museum: Museum,
) -> None:
    post = write(museum, tags="minéralogie")
    wednesday = datetime(2014, 3, 26, 16, 30, tzinfo=PARIS)
    posts.submit(post=post, by=museum.camille.user, now=wednesday)
    post.refresh_from_db()
    assert post.state == PostState.HELD
    assert post.review_reasons == ["outside_expertise"]
    assert post.review_deadline == datetime(2014, 3, 27, 10, 30, tzinfo=PARIS)
    record = ReviewRecord.objects.for_content(post).get()
    assert record.state == ReviewState.PENDING
    # The reason, in words, for the author.
    assert "outside the author’s declared expertise" in core_review.describe_decision(
        post.review_action, post.review_reasons
    )


def test_untrained_voices_and_watch_words_are_held(museum: Museum) -> None:
    untrained = write(museum, museum.yann, tags="médiation")
    posts.submit(post=untrained, by=museum.yann.user)
    assert untrained.state == PostState.HELD
    assert "training_not_done" in untrained.review_reasons

    museum.space.watch_words = "grève\nfermeture"
    museum.space.save()
    worded = write(museum, text="Fermeture exceptionnelle de la galerie des insectes.")
    posts.submit(post=worded, by=museum.camille.user)
    assert worded.state == PostState.HELD
    assert "watch_word" in worded.review_reasons


def test_a_reviewer_approves_then_it_publishes_on_schedule(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    later = timezone.now() + timedelta(hours=3)
    post = write(museum, tags="minéralogie", scheduled_for=later)
    posts.submit(post=post, by=museum.camille.user)
    record = ReviewRecord.objects.for_content(post).get()

    with pytest.raises(core_review.ReviewNotAllowed):
        core_review.approve(record=record, by=museum.yann.user)

    with django_capture_on_commit_callbacks(execute=True):
        core_review.approve(record=record, by=museum.reviewer)
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED  # its time has not come

    assert publishing.publish_due() == 0
    assert publishing.publish_due(now=later + timedelta(minutes=1)) == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    # Idempotent: nothing more to do.
    assert publishing.publish_due(now=later + timedelta(minutes=2)) == 0
    assert post.deliveries.get().attempts == 1


def test_a_rejected_post_tells_why_and_can_be_edited_and_submitted_again(museum: Museum) -> None:
    post = write(museum, tags="minéralogie")
    posts.submit(post=post, by=museum.camille.user)
    record = ReviewRecord.objects.for_content(post).get()
    core_review.reject(
        record=record, by=museum.editor, reason="Vérifions d’abord avec la conservatrice."
    )
    post.refresh_from_db()
    assert post.state == PostState.REJECTED
    assert post.decision_note == "Vérifions d’abord avec la conservatrice."

    edited = write(museum, post=post, tags="entomologie")
    assert edited.state == PostState.DRAFT
    posts.submit(post=edited, by=museum.camille.user)
    assert edited.state in (PostState.SCHEDULED, PostState.PUBLISHED)


def test_editing_a_held_post_withdraws_it_from_the_queue(museum: Museum) -> None:
    post = write(museum, tags="minéralogie")
    posts.submit(post=post, by=museum.camille.user)
    write(museum, post=post, text="Autre texte")
    record = ReviewRecord.objects.for_content(post).get()
    assert record.state == ReviewState.REJECTED
    assert post.state == PostState.DRAFT


def test_server_side_checks_of_a_draft(museum: Museum) -> None:
    mastodon = ChannelFactory(space=museum.space, kind="mastodon", name="Mastodon", max_length=500)
    museum.camille.channels.add(mastodon)
    with pytest.raises(ValidationError) as too_long:
        write(museum, channels=[mastodon], text="x" * 480, link="https://museum.example/une-page")
    assert (
        "Too long for Mastodon: 504 characters out of 500." in too_long.value.message_dict["text"]
    )
    # The same text with a link counted as 23 characters fits within 500 once shorter.
    write(
        museum,
        channels=[mastodon],
        text="x" * 476,
        link="https://museum.example/une-page-bien-longue",
    )

    image = SimpleUploadedFile("carabe.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    with pytest.raises(ValidationError) as no_alt:
        write(museum, image=image, image_alt="")
    assert "image_alt" in no_alt.value.message_dict

    other = ChannelFactory(space=museum.space, name="Pas pour elle")
    with pytest.raises(ValidationError) as not_allowed:
        write(museum, channels=[other])
    assert "channels" in not_allowed.value.message_dict

    with pytest.raises(NotAllowed):
        posts.save_draft(
            voice=museum.camille, by=museum.yann.user, text="x", channels=[museum.site]
        )


def mastodon_for(museum: Museum, fake: FakeMastodon) -> Any:
    channel = ChannelFactory(
        space=museum.space,
        kind="mastodon",
        name="Mastodon du muséum",
        base_url=fake.base_url,
        max_length=500,
        credentials=encrypt_credentials({"access_token": fake.token}),
    )
    museum.camille.channels.add(channel)
    return channel


def test_a_failed_channel_shows_its_error_and_a_retry_publishes(
    museum: Museum, http_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    channel = mastodon_for(museum, fake)
    fake.fail_next.append(Failure(422, {"error": "Validation failed: Text can't be blank"}))
    post = write(museum, channels=[museum.site, channel])
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(post=post, by=museum.camille.user)
    post.refresh_from_db()
    assert post.state == PostState.FAILED
    failed = post.deliveries.get(channel=channel)
    assert failed.state == DeliveryState.FAILED
    assert "Text can't be blank" in failed.error
    assert post.deliveries.get(channel=museum.site).state == DeliveryState.PUBLISHED

    with pytest.raises(NotAllowed):
        publishing.retry(post=post, by=museum.yann.user)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.retry(post=post, by=museum.camille.user)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert len(fake.statuses) == 1
    with pytest.raises(InvalidTransition):
        publishing.retry(post=post, by=museum.camille.user)


def test_a_rate_limit_waits_for_the_reset_then_publishes(
    museum: Museum, http_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    channel = mastodon_for(museum, fake)
    fake.fail_next.append(Failure(429, {"error": "Too many requests"}))
    post = write(museum, channels=[channel])
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(post=post, by=museum.camille.user)
    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert post.state == PostState.SCHEDULED
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now()
    assert publishing.publish_due() == 0
    assert publishing.publish_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED


def test_transient_errors_are_retried_then_the_post_fails(museum: Museum, http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    channel = mastodon_for(museum, fake)
    fake.fail_next.extend(
        Failure(503, {"error": "Unavailable"}) for _ in range(publishing.MAX_ATTEMPTS)
    )
    post = write(museum, channels=[channel])
    posts.submit(post=post, by=museum.camille.user)
    now = timezone.now()
    for _attempt in range(publishing.MAX_ATTEMPTS):
        publishing.publish_post(post_id=post.pk, now=now)
        now += timedelta(days=1)
    post.refresh_from_db()
    assert post.state == PostState.FAILED
    assert post.deliveries.get().attempts == publishing.MAX_ATTEMPTS


def test_silence_means_yes_after_the_deadline_once(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    post = write(museum, tags="minéralogie")
    posts.submit(post=post, by=museum.camille.user)
    post.refresh_from_db()
    assert publishing.handle_deadlines(now=post.review_deadline - timedelta(minutes=1)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.handle_deadlines(now=post.review_deadline + timedelta(minutes=1)) == (
            1,
            0,
        )
    assert publishing.handle_deadlines(now=post.review_deadline + timedelta(minutes=2)) == (0, 0)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    assert ReviewRecord.objects.for_content(post).get().state == ReviewState.EXPIRED_PUBLISHED


def test_escalation_tells_the_administrators_once(
    museum: Museum, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    museum.space.on_silence = "escalate"
    museum.space.save()
    post = write(museum, tags="minéralogie")
    posts.submit(post=post, by=museum.camille.user)
    post.refresh_from_db()
    late = post.review_deadline + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.handle_deadlines(now=late) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_review_deadlines()
    post.refresh_from_db()
    assert post.state == PostState.HELD and post.escalated_at == late
    [mail] = smtp_server.messages
    assert mail.envelope_to == ["alice@example.org"]
    assert post.get_absolute_url() in mail.text()


def test_a_sampled_post_gets_a_word_not_a_punishment(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    museum.space.sample_rate = 100
    museum.space.save()
    post = write(museum)
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(post=post, by=museum.camille.user)
    record = ReviewRecord.objects.for_content(post).get()
    assert record.state == ReviewState.SAMPLED
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    core_review.approve(record=record, by=museum.reviewer, note="Très bien, la photo aurait plu.")
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    record.refresh_from_db()
    assert record.resolution_note == "Très bien, la photo aurait plu."


def test_the_institution_reposts_crediting_the_voice(
    museum: Museum, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    post = write(museum)
    with django_capture_on_commit_callbacks(execute=True):
        posts.submit(post=post, by=museum.camille.user)
    post.refresh_from_db()
    with pytest.raises(NotAllowed):
        posts.repost(post=post, by=museum.reviewer, channels=[museum.site])
    with django_capture_on_commit_callbacks(execute=True):
        shared = posts.repost(post=post, by=museum.editor, channels=[museum.site])
    shared.refresh_from_db()
    assert shared.repost_of == post
    assert shared.voice == museum.camille
    assert shared.text.endswith("— By Camille Le Goff, chargée des collections d’entomologie")
    assert shared.state == PostState.PUBLISHED
    with pytest.raises(InvalidTransition):
        posts.repost(post=shared, by=museum.editor, channels=[museum.site])


def test_nobody_reviews_their_own_post(museum: Museum) -> None:
    reviewer_voice = VoiceFactory(space=museum.space, user=museum.reviewer, membership="reviewer")
    reviewer_voice.channels.set([museum.site])
    post = write(museum, reviewer_voice, tags="minéralogie")
    posts.submit(post=post, by=museum.reviewer)
    record = ReviewRecord.objects.for_content(post).get()
    with pytest.raises(core_review.OwnContent):
        core_review.approve(record=record, by=museum.reviewer)
    core_review.approve(record=record, by=museum.editor)


def test_nothing_but_drafts_and_rejected_posts_are_submitted(museum: Museum) -> None:
    post = write(museum, tags="minéralogie")
    posts.submit(post=post, by=museum.camille.user)
    with pytest.raises(InvalidTransition):
        posts.submit(post=post, by=museum.camille.user)
    with pytest.raises(NotAllowed):
        posts.submit(post=write(museum), by=museum.yann.user)
