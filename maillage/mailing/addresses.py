"""The list's addresses and what a recipient address says when mail comes back to us.

    reseau@lists.example                      post to the list (a new thread, or a reply found
                                              by its headers)
    reseau+r-<member>-<thread>-<sig>@…        one recipient's reply address: the signature proves
                                              the mail was answered by whom we sent it to
    bounces+m-<delivery>-<sig>@…              the envelope sender of one delivery (VERP): a bounce
    bounces+d-<digest>-<sig>@…                names the delivery (or digest) that failed

Signatures are an HMAC of the rest under SECRET_KEY, in lowercase hexadecimal: mail servers may
change the case of a local part, never its letters.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings

from maillage.mailing.models import MailingList

BOUNCE_LOCAL_PART = "bounces"
SIGNATURE_LENGTH = 12
_REPLY = re.compile(r"^r-([0-9a-z]+)-([0-9a-z]+)-([0-9a-f]+)$")
_BOUNCE = re.compile(r"^([md])-([0-9a-z]+)-([0-9a-f]+)$")


def domain() -> str:
    """MAILING_DOMAIN, else the site's own host name."""
    configured = str(getattr(settings, "MAILING_DOMAIN", "") or "").strip().lower()
    return configured or (urlsplit(settings.SITE_URL).hostname or "localhost").lower()


def list_address(mailing_list: MailingList) -> str:
    return f"{mailing_list.local_part}@{domain()}"


def list_id(mailing_list: MailingList) -> str:
    """The List-Id header (RFC 2919): a description and a unique dotted identifier."""
    return formataddr((mailing_list.name, f"{mailing_list.local_part}.{domain()}"))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if number <= 0:
        return "0"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text


def _signature(payload: str) -> str:
    key = f"maillage.mailing.addresses:{settings.SECRET_KEY}".encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def _valid(payload: str, signature: str) -> bool:
    return hmac.compare_digest(_signature(payload), signature)


def reply_address(mailing_list: MailingList, *, member_id: int, thread_id: int) -> str:
    payload = f"r-{_base36(member_id)}-{_base36(thread_id)}"
    tag = f"{payload}-{_signature(f'{mailing_list.local_part}:{payload}')}"
    return f"{mailing_list.local_part}+{tag}@{domain()}"


def bounce_address(*, delivery_id: int | None = None, digest_id: int | None = None) -> str:
    """The envelope sender (Return-Path) of one delivery or one digest."""
    if delivery_id is not None:
        payload = f"m-{_base36(delivery_id)}"
    elif digest_id is not None:
        payload = f"d-{_base36(digest_id)}"
    else:
        raise ValueError("A bounce address is for a delivery or a digest.")
    return f"{BOUNCE_LOCAL_PART}+{payload}-{_signature(payload)}@{domain()}"


@dataclass(frozen=True)
class Recipient:
    """What an address of ours designates. `kind`: "post", "reply", "bounce", "other" (another
    app's address) or "unknown"."""

    kind: str
    mailing_list: MailingList | None = None
    member_id: int | None = None
    thread_id: int | None = None
    delivery_id: int | None = None
    digest_id: int | None = None
    # A tag was there but its signature is wrong (forged, or cut by a mail client).
    forged: bool = False
    # kind "other": the name of the app whose address it is (see register_address_owner).
    owner: str = ""


UNKNOWN = Recipient(kind="unknown")


@dataclass(frozen=True)
class AddressOwner:
    """Another app's addresses (an institution's questions address, maillage.inbox): `owns`
    says whether an address is theirs; `receive(parsed=, recipient=)` takes the email, once
    stored and checked like the list's (no bounce, loop or automatic reply), and answers a
    line for its record."""

    name: str
    owns: Callable[[str], bool]
    receive: Callable[..., str]


_owners: dict[str, AddressOwner] = {}


def register_address_owner(
    name: str, *, owns: Callable[[str], bool], receive: Callable[..., str]
) -> None:
    _owners[name] = AddressOwner(name=name, owns=owns, receive=receive)


def owner_named(name: str) -> AddressOwner | None:
    return _owners.get(name)


def _owner_of(address: str) -> AddressOwner | None:
    return next((owner for owner in _owners.values() if owner.owns(address)), None)


def owned_by_another_app(local_part: str) -> bool:
    """Whether <local_part>@<our domain> is already another app's (a new list must not take it)."""
    return _owner_of(f"{local_part}@{domain()}") is not None


def parse_recipient(address: str) -> Recipient:
    address = address.strip().strip("<>").lower()
    local, _at, host = address.rpartition("@")
    owner = _owner_of(address) if local else None
    if owner is not None:
        return Recipient(kind="other", owner=owner.name)
    if not local or host != domain():
        return UNKNOWN
    base, _plus, tag = local.partition("+")
    if base == BOUNCE_LOCAL_PART:
        match = _BOUNCE.match(tag)
        if not match:
            return Recipient(kind="bounce", forged=bool(tag))
        kind, number, signature = match.groups()
        if not _valid(f"{kind}-{number}", signature):
            return Recipient(kind="bounce", forged=True)
        identifier = int(number, 36)
        if kind == "m":
            return Recipient(kind="bounce", delivery_id=identifier)
        return Recipient(kind="bounce", digest_id=identifier)
    mailing_list = MailingList.objects.active().filter(local_part=base).first()
    if mailing_list is None:
        return UNKNOWN
    if not tag:
        return Recipient(kind="post", mailing_list=mailing_list)
    match = _REPLY.match(tag)
    if match is None:
        return Recipient(kind="post", mailing_list=mailing_list, forged=True)
    member, thread, signature = match.groups()
    if not _valid(f"{base}:r-{member}-{thread}", signature):
        return Recipient(kind="post", mailing_list=mailing_list, forged=True)
    return Recipient(
        kind="reply",
        mailing_list=mailing_list,
        member_id=int(member, 36),
        thread_id=int(thread, 36),
    )
