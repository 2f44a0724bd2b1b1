"""The strategy canvas: a version on each save, strategy before the tool, credentials."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from maillage.voices.crypto import decrypt_credentials
from maillage.voices.models import StrategyVersion
from maillage.voices.services import NotAllowed, StrategyFirst
from maillage.voices.services import strategy as services
from maillage.voices.services.strategy import ChannelInvalid
from tests.factories import MembershipFactory, SpaceFactory, UserFactory
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db


def test_each_save_makes_a_new_version_with_what_changed(museum: Museum) -> None:
    before = StrategyVersion.objects.filter(space=museum.space).count()
    goal = services.save_goal(
        space=museum.space,
        by=museum.editor,
        text="Ouvrir les réserves au public en ligne",
        strategy_line="PSC 2014-2018, axe 2",
    )
    services.save_key_message(
        space=museum.space, by=museum.editor, audience=museum.audience, text="Les réserves vivent"
    )
    versions = list(StrategyVersion.objects.filter(space=museum.space).order_by("number"))
    assert len(versions) == before + 2
    latest = versions[-1]
    assert latest.number == versions[-2].number + 1
    assert latest.snapshot["goals"] == [
        {"text": goal.text, "strategy_line": "PSC 2014-2018, axe 2"}
    ]
    messages = latest.snapshot["audiences"][0]["messages"]
    assert [message["text"] for message in messages] == [
        "Le muséum se visite en famille",
        "Les réserves vivent",
    ]
    assert services.current_version(museum.space) == latest


def test_a_changed_charter_must_be_accepted_again(museum: Museum) -> None:
    assert museum.camille.charter_accepted
    services.save_charter_and_tone(
        space=museum.space,
        by=museum.admin,
        charter="Nouvelle charte.",
        tone_guidelines="Chaleureux.",
    )
    museum.camille.refresh_from_db()
    museum.camille.space.refresh_from_db()
    assert not museum.camille.charter_accepted
    same = services.save_charter_and_tone(
        space=museum.space, by=museum.admin, charter="Nouvelle charte.", tone_guidelines="Drôle."
    )
    assert same.charter_revision == museum.camille.space.charter_revision


def test_voices_and_reviewers_do_not_edit_the_strategy(museum: Museum) -> None:
    for person in (museum.camille.user, museum.reviewer):
        with pytest.raises(NotAllowed):
            services.save_audience(space=museum.space, by=person, name="Scolaires")


def test_no_channel_before_an_audience_and_a_message() -> None:
    space = SpaceFactory()
    admin = UserFactory()
    MembershipFactory(space=space, user=admin, role="admin")
    readiness = services.readiness(space)
    assert not readiness.ready_for_channels
    assert len(readiness.missing) == 2
    with pytest.raises(StrategyFirst) as refused:
        services.save_channel(
            space=space, by=admin, kind="site", name="Site", audiences=[], target_per_week=3
        )
    assert "audience" in refused.value.message

    audience = services.save_audience(space=space, by=admin, name="Familles")
    with pytest.raises(StrategyFirst):
        services.save_channel(
            space=space, by=admin, kind="site", name="Site", audiences=[audience], target_per_week=3
        )
    services.save_key_message(space=space, by=admin, audience=audience, text="Venez en famille")
    channel = services.save_channel(
        space=space, by=admin, kind="site", name="Site", audiences=[audience], target_per_week=3
    )
    assert list(channel.audiences.all()) == [audience]


def test_a_channel_says_which_audiences_it_serves(museum: Museum) -> None:
    with pytest.raises(ChannelInvalid):
        services.save_channel(
            space=museum.space,
            by=museum.admin,
            kind="site",
            name="Site",
            audiences=[],
            target_per_week=3,
        )


def test_credentials_are_encrypted_at_rest(museum: Museum) -> None:
    channel = services.save_channel(
        space=museum.space,
        by=museum.admin,
        kind="mastodon",
        name="Mastodon du muséum",
        audiences=[museum.audience],
        target_per_week=4,
        base_url="https://mastodon.example",
        account="@museum@mastodon.example",
        credentials={"access_token": "secret-token-123"},
    )
    channel.refresh_from_db()
    assert "secret-token-123" not in channel.credentials
    assert decrypt_credentials(channel.credentials) == {"access_token": "secret-token-123"}
    assert channel.max_length == 500


def test_a_kind_without_connector_cannot_be_added(museum: Museum) -> None:
    with pytest.raises(ChannelInvalid):
        services.save_channel(
            space=museum.space,
            by=museum.admin,
            kind="newsletter",
            name="Lettre",
            audiences=[museum.audience],
            target_per_week=1,
        )


def test_invalid_values_are_refused(museum: Museum) -> None:
    with pytest.raises(ValidationError):
        services.save_goal(space=museum.space, by=museum.admin, text="", strategy_line="")
