"""The strategy canvas and the channels: every save makes a new version of the strategy, and
no channel is added before the people it is for ("strategy before the tool")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.db import lock_for_update
from maillage.voices import permissions
from maillage.voices.connectors import connector_class
from maillage.voices.crypto import encrypt_credentials
from maillage.voices.models import (
    Audience,
    Channel,
    Goal,
    KeyMessage,
    Space,
    StrategyVersion,
    Voice,
)
from maillage.voices.services import NotAllowed, StrategyFirst, VoicesError

if TYPE_CHECKING:
    from maillage.members.models import User


class ChannelInvalid(VoicesError):
    pass


@dataclass(frozen=True)
class Readiness:
    """What the strategy still lacks before a channel can be added."""

    audiences: int
    messages: int

    @property
    def ready_for_channels(self) -> bool:
        return self.audiences > 0 and self.messages > 0

    @property
    def missing(self) -> list[str]:
        missing = []
        if not self.audiences:
            missing.append(str(_("at least one audience: who you want to reach")))
        if not self.messages:
            missing.append(str(_("at least one key message: what you want to tell them")))
        return missing


def readiness(space: Space) -> Readiness:
    return Readiness(
        audiences=space.audiences.filter(archived=False).count(),
        messages=space.key_messages.filter(archived=False, audience__archived=False).count(),
    )


def snapshot(space: Space) -> dict[str, Any]:
    """The strategy as it stands: what a version keeps, and what the post editor shows."""
    audiences = list(space.audiences.filter(archived=False).prefetch_related("messages"))
    channels = list(space.channels.filter(active=True).prefetch_related("audiences"))
    return {
        "goals": [
            {"text": goal.text, "strategy_line": goal.strategy_line} for goal in space.goals.all()
        ],
        "audiences": [
            {
                "id": audience.pk,
                "name": audience.name,
                "who": audience.who,
                "cares_about": audience.cares_about,
                "where_online": audience.where_online,
                "rough_size": audience.rough_size,
                "messages": [
                    {"id": message.pk, "text": message.text}
                    for message in audience.messages.all()
                    if not message.archived
                ],
            }
            for audience in audiences
        ],
        "tone_guidelines": space.tone_guidelines,
        "charter": space.charter,
        "charter_revision": space.charter_revision,
        "channels": [
            {
                "id": channel.pk,
                "name": channel.name,
                "kind": channel.kind,
                "target_per_week": channel.target_per_week,
                "audiences": [audience.pk for audience in channel.audiences.all()],
            }
            for channel in channels
        ],
    }


def _new_version(space: Space, by: User | None, change: str) -> StrategyVersion:
    lock_for_update(Space.objects.filter(pk=space.pk)).get()
    number = (space.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return StrategyVersion.objects.create(
        space=space,
        number=number,
        snapshot=snapshot(space),
        change=change[:200],
        created_by=by,
        created_at=timezone.now(),
    )


@transaction.atomic
def ensure_first_version(*, space: Space, by: User | None) -> StrategyVersion:
    version = current_version(space)
    return version or _new_version(space, by, str(_("Space opened")))


def current_version(space: Space) -> StrategyVersion | None:
    return space.versions.order_by("-number").first()


def _check(space: Space, by: User) -> None:
    if not permissions.can_edit_strategy(space, by):
        raise NotAllowed()


@transaction.atomic
def save_goal(
    *, space: Space, by: User, text: str, strategy_line: str, goal: Goal | None = None
) -> Goal:
    _check(space, by)
    goal = goal or Goal(space=space, position=space.goals.count())
    goal.text, goal.strategy_line = text.strip(), strategy_line.strip()
    goal.full_clean()
    goal.save()
    _new_version(space, by, str(_("Goal: %(text)s")) % {"text": goal.text})
    return goal


@transaction.atomic
def save_audience(
    *, space: Space, by: User, audience: Audience | None = None, **values: Any
) -> Audience:
    _check(space, by)
    audience = audience or Audience(space=space, position=space.audiences.count())
    for name in ("name", "who", "cares_about", "where_online", "rough_size"):
        if name in values:
            setattr(audience, name, str(values[name]).strip())
    audience.full_clean()
    audience.save()
    _new_version(space, by, str(_("Audience: %(name)s")) % {"name": audience.name})
    return audience


@transaction.atomic
def save_key_message(
    *,
    space: Space,
    by: User,
    audience: Audience,
    text: str,
    message: KeyMessage | None = None,
) -> KeyMessage:
    _check(space, by)
    if audience.space_id != space.pk:
        raise NotAllowed()
    message = message or KeyMessage(space=space, position=audience.messages.count())
    message.audience, message.text = audience, text.strip()
    message.full_clean()
    message.save()
    _new_version(space, by, str(_("Key message: %(text)s")) % {"text": message.text})
    return message


@transaction.atomic
def archive(*, space: Space, by: User, item: Audience | KeyMessage) -> None:
    """Audiences and messages are archived, not deleted: past posts keep pointing at them."""
    _check(space, by)
    if item.space_id != space.pk:
        raise NotAllowed()
    item.archived = True
    item.save(update_fields=["archived"])
    _new_version(space, by, str(_("Archived: %(item)s")) % {"item": item})


@transaction.atomic
def delete_goal(*, space: Space, by: User, goal: Goal) -> None:
    _check(space, by)
    if goal.space_id != space.pk:
        raise NotAllowed()
    text = goal.text
    goal.delete()
    _new_version(space, by, str(_("Goal removed: %(text)s")) % {"text": text})


@transaction.atomic
def save_charter_and_tone(*, space: Space, by: User, charter: str, tone_guidelines: str) -> Space:
    """A changed charter has a new revision: voices accept it again before posting directly."""
    _check(space, by)
    locked = lock_for_update(Space.objects.filter(pk=space.pk)).get()
    if charter.strip() != locked.charter.strip():
        locked.charter_revision += 1
    locked.charter = charter.strip()
    locked.tone_guidelines = tone_guidelines.strip()
    locked.save(update_fields=["charter", "charter_revision", "tone_guidelines"])
    _new_version(locked, by, str(_("Charter and tone")))
    space.refresh_from_db()
    return locked


@transaction.atomic
def save_channel(
    *,
    space: Space,
    by: User,
    kind: str,
    name: str,
    audiences: Iterable[Audience],
    target_per_week: int,
    base_url: str = "",
    account: str = "",
    credentials: dict[str, str] | None = None,
    voice: Voice | None = None,
    channel: Channel | None = None,
) -> Channel:
    """Add or change a channel: only once the strategy names an audience and a message, and
    only for audiences of that strategy (at least one)."""
    if not permissions.can_manage_channels(space, by):
        raise NotAllowed()
    if not readiness(space).ready_for_channels:
        raise StrategyFirst()
    audiences = list(audiences)
    if not audiences:
        raise ChannelInvalid(_("Say which audiences this channel serves: that is why it exists."))
    if any(audience.space_id != space.pk or audience.archived for audience in audiences):
        raise NotAllowed()
    connector = connector_class(kind)
    if connector is None:
        raise ChannelInvalid(_("This kind of channel cannot be added yet."))
    if connector.needs_server and not base_url and kind != "bluesky":
        raise ChannelInvalid(_("Give the server's address."))
    if voice is not None and voice.space_id != space.pk:
        raise NotAllowed()
    channel = channel or Channel(space=space, max_length=connector.default_max_length)
    channel.kind, channel.name = kind, name.strip()
    channel.target_per_week = target_per_week
    channel.base_url, channel.account = base_url.strip(), account.strip()
    channel.voice = voice
    given = {key: value for key, value in (credentials or {}).items() if value}
    if given:
        channel.credentials = encrypt_credentials(given)
    channel.full_clean()
    channel.save()
    channel.audiences.set(audiences)
    _new_version(space, by, str(_("Channel: %(name)s")) % {"name": channel.name})
    return channel
