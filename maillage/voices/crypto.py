"""Channel credentials encrypted at rest (Fernet: AES-128-CBC with an HMAC-SHA256 tag).

The key is VOICES_CREDENTIALS_KEY when set (a Fernet key; rotate by putting the new key first,
comma-separated, the old ones after), else one derived from SECRET_KEY with HKDF: changing
SECRET_KEY then means entering the channels' credentials again.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"maillage.voices.channel-credentials"


class CredentialsUnreadable(Exception):
    """The stored credentials cannot be read with the current key (the key changed)."""


def _derived_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


def _cipher() -> MultiFernet:
    configured = [
        key.strip()
        for key in str(getattr(settings, "VOICES_CREDENTIALS_KEY", "") or "").split(",")
        if key.strip()
    ]
    keys = [Fernet(key.encode()) for key in configured]
    keys.append(Fernet(_derived_key(settings.SECRET_KEY)))
    return MultiFernet(keys)


def encrypt_credentials(values: dict[str, Any]) -> str:
    if not values:
        return ""
    return _cipher().encrypt(json.dumps(values).encode()).decode("ascii")


def decrypt_credentials(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        data = json.loads(_cipher().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        raise CredentialsUnreadable from error
    return data if isinstance(data, dict) else {}
