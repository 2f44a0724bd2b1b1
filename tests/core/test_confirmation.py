"""Email confirmation links: one signed (row, address) pair per use, expiring."""

import pytest
from django.core import signing

from maillage.core.confirmation import email_confirmation_token, read_confirmation_token


def test_a_token_names_its_row_and_address() -> None:
    token = email_confirmation_token(object_id=7, email="ana@example.org", salt="a")
    confirmed = read_confirmation_token(token, salt="a")
    assert (confirmed.object_id, confirmed.email) == (7, "ana@example.org")


def test_a_token_of_another_use_or_altered_is_refused() -> None:
    token = email_confirmation_token(object_id=7, email="ana@example.org", salt="a")
    with pytest.raises(signing.BadSignature):
        read_confirmation_token(token, salt="b")
    with pytest.raises(signing.BadSignature):
        read_confirmation_token(token[:-2] + "xx", salt="a")


def test_a_signed_value_that_is_not_a_pair_is_refused() -> None:
    with pytest.raises(signing.BadSignature):
        read_confirmation_token(signing.dumps({"id": "7"}, salt="a"), salt="a")


def test_an_old_token_has_expired(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    token = email_confirmation_token(object_id=7, email="ana@example.org", salt="a")
    with pytest.raises(signing.SignatureExpired):
        read_confirmation_token(token, salt="a")
