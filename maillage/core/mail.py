"""Sending email from templates: one plain-text part always, HTML when a template exists."""

from __future__ import annotations

import re
from collections.abc import Mapping
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
) -> None:
    """Render and send one message; the subject is folded onto a single line."""
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=sender_address(), to=[to]
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    message.send()
