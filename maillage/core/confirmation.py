"""Links sent by email to prove an address: a signed (row, address) pair that expires.

The address is signed with the row so that a link sent before the address changed does not
confirm the new one. Each use gets its own salt: a comment's link never confirms an account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing


@dataclass(frozen=True)
class ConfirmedAddress:
    object_id: int
    email: str


def email_confirmation_token(*, object_id: int, email: str, salt: str) -> str:
    return signing.dumps({"id": object_id, "email": email}, salt=salt)


def read_confirmation_token(token: str, *, salt: str) -> ConfirmedAddress:
    """The row and address a link names. Raises signing.SignatureExpired once
    EMAIL_CONFIRMATION_MAX_AGE has passed, signing.BadSignature when altered."""
    data = signing.loads(token, salt=salt, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not data.get("email"):
        raise signing.BadSignature("a confirmation token names a row and an address")
    return ConfirmedAddress(object_id=data["id"], email=str(data["email"]))
