"""Fast MIME for mail sent to thousands at once (the digests): a plain-text and an HTML part
(quoted-printable UTF-8) in multipart/alternative, with headers written out directly.

Python's email generator folds every header through email.header.Header, about a quarter of a
millisecond each: over a dozen headers and 10,000 digests, that alone is most of a minute. Here
the headers that every copy shares are encoded once per batch (`Shared`), and each copy only
adds its recipient, its Message-ID and its unsubscribe link. The result goes through Django's
mail backends like any EmailMessage (SMTP, console, memory), so nothing else changes.
"""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import format_datetime, make_msgid
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from django.utils import timezone

CRLF = b"\r\n"


def _encoded_header(name: str, value: str) -> bytes:
    """One header, RFC 2047-encoded when it is not ASCII, folded at 78 characters."""
    if value.isascii() and len(name) + len(value) < 76:
        return f"{name}: {value}".encode() + CRLF
    folded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}".encode("ascii") + CRLF


def _quoted_printable(text: str) -> bytes:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(normalised.encode("utf-8"), istext=True, header=False)
    return encoded.replace(b"\n", CRLF)


@dataclass(frozen=True)
class Shared:
    """The headers every copy of a mailing shares, encoded once."""

    block: bytes
    domain: str

    @classmethod
    def build(cls, *, sender: str, subject: str, headers: dict[str, str], domain: str) -> Shared:
        block = b"".join(
            [
                _encoded_header("From", sender),
                _encoded_header("Subject", subject),
                _encoded_header("Date", format_datetime(timezone.now())),
                b"MIME-Version: 1.0\r\n",
                *(_encoded_header(name, value) for name, value in headers.items()),
            ]
        )
        return cls(block=block, domain=domain)


class _Prebuilt:
    """What Django's backends ask of EmailMessage.message(): the bytes, and a charset."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(CRLF, linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8")

    def get_charset(self) -> None:
        return None

    def __getitem__(self, name: str) -> Any:  # the console backend reads no header; be safe
        return None


class PreparedEmail(EmailMessage):
    """An EmailMessage whose MIME is already written (see the module's docstring)."""

    def __init__(self, *, data: bytes, from_email: str, to: list[str]) -> None:
        super().__init__(from_email=from_email, to=to)
        self.data = data

    def message(self) -> Any:
        return _Prebuilt(self.data)


def alternative(
    *,
    shared: Shared,
    envelope_from: str,
    to: str,
    text: str,
    html: str,
    headers: dict[str, str],
) -> PreparedEmail:
    boundary = f"==maillage-{secrets.token_hex(12)}=="
    address = to if to.isascii() else sanitize_address(to, "utf-8")
    data = b"".join(
        [
            shared.block,
            _encoded_header("To", address),
            _encoded_header("Message-ID", make_msgid(domain=shared.domain)),
            *(_encoded_header(name, value) for name, value in headers.items()),
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode(),
            f"--{boundary}\r\n".encode(),
            b'Content-Type: text/plain; charset="utf-8"\r\n',
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            _quoted_printable(text),
            f"\r\n--{boundary}\r\n".encode(),
            b'Content-Type: text/html; charset="utf-8"\r\n',
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            _quoted_printable(html),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return PreparedEmail(data=data, from_email=envelope_from, to=[to])
