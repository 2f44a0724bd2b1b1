"""Mentions of the institution's Mastodon account become questions (Mastodon.py against the real
local server answering as the documented API), read once; the answer goes back as a public reply
mentioning the asker."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from maillage.core.text import html_to_text
from maillage.inbox.models import AnswerKind, AnswerState, ChannelReading, Question, QuestionChannel
from maillage.inbox.services import answers, networks
from maillage.voices.crypto import encrypt_credentials
from tests.factories import ChannelFactory
from tests.inbox.conftest import Museum
from tests.voices.fake_apis import FakeMastodon

MENTIONS = [
    {
        "id": "7001",
        "type": "mention",
        "created_at": "2014-04-02T08:30:00.000Z",
        "account": {
            "id": "42",
            "acct": "lea@example.social",
            "display_name": "Léa",
            "username": "lea",
        },
        "status": {
            "id": "9001",
            "created_at": "2014-04-02T08:30:00.000Z",
            "url": "https://example.social/@lea/9001",
            "content": '<p><span class="h-card"><a href="https://museum.example/@museum">'
            "@<span>museum</span></a></span> "
            "Quel est cet insecte vert et brillant dans mon jardin&#39;?</p>",
            "account": {"id": "42", "acct": "lea@example.social", "display_name": "Léa"},
        },
    },
    {
        "id": "7002",
        "type": "mention",
        "created_at": "2014-04-02T09:00:00.000Z",
        "account": {"id": "43", "acct": "yves@example.social", "display_name": "Yves"},
        "status": {
            "id": "9002",
            "created_at": "2014-04-02T09:00:00.000Z",
            "url": "https://example.social/@yves/9002",
            "content": "<p>@museum Comment monte-t-on un squelette de baleine ?</p>",
            "account": {"id": "43", "acct": "yves@example.social", "display_name": "Yves"},
        },
    },
]


def install_notifications(fake: FakeMastodon) -> list[str]:
    asked: list[str] = []

    def notifications(handler: Any) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        asked.append(handler.path)
        since = int((query.get("since_id") or ["0"])[0])
        found = [item for item in MENTIONS if int(item["id"]) > since]
        data = json.dumps(sorted(found, key=lambda item: -int(item["id"]))).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    fake.server.route("/api/v1/notifications", handler=notifications)
    return asked


def test_html_of_a_status_as_text() -> None:
    assert (
        html_to_text("<p>Un&#39;insecte</p><p>vert<br>et brillant</p>", keep_lines=True)
        == "Un'insecte\n\nvert\net brillant"
    )


def test_mentions_become_routed_questions_read_once_and_answered_in_reply(
    http_server: Any, museum: Museum, committed: Any
) -> None:
    fake = FakeMastodon(http_server).install()
    asked = install_notifications(fake)
    channel = ChannelFactory(
        space=museum.space,
        kind="mastodon",
        name="Mastodon du muséum",
        base_url=fake.base_url,
        account="museum",
    )
    channel.credentials = encrypt_credentials({"access_token": fake.token})
    channel.save()
    assert networks.channels_to_read() == [channel.pk]
    assert networks.read_mentions(channel_id=channel.pk) == 2
    insect, whale = Question.objects.order_by("remote_id")
    assert insect.channel == QuestionChannel.CONNECTOR and insect.source_channel == channel
    assert insect.body == "Quel est cet insecte vert et brillant dans mon jardin'?"
    assert insect.asker_handle == "@lea@example.social" and insect.asker_name == "Léa"
    assert insect.remote_url == "https://example.social/@lea/9001"
    assert insect.assignee == museum.camille and whale.assignee == museum.lucie
    assert ChannelReading.objects.get(channel=channel).last_remote_id == "9002"
    # Read again: asked since the last one, nothing new.
    assert networks.read_mentions(channel_id=channel.pk) == 0
    assert "since_id=9002" in asked[-1]
    assert Question.objects.count() == 2
    # Camille answers where it was asked.
    with committed():
        answer = answers.write_answer(
            question=insect,
            user=museum.camille.user,
            kind=AnswerKind.CHANNEL,
            body="Un carabe doré : il mange les limaces, gardez-le !",
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT, answer.error
    status = fake.statuses[-1]
    assert status["_params"]["in_reply_to_id"] == "9001"
    assert status["_params"]["status"].startswith("@lea@example.social Un carabe doré")
    assert status["_idempotency"] == f"maillage-answer-{answer.pk}"
    assert answer.remote_url == status["url"]


def test_a_channel_error_is_kept_and_nothing_is_lost(http_server: Any, museum: Museum) -> None:
    fake = FakeMastodon(http_server).install()
    install_notifications(fake)
    channel = ChannelFactory(space=museum.space, kind="mastodon", base_url=fake.base_url)
    channel.credentials = encrypt_credentials({"access_token": "périmé"})
    channel.save()
    fake.server.route(
        "/api/v1/notifications",
        handler=lambda handler: (
            handler.send_response(401),
            handler.send_header("Content-Type", "application/json"),
            handler.end_headers(),
            handler.wfile.write(b'{"error": "The access token is invalid"}'),
        ),
    )
    assert networks.read_mentions(channel_id=channel.pk) == 0
    reading = ChannelReading.objects.get(channel=channel)
    assert "access token" in reading.error and reading.last_remote_id == ""


def test_a_comment_becomes_a_question_answered_under_it(museum: Museum, committed: Any) -> None:
    from maillage.articles.comments.models import Comment
    from maillage.inbox.services import questions
    from tests.factories import ArticleFactory, CommentFactory

    article = ArticleFactory(title="Les coulisses de la grande galerie")
    comment = CommentFactory(
        target=article,
        author=None,
        guest_name="Yves",
        guest_email="yves@example.org",
        body="Comment a-t-on monté le squelette de la baleine ?",
    )
    question = questions.receive_comment(space=museum.space, comment=comment)
    assert question.channel == QuestionChannel.COMMENT and question.assignee == museum.lucie
    assert question.asker_name == "Yves" and question.asker_email == "yves@example.org"
    assert questions.receive_comment(space=museum.space, comment=comment) == question
    assert set(answers.kinds_for(question)) == {AnswerKind.EMAIL, AnswerKind.CHANNEL}
    with committed():
        answer = answers.write_answer(
            question=question,
            user=museum.lucie.user,
            kind=AnswerKind.CHANNEL,
            body="Chaque vertèbre est enfilée sur une armature d’acier.",
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT, answer.error
    reply = Comment.objects.get(parent=comment)
    assert reply.author == museum.lucie.user and "armature d’acier" in reply.body
    assert answer.remote_id == str(reply.pk)
