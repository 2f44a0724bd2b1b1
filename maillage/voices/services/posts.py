"""Posts and their states, named transitions only:

    draft ──submit──► held ──approve──► scheduled ──publish──► published
      ▲                 │                   ▲          └────────► failed ──retry──┘
      └──edit── rejected ◄──reject──┘       │
    draft ──submit (trusted, within expertise)──┘

The review decision (core.review with the institution's settings) is recorded with its reasons,
shown to the author. A held post has a deadline in working hours (see publishing.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.db import lock_for_update
from maillage.core.review import ReviewAction
from maillage.voices import permissions
from maillage.voices import review as post_review
from maillage.voices.connectors import connector_class
from maillage.voices.models import (
    Audience,
    Channel,
    ChannelKind,
    Delivery,
    KeyMessage,
    Post,
    PostState,
    Voice,
)
from maillage.voices.services import InvalidTransition, NotAllowed
from maillage.voices.services.strategy import current_version
from maillage.voices.services.voices import tags_for
from maillage.voices.working_hours import add_working_hours

if TYPE_CHECKING:
    from maillage.members.models import User


def allowed_channels(voice: Voice) -> list[Channel]:
    """The channels a voice may post to: those given to them, and their own accounts."""
    given = set(voice.channels.filter(active=True).values_list("pk", flat=True))
    own = set(voice.own_channels.filter(active=True).values_list("pk", flat=True))
    return list(Channel.objects.filter(pk__in=given | own).order_by("name"))


def length_errors(text: str, link: str, channels: Iterable[Channel]) -> list[str]:
    errors = []
    for channel in channels:
        connector = connector_class(channel.kind)
        if connector is None:
            continue
        length = connector.length(text, link)
        if length > channel.max_length:
            errors.append(
                str(
                    _("Too long for %(channel)s: %(length)d characters out of %(limit)d.")
                    % {"channel": channel.name, "length": length, "limit": channel.max_length}
                )
            )
    return errors


@transaction.atomic
def save_draft(
    *,
    voice: Voice,
    by: User,
    text: str,
    channels: Iterable[Channel],
    audience: Audience | None = None,
    key_message: KeyMessage | None = None,
    tone: str = "warm",
    tags: Iterable[str] | str = (),
    link: str = "",
    image: UploadedFile | None = None,
    image_alt: str = "",
    remove_image: bool = False,
    scheduled_for: datetime | None = None,
    post: Post | None = None,
) -> Post:
    """Create or change a draft (a held or rejected post goes back to draft when edited)."""
    space = voice.space
    if voice.user_id != by.pk or not permissions.is_member(space, by):
        raise NotAllowed()
    if post is not None and not permissions.can_edit_post(post, by):
        raise NotAllowed()
    channels = list(channels)
    allowed = {channel.pk for channel in allowed_channels(voice)}
    errors: dict[str, list[str]] = {}
    if any(channel.pk not in allowed for channel in channels):
        errors.setdefault("channels", []).append(
            str(_("You may not post to one of these channels."))
        )
    if audience is not None and audience.space_id != space.pk:
        raise NotAllowed()
    if key_message is not None and (
        key_message.space_id != space.pk
        or (audience is not None and key_message.audience_id != audience.pk)
    ):
        errors.setdefault("key_message", []).append(
            str(_("This key message is for another audience."))
        )
    too_long = length_errors(text, link, channels)
    if too_long:
        errors.setdefault("text", []).extend(too_long)
    has_image = bool(image) or bool(post and post.image and not remove_image)
    if has_image and not image_alt.strip():
        errors.setdefault("image_alt", []).append(
            str(_("Describe the image for people who cannot see it."))
        )
    if errors:
        raise ValidationError(errors)

    was_held = post is not None and post.state == PostState.HELD
    post = post or Post(space=space, voice=voice, author=by)
    post.text, post.link, post.image_alt = text.strip(), link.strip(), image_alt.strip()
    post.audience, post.key_message, post.tone = audience, key_message, tone
    post.scheduled_for = scheduled_for
    if remove_image and post.image:
        post.image.delete(save=False)
        post.image = ""
    if image:
        post.image = image
    post.state = PostState.DRAFT
    post.review_deadline = None
    post.strategy_version = current_version(space)
    post.full_clean(exclude=["image"])
    post.save()
    post.tags.set(tags_for(tags))
    _set_channels(post, channels)
    if was_held:
        _withdraw_from_review(post)
    return post


def _set_channels(post: Post, channels: list[Channel]) -> None:
    wanted = {channel.pk for channel in channels}
    post.deliveries.exclude(channel_id__in=wanted).delete()
    existing = set(post.deliveries.values_list("channel_id", flat=True))
    Delivery.objects.bulk_create(
        [Delivery(post=post, channel=channel) for channel in channels if channel.pk not in existing]
    )


def _withdraw_from_review(post: Post) -> None:
    """An edited held post leaves the queue: it is decided again when submitted again."""
    from maillage.core.review import ReviewRecord, ReviewState

    ReviewRecord.objects.for_content(post).filter(state=ReviewState.PENDING).update(
        state=ReviewState.REJECTED,
        resolved_at=timezone.now(),
        resolution_note=str(_("Withdrawn by the author to edit it.")),
    )


@transaction.atomic
def submit(*, post: Post, by: User, now: datetime | None = None, rng: Any = None) -> Post:
    """Ask the review policy: publish directly (scheduled), or hold for a reviewer."""
    locked = lock_for_update(Post.objects.filter(pk=post.pk)).select_related("space", "voice").get()
    if locked.author_id != by.pk:
        raise NotAllowed()
    if locked.state not in (PostState.DRAFT, PostState.REJECTED):
        raise InvalidTransition()
    if not locked.deliveries.exists():
        raise ValidationError({"channels": [str(_("Choose at least one channel."))]})
    now = now or timezone.now()
    decision = post_review.decide(locked)
    post_review.record(post=locked, decision=decision, rng=rng)
    locked.submitted_at = now
    locked.review_action = decision.action
    locked.review_reasons = list(decision.reasons)
    locked.decision_note = ""
    locked.escalated_at = None
    if locked.scheduled_for is None:
        locked.scheduled_for = now
    if decision.action == ReviewAction.HOLD:
        space = locked.space
        locked.state = PostState.HELD
        locked.review_deadline = add_working_hours(
            now,
            space.review_hours,
            days=space.working_weekdays(),
            day_start=space.working_day_start,
            day_end=space.working_day_end,
        )
        locked.decided_at = None
    elif decision.action == ReviewAction.REJECT:
        locked.state = PostState.REJECTED
        locked.decided_at = now
    else:
        locked.state = PostState.SCHEDULED
        locked.decided_at = now
    locked.save()
    if locked.state == PostState.SCHEDULED:
        queue_publication_if_due(locked)
    _copy(post, locked)
    return locked


def _copy(target: Post, source: Post) -> None:
    for name in (
        "state",
        "submitted_at",
        "review_action",
        "review_reasons",
        "review_deadline",
        "decided_at",
        "scheduled_for",
        "decision_note",
        "escalated_at",
    ):
        setattr(target, name, getattr(source, name))


def queue_publication_if_due(post: Post) -> None:
    if post.scheduled_for is not None and post.scheduled_for <= timezone.now():
        from maillage.voices.tasks import publish_post

        post_id = post.pk
        transaction.on_commit(lambda: publish_post(post_id))


# --- callbacks of core.review (the queue's approve / reject) --------------------------------


def approve_post(post: Any) -> None:
    """Held → scheduled (published at its time; at once if that time has passed)."""
    locked = lock_for_update(Post.objects.filter(pk=post.pk)).get()
    if locked.state != PostState.HELD:
        return  # a sampled post is already on its way: approving it is a word for the voice
    locked.state = PostState.SCHEDULED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_at", "updated_at"])
    queue_publication_if_due(locked)


def reject_post(post: Any, reason: str) -> None:
    """Held → not published, with the reviewer's reason for the author (who may edit it)."""
    locked = lock_for_update(Post.objects.filter(pk=post.pk)).get()
    locked.decision_note = reason
    if locked.state == PostState.HELD:
        locked.state = PostState.REJECTED
        locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_at", "decision_note", "updated_at"])


# --- the institution amplifies a voice -------------------------------------------------------


def credit_line(voice: Voice) -> str:
    return str(_("By %(name)s, %(title)s")) % {"name": voice.name, "title": voice.title}


@transaction.atomic
def repost(*, post: Post, by: User, channels: Iterable[Channel]) -> Post:
    """The institution shares a published post on its own channels, crediting the voice."""
    space = post.space
    if not permissions.can_repost(space, by):
        raise NotAllowed()
    if post.state != PostState.PUBLISHED or post.is_repost:
        raise InvalidTransition()
    channels = [
        channel
        for channel in channels
        if channel.space_id == space.pk and channel.voice_id is None and channel.active
    ]
    if not channels:
        raise ValidationError({"channels": [str(_("Choose at least one channel."))]})
    text = f"{post.text}\n— {credit_line(post.voice)}"
    too_long = length_errors(text, post.link, channels)
    if too_long:
        raise ValidationError({"channels": too_long})
    now = timezone.now()
    shared = Post.objects.create(
        space=space,
        voice=post.voice,
        author=by,
        text=text,
        link=post.link,
        image=post.image.name if post.image else "",
        image_alt=post.image_alt,
        audience=post.audience,
        key_message=post.key_message,
        tone=post.tone,
        scheduled_for=now,
        submitted_at=now,
        decided_at=now,
        state=PostState.SCHEDULED,
        review_action=ReviewAction.PUBLISH,
        review_reasons=["repost"],
        strategy_version=current_version(space),
        repost_of=post,
    )
    shared.tags.set(post.tags.all())
    _set_channels(shared, channels)
    queue_publication_if_due(shared)
    return shared


def institution_channels(space: Any) -> list[Channel]:
    return list(
        space.channels.filter(active=True, voice__isnull=True)
        .exclude(kind=ChannelKind.NEWSLETTER)
        .order_by("name")
    )
