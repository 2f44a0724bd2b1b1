"""Counting attempts per client and per account in the cache, shared by members and events."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import override_settings
from django.utils import translation

from maillage.core.ratelimit import RateLimit, client_ip, too_many_attempts_message


def test_the_limit_is_reached_by_any_identity_and_cleared() -> None:
    limit = RateLimit("test", limit=2, window=60)
    assert limit.seconds_left(ip="192.0.2.1", account="a@example.org") == 0
    assert limit.record(ip="192.0.2.1", account="a@example.org") is False
    assert limit.record(ip="192.0.2.1", account="b@example.org") is True
    assert 0 < limit.seconds_left(ip="192.0.2.1", account="c@example.org") <= 60
    # Accounts are compared case-insensitively.
    assert limit.seconds_left(ip="198.51.100.9", account="A@Example.org ") == 0
    limit.clear(ip="192.0.2.1")
    assert limit.seconds_left(ip="192.0.2.1") == 0


def test_scopes_count_separately() -> None:
    RateLimit("one", limit=1, window=60).record(ip="192.0.2.1")
    assert RateLimit("two", limit=1, window=60).seconds_left(ip="192.0.2.1") == 0


def test_client_ip_trusts_only_the_last_forwarded_hop_behind_a_proxy() -> None:
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.7"}
    with override_settings(SECURE_PROXY_SSL_HEADER=None):
        assert client_ip(request) == "10.0.0.1"
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert client_ip(request) == "192.0.2.7"


def test_the_message_counts_whole_minutes_in_french() -> None:
    with translation.override("fr"):
        assert too_many_attempts_message(61) == "Trop de tentatives. Réessayez dans 2 minutes."
        assert too_many_attempts_message(5) == "Trop de tentatives. Réessayez dans 1 minute."
