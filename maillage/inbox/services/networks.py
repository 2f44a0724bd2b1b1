"""Replies and mentions read from the institution's network channels become questions."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from maillage.inbox.channels import conversation_for, reads_mentions
from maillage.inbox.models import ChannelReading
from maillage.inbox.services import questions
from maillage.voices.connectors.base import ConnectorError
from maillage.voices.models import Channel

logger = logging.getLogger(__name__)


def channels_to_read() -> list[int]:
    found = Channel.objects.filter(active=True).exclude(credentials="").order_by("pk")
    return [channel.pk for channel in found if reads_mentions(channel)]


def read_mentions(*, channel_id: int) -> int:
    """Take in the channel's new mentions as questions; how many. Idempotent: the cursor and
    each mention's identifier keep the same mention from coming in twice."""
    channel = Channel.objects.select_related("space", "voice").filter(pk=channel_id).first()
    if channel is None or not reads_mentions(channel):
        return 0
    reading, _created = ChannelReading.objects.get_or_create(channel=channel)
    try:
        conversation = conversation_for(channel)
        if conversation is None:
            return 0
        mentions = conversation.mentions(since_id=reading.last_remote_id or None)
    except ConnectorError as error:
        ChannelReading.objects.filter(pk=reading.pk).update(
            error=error.message[:2000], read_at=timezone.now()
        )
        logger.warning("Reading mentions of channel %s failed: %s", channel.pk, error.message)
        return 0
    taken = 0
    for mention in mentions:
        with transaction.atomic():
            question = questions.receive_mention(
                channel=channel,
                remote_id=mention.remote_id,
                text=mention.text,
                author_handle=mention.author_handle,
                author_name=mention.author_name,
                remote_url=mention.url,
                received_at=mention.created_at,
            )
            ChannelReading.objects.filter(pk=reading.pk).update(
                last_remote_id=mention.cursor or mention.remote_id,
                read_at=timezone.now(),
                error="",
            )
        if question is not None:
            taken += 1
    if not mentions:
        ChannelReading.objects.filter(pk=reading.pk).update(read_at=timezone.now(), error="")
    return taken
