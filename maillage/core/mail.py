"""Sending email from templates: one plain-text part always, HTML when a template exists."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL, display name quoted ("Doc@Rennes <a@b>" is not a valid header)."""
    value = str(settings.DEFAULT_FROM_EMAIL)
    match = re.fullmatch(r"\s*([^<>\"]+?)\s*<([^<>]+)>\s*", value)
    if match:
        return formataddr((match.group(1), match.group(2)))
    return value


def send_templated_email(
    *,
    to: str,
    subject_template: str,
    body_template: str,
    context: Mapping[str, Any],
    html_template: str | None = None,
    attachments: Sequence[MIMEBase] = (),
    headers: Mapping[str, str] | None = None,
    reply_to: Sequence[str] = (),
) -> None:
    """Render and send one message; the subject is folded onto a single line.

    `attachments` are ready-made MIME parts (see `calendar_attachment`), so that a part can carry
    parameters Django's (filename, content, mimetype) form cannot, such as an .ics file's method.
    `headers` are added as they are (Message-ID, In-Reply-To, References for a thread).
    """
    # Fold line breaks and runs of ASCII spaces only: str.split() would also break the no-break
    # spaces of French typography (« Inscription confirmée : … »).
    subject = re.sub(r"[ \t\r\n]+", " ", render_to_string(subject_template, context)).strip()
    body = render_to_string(body_template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=sender_address(),
        to=[to],
        reply_to=list(reply_to),
        headers=dict(headers or {}),
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    for part in attachments:
        message.attach(part)
    message.send()


def one_click_unsubscribe_headers(url: str) -> dict[str, str]:
    """List-Unsubscribe with one-click unsubscription (RFC 8058): a mail client POSTs
    "List-Unsubscribe=One-Click" to `url` with no cookie nor CSRF token, so the address must
    carry its own proof (a token) and the view accept that POST (csrf_exempt)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def calendar_attachment(
    content: bytes, *, method: str, filename: str = "invitation.ics"
) -> MIMEBase:
    """An iCalendar file as an attachment; calendar clients read the method (RFC 6047) from the
    Content-Type as well as from the file, and some only from the Content-Type."""
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
