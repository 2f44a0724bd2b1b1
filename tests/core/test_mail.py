"""core.mail: the sender header and templated messages through a real SMTP server."""

from __future__ import annotations

from maillage.core.mail import send_templated_email, sender_address


def test_sender_address_is_quoted(settings):
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@example.org>"
    assert sender_address() == '"Doc@Rennes" <noreply@example.org>'
    settings.DEFAULT_FROM_EMAIL = "noreply@example.org"
    assert sender_address() == "noreply@example.org"


def test_templated_email_has_a_plain_text_part_and_an_optional_html_one(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@example.org>"
    send_templated_email(
        to="camille@example.org",
        subject_template="members/emails/already_registered_subject.txt",
        body_template="members/emails/already_registered.txt",
        context={"site_name": "Doc@Rennes", "login_url": "http://x/", "reset_url": "http://y/"},
    )
    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["camille@example.org"]
    assert mail.message["From"] == '"Doc@Rennes" <noreply@example.org>'
    assert "\n" not in mail.subject
    assert mail.text().strip()
    assert not mail.html()
