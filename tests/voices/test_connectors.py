"""The connectors run the real client libraries (Mastodon.py, atproto) against the real local
HTTP server answering as the documented APIs do: success, errors, rate limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from maillage.voices.connectors import ConnectorError, Outgoing, RateLimited, connector_for
from maillage.voices.connectors.base import Connector
from maillage.voices.connectors.bluesky import BlueskyConnector
from maillage.voices.connectors.mastodon import MastodonConnector
from maillage.voices.crypto import decrypt_credentials, encrypt_credentials
from maillage.voices.models import Channel
from tests.factories import ChannelFactory
from tests.voices.fake_apis import Failure, FakeBluesky, FakeMastodon

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def mastodon_channel(fake: FakeMastodon, token: str = "jeton-valide") -> Channel:  # noqa: S107
    return ChannelFactory(
        kind="mastodon",
        name="Mastodon",
        base_url=fake.base_url,
        account="@museum",
        max_length=500,
        credentials=encrypt_credentials({"access_token": token}),
    )


def bluesky_channel(fake: FakeBluesky, password: str | None = None) -> Channel:
    return ChannelFactory(
        kind="bluesky",
        name="Bluesky",
        base_url=fake.base_url,
        account=fake.handle,
        max_length=300,
        credentials=encrypt_credentials({"app_password": password or fake.password}),
    )


def outgoing(**values: object) -> Outgoing:
    defaults: dict[str, object] = {
        "post_id": 42,
        "text": "Un carabe doré de 1893 sort des réserves.",
        "link": "https://museum.example/carabe",
        "url": "http://testserver/voix/museum/p/42/",
    }
    defaults.update(values)
    return Outgoing(**defaults)  # type: ignore[arg-type]


# --- Mastodon ---------------------------------------------------------------------------------


def test_mastodon_posts_a_status_and_reads_its_engagement(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    connector = connector_for(mastodon_channel(fake))
    published = connector.publish(outgoing())
    [status] = fake.statuses
    assert status["_params"]["status"] == (
        "Un carabe doré de 1893 sort des réserves.\nhttps://museum.example/carabe"
    )
    assert status["_idempotency"] == "maillage-post-42"
    assert fake.authorizations == ["Bearer jeton-valide"]
    assert published.remote_id == "100"
    assert published.remote_url.endswith("/@museum/100")

    counts = connector.engagement(published.remote_id)
    assert counts is not None
    assert (counts.replies, counts.reposts, counts.favourites) == (2, 5, 11)


def test_mastodon_sends_the_image_with_its_alt_text(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    image = tmp_path / "carabe.png"
    image.write_bytes(PNG)
    connector_for(mastodon_channel(fake)).publish(
        outgoing(image_path=str(image), image_type="image/png", image_alt="Un carabe vert doré")
    )
    [media] = fake.media
    assert media["description"] == "Un carabe vert doré"
    assert fake.statuses[0]["_params"].get("media_ids[]") == [media["id"]]


def test_mastodon_errors_keep_the_instance_message(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    connector = connector_for(mastodon_channel(fake))
    with pytest.raises(ConnectorError) as refused:
        connector.publish(outgoing(text="x" * 600, link=""))
    assert "character limit of 500" in refused.value.message
    assert refused.value.permanent

    with pytest.raises(ConnectorError) as unauthorized:
        connector_for(mastodon_channel(fake, token="périmé")).publish(outgoing())
    assert "access token is invalid" in unauthorized.value.message
    assert unauthorized.value.permanent

    fake.fail_next.append(Failure(503, {"error": "Service unavailable"}))
    with pytest.raises(ConnectorError) as unavailable:
        connector.publish(outgoing())
    assert not unavailable.value.permanent and unavailable.value.retry_after is None


def test_mastodon_rate_limit_says_to_wait(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 600))
    fake.fail_next.append(
        Failure(
            429,
            {"error": "Too many requests"},
            {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        )
    )
    with pytest.raises(RateLimited) as limited:
        connector_for(mastodon_channel(fake)).publish(outgoing())
    assert limited.value.retry_after and limited.value.retry_after > 0
    assert fake.statuses == []


def test_a_private_address_is_refused_without_the_test_setting(http_server, settings) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(ConnectorError) as refused:
        connector_for(mastodon_channel(fake)).publish(outgoing())
    assert refused.value.permanent
    assert fake.statuses == []


# --- Bluesky ----------------------------------------------------------------------------------


def test_bluesky_logs_in_creates_the_record_and_reads_engagement(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    connector = connector_for(bluesky_channel(fake))
    published = connector.publish(outgoing())
    assert fake.sessions == 1
    [created] = fake.records
    assert created["collection"] == "app.bsky.feed.post"
    assert created["repo"] == fake.did
    record = created["record"]
    assert (
        record["text"] == "Un carabe doré de 1893 sort des réserves.\nhttps://museum.example/carabe"
    )
    [facet] = record["facets"]
    assert facet["features"][0]["uri"] == "https://museum.example/carabe"
    assert record["langs"] == ["fr"]
    assert published.remote_id == f"at://{fake.did}/app.bsky.feed.post/3k00000"
    assert published.remote_url == f"https://bsky.app/profile/{fake.handle}/post/3k00000"

    counts = connector.engagement(published.remote_id)
    assert counts is not None
    assert (counts.replies, counts.reposts, counts.favourites) == (1, 4, 7)


def test_bluesky_uploads_the_image_with_its_alt_text(http_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    image = tmp_path / "carabe.png"
    image.write_bytes(PNG)
    connector_for(bluesky_channel(fake)).publish(
        outgoing(image_path=str(image), image_type="image/png", image_alt="Un carabe vert doré")
    )
    assert fake.blobs == [PNG]
    embed = fake.records[0]["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Un carabe vert doré"


def test_bluesky_errors_and_rate_limits(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    with pytest.raises(ConnectorError) as refused:
        connector_for(bluesky_channel(fake, password="mauvais")).publish(outgoing())
    assert "Invalid identifier or password" in refused.value.message
    assert refused.value.permanent

    with pytest.raises(ConnectorError) as too_long:
        connector_for(bluesky_channel(fake)).publish(outgoing(text="x" * 400, link=""))
    assert "300 graphemes" in too_long.value.message

    reset = str(int(time.time()) + 900)
    fake.fail_next["createRecord"] = [
        Failure(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"ratelimit-reset": reset},
        )
    ]
    with pytest.raises(RateLimited) as limited:
        connector_for(bluesky_channel(fake)).publish(outgoing())
    assert 800 < (limited.value.retry_after or 0) <= 900


def test_bluesky_keeps_one_session_across_calls_encrypted_at_rest(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    channel = bluesky_channel(fake)
    published = connector_for(channel).publish(outgoing())
    # A later call (another worker: the channel read again from the database) reuses it.
    channel = Channel.objects.get(pk=channel.pk)
    assert connector_for(channel).engagement(published.remote_id) is not None
    assert (fake.sessions, fake.refreshes) == (1, 0)
    stored = decrypt_credentials(channel.credentials)
    assert stored["app_password"] == fake.password
    assert stored["session"]["account"] == fake.handle
    [access] = fake.access_tokens
    assert access in stored["session"]["string"]
    assert access not in channel.credentials  # encrypted, not merely encoded


def test_bluesky_refreshes_an_expired_token_then_logs_in_again_when_refresh_fails(
    http_server,
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    channel = bluesky_channel(fake)
    connector_for(channel).publish(outgoing())
    fake.expire_access()  # the PDS now answers ExpiredToken
    channel = Channel.objects.get(pk=channel.pk)
    connector_for(channel).publish(outgoing(post_id=43))
    assert (fake.sessions, fake.refreshes, len(fake.records)) == (1, 1, 2)
    # The refreshed session was kept: the next call goes straight through.
    channel = Channel.objects.get(pk=channel.pk)
    connector_for(channel).publish(outgoing(post_id=44))
    assert (fake.sessions, fake.refreshes, len(fake.records)) == (1, 1, 3)
    # Refresh token revoked as well: a new session with the app password, once.
    fake.expire_access()
    fake.refresh_tokens.clear()
    channel = Channel.objects.get(pk=channel.pk)
    connector_for(channel).publish(outgoing(post_id=45))
    assert (fake.sessions, fake.refreshes, len(fake.records)) == (2, 1, 4)


def test_bluesky_session_of_another_account_is_not_reused(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeBluesky(http_server).install()
    channel = bluesky_channel(fake)
    connector_for(channel).publish(outgoing())
    channel = Channel.objects.get(pk=channel.pk)
    channel.account = fake.handle = "museum-bis.bsky.example"
    connector_for(channel).publish(outgoing(post_id=43))
    assert fake.sessions == 2


def test_lengths_are_counted_as_each_channel_counts() -> None:
    link = "https://museum.example/une-adresse-tres-longue-pour-voir"
    assert MastodonConnector.length("Bonjour", link) == 7 + 1 + 23
    assert BlueskyConnector.length("Bonjour", link) == 7 + 1 + len(link)
    assert Connector.length("  Bonjour  ", "") == 7


def test_missing_credentials_are_a_permanent_error(http_server) -> None:  # type: ignore[no-untyped-def]
    fake = FakeMastodon(http_server).install()
    channel = mastodon_channel(fake)
    channel.credentials = ""
    with pytest.raises(ConnectorError) as missing:
        connector_for(channel).publish(outgoing())
    assert missing.value.permanent
