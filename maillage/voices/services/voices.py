"""Voices: their page, expertise and channels; the charter accepted; the training done (the
short module here, or a training event attended)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Tag
from maillage.core.tags import split_tag_names, tag_slug
from maillage.events.models import Event, EventKind
from maillage.voices import permissions
from maillage.voices.models import Channel, Space, Voice
from maillage.voices.services import NotAllowed, VoicesError

if TYPE_CHECKING:
    from maillage.members.models import User


class TrainingNotPassed(VoicesError):
    default_message = _("Not quite: read the module again, the answers are in it.")


class NotAttended(VoicesError):
    default_message = _("This person was not checked in at that training.")


# The module's questions: (id, the right choice). Their texts are in the template.
TRAINING_ANSWERS = {"discretion": "b", "outside": "c", "crisis": "a"}


def tags_for(names: Iterable[str] | str) -> list[Tag]:
    tags = []
    for name in split_tag_names(names):
        tag, _created = Tag.objects.get_or_create(slug=tag_slug(name), defaults={"name": name})
        tags.append(tag)
    return tags


@transaction.atomic
def save_voice(
    *,
    space: Space,
    by: User,
    user: User,
    title: str,
    bio: str = "",
    expertise: Iterable[str] | str = (),
    channels: Iterable[Channel] = (),
    public: bool = True,
    voice: Voice | None = None,
) -> Voice:
    """Admins and editors set a voice's expertise and channels; a voice edits their own page
    but not what they may post about nor where."""
    manager = permissions.can_edit_strategy(space, by)
    if not manager and by.pk != user.pk:
        raise NotAllowed()
    if not permissions.is_member(space, user):
        raise NotAllowed()
    voice = (
        voice
        or Voice.objects.filter(space=space, user=user).first()
        or Voice(space=space, user=user)
    )
    voice.title, voice.bio, voice.public = title.strip(), bio.strip(), public
    voice.full_clean(exclude=["slug"])
    voice.save()
    if manager:
        voice.expertise.set(tags_for(expertise))
        chosen = [channel for channel in channels if channel.space_id == space.pk]
        voice.channels.set(chosen)
    return voice


@transaction.atomic
def accept_charter(*, voice: Voice, by: User) -> Voice:
    if voice.user_id != by.pk:
        raise NotAllowed()
    voice.charter_accepted_at = timezone.now()
    voice.charter_revision_accepted = voice.space.charter_revision
    voice.save(update_fields=["charter_accepted_at", "charter_revision_accepted"])
    return voice


@transaction.atomic
def complete_training(*, voice: Voice, by: User, answers: dict[str, str]) -> Voice:
    """The module's three questions answered right: the training is done."""
    if voice.user_id != by.pk:
        raise NotAllowed()
    if any(answers.get(key) != right for key, right in TRAINING_ANSWERS.items()):
        raise TrainingNotPassed()
    if voice.training_done_at is None:
        voice.training_done_at = timezone.now()
        voice.save(update_fields=["training_done_at"])
    return voice


@transaction.atomic
def record_training_attendance(*, voice: Voice, by: User, event: Event) -> Voice:
    """A training event of the network the voice was checked in at counts as the training."""
    if not permissions.can_edit_strategy(voice.space, by):
        raise NotAllowed()
    attended = (
        event.kind == EventKind.TRAINING
        and event.registrations.filter(user=voice.user, checked_in_at__isnull=False).exists()
    )
    if not attended:
        raise NotAttended()
    voice.training_event = event
    voice.training_done_at = voice.training_done_at or event.starts_at
    voice.save(update_fields=["training_event", "training_done_at"])
    return voice
