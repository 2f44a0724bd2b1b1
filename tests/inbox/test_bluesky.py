"""Mentions of and replies to the institution's Bluesky account become questions (the atproto
SDK against the real local server answering as a PDS does), read once, from the last one's
indexedAt; the answer goes back threaded under the question (reply root and parent)."""

from __future__ import annotations

from typing import Any

import pytest

from maillage.inbox.channels import BlueskyConversation, conversation_for
from maillage.inbox.models import AnswerKind, AnswerState, ChannelReading, Question, QuestionChannel
from maillage.inbox.services import answers, networks
from maillage.voices.crypto import encrypt_credentials
from maillage.voices.models import Channel
from tests.factories import ChannelFactory
from tests.inbox.conftest import Museum
from tests.voices.fake_apis import FakeBluesky

MUSEUM_POST = "at://did:plc:museumexample/app.bsky.feed.post/3kmuseum"


def notification(
    key: str, *, reason: str, handle: str, name: str, text: str, at: str, **record: Any
) -> dict[str, Any]:
    return {
        "uri": f"at://did:plc:{key}/app.bsky.feed.post/3l{key}",
        "cid": f"bafyrei{key}",
        "author": {"did": f"did:plc:{key}", "handle": handle, "displayName": name},
        "reason": reason,
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": f"{at}.000Z",
            **record,
        },
        "isRead": False,
        "indexedAt": f"{at}.500Z",
    }


LEA = notification(
    "lea",
    reason="mention",
    handle="lea.bsky.social",
    name="Léa",
    text="@museum.bsky.example Quel est cet insecte vert et brillant dans mon jardin ?",
    at="2014-04-02T08:30:00",
)
THREAD = {
    "root": {"uri": MUSEUM_POST, "cid": "bafyreimuseum"},
    "parent": {"uri": MUSEUM_POST, "cid": "bafyreimuseum"},
}
YVES = notification(
    "yves",
    reason="reply",
    handle="yves.bsky.social",
    name="Yves",
    text="Comment monte-t-on un squelette de baleine ?",
    at="2014-04-02T09:00:00",
    reply=THREAD,
)
LIKE = {
    **notification(
        "zoe",
        reason="like",
        handle="zoe.bsky.social",
        name="Zoé",
        text="",
        at="2014-04-02T09:30:00",
    )
}


def post_view(item: dict[str, Any]) -> dict[str, Any]:
    """The notification's post as getPosts shows it."""
    keys = ("uri", "cid", "author", "record", "indexedAt")
    return {key: item[key] for key in keys}


def ref(value: dict[str, Any]) -> dict[str, Any]:
    return {key: value[key] for key in ("uri", "cid")}


def bluesky(museum: Museum, fake: FakeBluesky) -> Channel:
    channel = ChannelFactory(
        space=museum.space,
        kind="bluesky",
        name="Bluesky du muséum",
        base_url=fake.base_url,
        account=fake.handle,
    )
    channel.credentials = encrypt_credentials({"app_password": fake.password})
    channel.save()
    return channel


def test_mentions_and_replies_become_questions_read_once_and_answered_in_the_thread(
    http_server: Any, museum: Museum, committed: Any
) -> None:
    fake = FakeBluesky(http_server).install()
    fake.notifications = [LIKE, YVES, LEA]  # newest first, as the PDS sorts them
    channel = bluesky(museum, fake)
    assert networks.channels_to_read() == [channel.pk]
    assert networks.read_mentions(channel_id=channel.pk) == 2
    assert "reasons=mention" in fake.notification_requests[0]
    insect, whale = Question.objects.order_by("received_at")
    assert insect.channel == QuestionChannel.CONNECTOR and insect.source_channel == channel
    assert insect.body == "Quel est cet insecte vert et brillant dans mon jardin ?"
    assert insect.asker_handle == "@lea.bsky.social" and insect.asker_name == "Léa"
    assert insect.remote_id == LEA["uri"]
    assert insect.remote_url == "https://bsky.app/profile/lea.bsky.social/post/3llea"
    assert insect.received_at.isoformat() == "2014-04-02T08:30:00+00:00"
    assert whale.asker_handle == "@yves.bsky.social" and whale.remote_id == YVES["uri"]
    assert insect.assignee == museum.camille and whale.assignee == museum.lucie
    assert ChannelReading.objects.get(channel=channel).last_remote_id == YVES["indexedAt"]

    # Read again: nothing new, from the channel itself as from the inbox.
    channel.refresh_from_db()
    conversation = conversation_for(channel)
    assert conversation is not None
    assert conversation.mentions(since_id=YVES["indexedAt"]) == []
    assert networks.read_mentions(channel_id=channel.pk) == 0
    assert Question.objects.count() == 2
    assert (fake.sessions, fake.refreshes) == (1, 0)

    # Camille answers a mention: the question's post is root and parent.
    fake.posts = {item["uri"]: post_view(item) for item in (LEA, YVES)}
    with committed():
        answer = answers.write_answer(
            question=insect,
            user=museum.camille.user,
            kind=AnswerKind.CHANNEL,
            body="Un carabe doré : il mange les limaces, gardez-le !",
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT, answer.error
    created = fake.records[-1]
    assert created["repo"] == fake.did
    record = created["record"]
    assert record["text"] == "Un carabe doré : il mange les limaces, gardez-le !"
    lea = {"uri": LEA["uri"], "cid": LEA["cid"]}
    assert ref(record["reply"]["root"]) == lea and ref(record["reply"]["parent"]) == lea
    assert answer.remote_url.startswith(f"https://bsky.app/profile/{fake.handle}/post/")

    # Lucie answers a reply in a thread: its root stays the museum's post.
    with committed():
        answer = answers.write_answer(
            question=whale,
            user=museum.lucie.user,
            kind=AnswerKind.CHANNEL,
            body="Vertèbre après vertèbre, sur une armature d’acier : https://museum.example/baleine",
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT, answer.error
    record = fake.records[-1]["record"]
    assert ref(record["reply"]["root"]) == THREAD["root"]
    assert ref(record["reply"]["parent"]) == {"uri": YVES["uri"], "cid": YVES["cid"]}
    assert record["facets"][0]["features"][0]["uri"] == "https://museum.example/baleine"
    assert fake.sessions == 1


def test_new_mentions_are_read_back_across_pages_until_the_last_one_read(
    http_server: Any, museum: Museum, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeBluesky(http_server).install()
    fake.notifications = [LEA]
    channel = bluesky(museum, fake)
    assert networks.read_mentions(channel_id=channel.pk) == 1
    later = [
        notification(
            key,
            reason="mention",
            handle=f"{key}.bsky.social",
            name=key.title(),
            text=f"@museum.bsky.example Question {key} sur les herbiers ?",
            at=at,
        )
        for key, at in (("marc", "2014-04-03T10:00:00"), ("anne", "2014-04-03T11:00:00"))
    ]
    fake.notifications = [*reversed(later), LEA]
    monkeypatch.setattr(BlueskyConversation, "page_size", 1)
    fake.notification_requests.clear()
    assert networks.read_mentions(channel_id=channel.pk) == 2
    # Three pages: Anne, Marc, then Léa, already read, where the reading stops.
    assert len(fake.notification_requests) == 3
    assert ChannelReading.objects.get(channel=channel).last_remote_id == later[1]["indexedAt"]
    assert Question.objects.count() == 3


def test_an_expired_token_while_reading_is_refreshed(http_server: Any, museum: Museum) -> None:
    fake = FakeBluesky(http_server).install()
    channel = bluesky(museum, fake)
    assert networks.read_mentions(channel_id=channel.pk) == 0
    fake.expire_access()
    fake.notifications = [LEA]
    assert networks.read_mentions(channel_id=channel.pk) == 1
    assert (fake.sessions, fake.refreshes) == (1, 1)
    assert ChannelReading.objects.get(channel=channel).error == ""
