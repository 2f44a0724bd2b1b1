"""The security baseline: /healthz, headers on every response, CSRF enforced."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": True, "queue": True}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_queue_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("maillage.core.views.queue_is_reachable", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": True, "queue": False}}


def _directives(policy: str) -> dict[str, list[str]]:
    result = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        result[name] = values
    return result


def test_content_security_policy_forbids_inline_scripts(client: Client) -> None:
    policy = _directives(client.get("/healthz")["Content-Security-Policy"])
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert scripts == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_security_headers(client: Client) -> None:
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_headers_are_also_on_error_pages(client: Client) -> None:
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_and_secure_cookies_follow_https(settings: Any) -> None:
    # Tests serve plain HTTP; production (MAILLAGE_HTTPS, default on) sets these.
    hsts_seconds = settings.SECURE_HSTS_SECONDS
    assert hsts_seconds == (31536000 if settings.HTTPS else 0)
    assert settings.SESSION_COOKIE_SECURE == settings.HTTPS
    assert settings.CSRF_COOKIE_SECURE == settings.HTTPS
    assert settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/healthz"})
    assert response.status_code == 403


def test_csrf_token_lets_the_form_through() -> None:
    request = HttpRequest()
    token = get_token(request)
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/healthz", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
