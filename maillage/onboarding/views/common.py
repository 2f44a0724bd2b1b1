"""What the pages of the first steps share."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from maillage.core.ratelimit import RateLimit, client_ip

SESSION_PATHS = "onboarding_path_tokens"
# A browser remembers the few paths it took without an account.
SESSION_PATHS_KEPT = 5


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def guest_limit() -> RateLimit:
    """Proposals from visitors without an account, per address."""
    from django.conf import settings

    return RateLimit("onboarding-guest", settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW)


def questionnaire_limit() -> RateLimit:
    """Questionnaires taken without an account, per address (each one stores a path)."""
    return RateLimit("onboarding-questionnaire", 30, 60 * 60)


def client_identity(request: HttpRequest) -> dict[str, str]:
    return {"ip": client_ip(request)}


def session_tokens(request: HttpRequest) -> list[str]:
    tokens = request.session.get(SESSION_PATHS, [])
    return [str(token) for token in tokens] if isinstance(tokens, list) else []


def remember_path(request: HttpRequest, token: str) -> None:
    tokens = [token, *[kept for kept in session_tokens(request) if kept != token]]
    request.session[SESSION_PATHS] = tokens[:SESSION_PATHS_KEPT]


def next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
