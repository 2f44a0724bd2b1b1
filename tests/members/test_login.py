"""Logging in (with its rate limit), logging out, resetting and changing a password."""

from __future__ import annotations

import logging
import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("members:login")


def login(client, email, password, ip="203.0.113.7"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_page(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert "<title>Log in · " in html


def test_login_and_logout(client, member):
    response = login(client, "Camille@Example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    # Logging out needs a POST: a link or an image cannot log anyone out.
    assert client.get(reverse("members:logout")).status_code == 405
    response = client.post(reverse("members:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_redirects_to_next(client, member):
    response = client.post(
        LOGIN + "?next=/membres/profil/modifier/",
        {"username": member.email, "password": PASSWORD, "next": "/membres/profil/modifier/"},
    )
    assert response.url == "/membres/profil/modifier/"


def test_wrong_password_message(client, member):
    response = login(client, member.email, "wrong password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_account_is_locked_after_the_limit_then_logs_and_says_when(
    client, member, settings, caplog
):
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_WINDOW = 600
    with caplog.at_level(logging.WARNING, logger="maillage.members.forms"):
        for attempt in range(3):
            # Different addresses: the account counter is what stops this attacker.
            assert (
                login(client, member.email, "wrong", ip=f"198.51.100.{attempt}").status_code == 200
            )
    assert any(
        "Login rate limit reached" in record.getMessage() and member.email in record.getMessage()
        for record in caplog.records
    )
    response = login(client, member.email, PASSWORD, ip="198.51.100.99")
    assert response.status_code == 429
    assert "Too many attempts. Try again in 10 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    other = UserFactory()
    assert login(client, other.email, PASSWORD, ip="198.51.100.100").status_code == 302


def test_address_is_blocked_after_the_limit_whatever_the_account(client, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for number in range(3):
        login(client, f"guess{number}@example.org", "wrong", ip="192.0.2.1")
    victim = UserFactory()
    response = login(client, victim.email, PASSWORD, ip="192.0.2.1")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert login(client, victim.email, PASSWORD, ip="192.0.2.2").status_code == 302


def test_the_window_ends(client, member, settings):
    settings.LOGIN_RATE_LIMIT = 2
    settings.LOGIN_RATE_WINDOW = 1
    for _ in range(2):
        login(client, member.email, "wrong")
    assert login(client, member.email, PASSWORD).status_code == 429
    import time

    time.sleep(1.1)
    assert login(client, member.email, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_account_counter(client, member, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for number in range(2):
        login(client, member.email, "wrong", ip=f"198.51.100.{number}")
    assert login(client, member.email, PASSWORD, ip="198.51.100.50").status_code == 302
    client.post(reverse("members:logout"))
    # Two more failures would have locked the account without the reset.
    for number in range(2):
        login(client, member.email, "wrong", ip=f"198.51.100.{10 + number}")
    assert login(client, member.email, PASSWORD, ip="198.51.100.51").status_code == 302


def test_proxy_header_is_only_trusted_behind_a_proxy(client, member, settings):
    settings.LOGIN_RATE_LIMIT = 2
    # Without a proxy, a forged X-Forwarded-For does not give a fresh address.
    for number in range(2):
        client.post(
            LOGIN,
            {"username": f"x{number}@example.org", "password": "wrong"},
            REMOTE_ADDR="192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": member.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
        HTTP_X_FORWARDED_FOR="10.0.0.77",
    )
    assert response.status_code == 429


def test_password_reset_through_smtp(client, member, smtp_server, settings):
    settings.SITE_URL = "https://maillage.example.org"
    response = client.post(reverse("members:password_reset"), {"email": "CAMILLE@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("members:password_reset_done")
    mail = smtp_server.wait_for(1)[0]
    assert mail.envelope_to == [member.email]
    assert "Choose a new password" in mail.subject
    assert mail.html() == "" or mail.message.get_body(preferencelist=("plain",)) is not None
    match = re.search(
        r"https://maillage\.example\.org(/membres/mot-de-passe/nouveau/\S+/)", mail.text()
    )
    assert match, mail.text()

    response = client.get(match.group(1), follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    new_password = "another long passphrase 42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response.url == reverse("members:password_reset_complete")
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_password_reset_for_an_unknown_address_says_the_same(client, smtp_server):
    response = client.post(reverse("members:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("members:password_reset_done")
    assert smtp_server.messages == []


def test_password_reset_is_rate_limited(client, member, settings, mailoutbox):
    settings.LOGIN_RATE_LIMIT = 2
    url = reverse("members:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": member.email}).status_code == 302
    assert client.post(url, {"email": member.email}).status_code == 429
    assert len(mailoutbox) == 2


def test_password_change(client, member):
    client.force_login(member)
    url = reverse("members:password_change")
    assert client.get(url).status_code == 200
    new_password = "a brand new passphrase 7"
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert response.url == reverse("members:password_change_done")
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_password_change_needs_login(client):
    response = client.get(reverse("members:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
