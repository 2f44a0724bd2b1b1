"""Channel credentials at rest: Fernet, a dedicated key (rotated) or one derived from SECRET_KEY."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from maillage.voices.crypto import CredentialsUnreadable, decrypt_credentials, encrypt_credentials


def test_a_derived_key_reads_back_and_a_changed_secret_key_cannot(settings) -> None:  # type: ignore[no-untyped-def]
    settings.VOICES_CREDENTIALS_KEY = ""
    token = encrypt_credentials({"app_password": "abcd-efgh"})
    assert "abcd" not in token
    assert decrypt_credentials(token) == {"app_password": "abcd-efgh"}
    settings.SECRET_KEY = "another secret key, long enough to be a real one"
    with pytest.raises(CredentialsUnreadable):
        decrypt_credentials(token)


def test_a_dedicated_key_can_be_rotated(settings) -> None:  # type: ignore[no-untyped-def]
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VOICES_CREDENTIALS_KEY = old
    token = encrypt_credentials({"access_token": "jeton"})
    settings.VOICES_CREDENTIALS_KEY = f"{new},{old}"
    assert decrypt_credentials(token) == {"access_token": "jeton"}
    settings.VOICES_CREDENTIALS_KEY = new
    with pytest.raises(CredentialsUnreadable):
        decrypt_credentials(token)
    assert encrypt_credentials({}) == "" and decrypt_credentials("") == {}
