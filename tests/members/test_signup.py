"""Sign-up, email confirmation through a real SMTP server, resending the link."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.urls import reverse

from maillage.members import services
from maillage.members.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "  Alix.Durand@Example.ORG ",
    "display_name": "Alix Durand",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def link_in(text: str) -> str:
    match = re.search(r"https?://\S+/membres/confirmation/\S+/", text)
    assert match, text
    return match.group(0)


def test_sign_up_email_confirm_then_log_in(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://maillage.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("members:signup_done")

    user = User.objects.get()
    assert user.email == "alix.durand@example.org"  # lowercased and stripped
    assert not user.is_active
    assert user.email_confirmed_at is None

    mail = smtp_server.wait_for(1)[0]
    assert mail.envelope_to == ["alix.durand@example.org"]
    assert "Confirm your email address" in mail.subject
    assert mail.message.get_body(preferencelist=("plain",)) is not None
    url = link_in(mail.text())
    assert url.startswith("https://maillage.example.org/membres/confirmation/")

    # Not confirmed yet: the login page offers to resend the email.
    response = client.post(reverse("members:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "not confirmed yet" in response.content.decode()
    assert reverse("members:resend_confirmation") in response.content.decode()

    response = client.get(url.removeprefix(settings.SITE_URL), follow=True)
    assert "Your email address is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert user.email_confirmed_at is not None

    # Twice is harmless.
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 302

    response = client.post(
        reverse("members:login"), {"username": "ALIX.durand@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("members:directory")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_page_is_labelled(client):
    html = client.get(reverse("members:signup")).content.decode()
    for name in ("email", "display_name", "password1", "password2"):
        assert f'<label for="id_{name}"' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert html.count("<h1") == 1


def test_sign_up_errors_are_described(client):
    response = client.post(
        reverse("members:signup"), {**SIGNUP, "password2": "something else entirely"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The two passwords differ." in html
    assert 'id="id_password2_error"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()


def test_weak_password_is_refused(client):
    response = client.post(
        reverse("members:signup"), {**SIGNUP, "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert not User.objects.exists()


def test_duplicate_email_in_another_case_creates_nothing_and_tells_the_owner(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="alix.durand@example.org", display_name="Alix")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:signup"), SIGNUP)
    # The visitor sees the same page as for a new address: nothing tells who is a member.
    assert response.status_code == 302
    assert response.url == reverse("members:signup_done")
    assert User.objects.count() == 1
    mail = smtp_server.wait_for(1)[0]
    assert "already have an account" in mail.subject
    assert "/membres/connexion/" in mail.text()


def test_duplicate_of_an_unconfirmed_account_sends_a_new_link(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:signup"), SIGNUP)
        client.post(reverse("members:signup"), {**SIGNUP, "email": "ALIX.DURAND@example.org"})
    assert User.objects.count() == 1
    mails = smtp_server.wait_for(2)
    assert all("Confirm your email address" in mail.subject for mail in mails)


def test_sign_up_service_returns_none_for_a_known_address(django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks():
        assert (
            services.sign_up(email="Known@Example.org", display_name="X", password=PASSWORD) is None
        )


def test_expired_link_is_refused_with_a_clear_message(client, settings):
    user = services.sign_up(email="late@example.org", display_name="Late", password=PASSWORD)
    assert user is not None
    token = services.confirmation_token(user)
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    response = client.get(reverse("members:confirm_email", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    with pytest.raises(services.EmailConfirmationError) as error:
        services.confirm_email(token=token)
    assert error.value.reason == "expired"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        # Well signed, but with another salt (a password reset or session value, say).
        lambda token: signing.dumps({"user": 1, "email": "late@example.org"}),
    ],
)
def test_forged_link_is_refused(client, tamper):
    user = services.sign_up(email="late@example.org", display_name="Late", password=PASSWORD)
    assert user is not None
    token = tamper(services.confirmation_token(user))
    response = client.get(reverse("members:confirm_email", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_link_for_an_old_address_does_not_confirm_a_new_one():
    user = services.sign_up(email="old@example.org", display_name="Old", password=PASSWORD)
    assert user is not None
    token = services.confirmation_token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.org")
    with pytest.raises(services.EmailConfirmationError):
        services.confirm_email(token=token)


def test_deactivated_account_is_not_reactivated_by_an_old_link():
    user = UserFactory(is_active=False)  # confirmed, then deactivated by a coordinator
    services.confirm_email(token=services.confirmation_token(user))
    user.refresh_from_db()
    assert not user.is_active


def test_resend_does_not_reveal_whether_an_address_exists(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="confirmed@example.org")
    unconfirmed = User.objects.create_user(
        email="waiting@example.org", password=PASSWORD, display_name="W", is_active=False
    )
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("nobody@example.org", "confirmed@example.org", "Waiting@example.org"):
            responses.append(client.post(reverse("members:resend_confirmation"), {"email": email}))
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("members:signup_done"))}
    mails = smtp_server.wait_for(1)
    assert [mail.envelope_to for mail in mails] == [[unconfirmed.email]]
    assert "/membres/confirmation/" in mails[0].text()


def test_resend_is_rate_limited(client, settings):
    settings.LOGIN_RATE_LIMIT = 2
    url = reverse("members:resend_confirmation")
    for _ in range(2):
        assert client.post(url, {"email": "someone@example.org"}).status_code == 302
    response = client.post(url, {"email": "someone@example.org"})
    assert response.status_code == 429
    assert "Too many attempts. Try again in 15 minutes." in response.content.decode()


def test_signed_in_member_is_sent_from_sign_up_to_the_directory(client, member):
    client.force_login(member)
    assert client.get(reverse("members:signup")).url == reverse("members:directory")


def test_sign_ups_are_limited_per_client_address(client, settings, db):
    settings.SIGNUP_RATE_LIMIT = 2
    for number in range(2):
        response = client.post(
            "/membres/inscription/",
            {
                "email": f"personne{number}@example.org",
                "display_name": f"Personne {number}",
                "password1": "une-phrase-de-passe-solide",
                "password2": "une-phrase-de-passe-solide",
            },
        )
        assert response.status_code == 302
    response = client.post(
        "/membres/inscription/",
        {
            "email": "personne3@example.org",
            "display_name": "Personne 3",
            "password1": "une-phrase-de-passe-solide",
            "password2": "une-phrase-de-passe-solide",
        },
    )
    assert response.status_code == 429
    assert not User.objects.filter(email="personne3@example.org").exists()
