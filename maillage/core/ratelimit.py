"""Counting attempts per client address and per account in the cache (login, signup, resends)."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy (SECURE_PROXY_SSL_HEADER set, see BEHIND_PROXY),
    the last X-Forwarded-For entry is the one our own proxy added, so it cannot be forged."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` counted attempts per key in a fixed window of `window` seconds."""

    scope: str
    limit: int
    window: int

    def _key(self, kind: str, value: str) -> str:
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{kind}:{digest}"

    def seconds_left(self, **identities: str) -> int:
        """Seconds until the attempts are allowed again (0 when they are allowed now)."""
        now = time.time()
        waits = [0]
        for kind, value in identities.items():
            key = self._key(kind, value)
            if (cache.get(key) or 0) >= self.limit:
                since = cache.get(f"{key}:since") or now
                waits.append(max(1, math.ceil(since + self.window - now)))
        return max(waits)

    def record(self, **identities: str) -> bool:
        """Count one attempt for each identity; True when one of them has just reached the limit."""
        reached = False
        for kind, value in identities.items():
            key = self._key(kind, value)
            cache.add(f"{key}:since", time.time(), self.window)
            cache.add(key, 0, self.window)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window)
                count = 1
            reached = reached or count == self.limit
        return reached

    def attempt(self, **identities: str) -> int:
        """Count one attempt when it is allowed and answer 0; else the seconds left to wait
        (the attempt is not counted). The check-then-record of every guest form."""
        wait = self.seconds_left(**identities)
        if not wait:
            self.record(**identities)
        return wait

    def clear(self, **identities: str) -> None:
        for kind, value in identities.items():
            key = self._key(kind, value)
            cache.delete_many([key, f"{key}:since"])


def login_limit() -> RateLimit:
    return RateLimit("login", settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW)


def resend_limit() -> RateLimit:
    return RateLimit("resend", settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW)


def signup_limit() -> RateLimit:
    return RateLimit("signup", settings.SIGNUP_RATE_LIMIT, settings.SIGNUP_RATE_WINDOW)


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def too_many_attempts_message(seconds: int) -> str:
    count = minutes(seconds)
    return ngettext(
        "Too many attempts. Try again in %(count)s minute.",
        "Too many attempts. Try again in %(count)s minutes.",
        count,
    ) % {"count": count}
