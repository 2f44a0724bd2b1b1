"""The comments' emails: a guest's confirmation link, and news of a comment for its followers
(with a one-click unsubscribe link, RFC 8058)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from maillage.articles.comments.models import Comment, CommentSubscription
from maillage.core.mail import (
    one_click_unsubscribe_headers,
    send_templated_email,
    sender_address,
)


def _common() -> dict[str, Any]:
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}


def send_guest_confirmation(*, comment: Comment, url: str) -> None:
    send_templated_email(
        to=comment.guest_email,
        subject_template="comments/emails/confirm_subject.txt",
        body_template="comments/emails/confirm.txt",
        context={
            **_common(),
            "comment": comment,
            "target": comment.target,
            "confirmation_url": url,
            "max_age_days": settings.EMAIL_CONFIRMATION_MAX_AGE // 86400,
        },
    )


def send_new_comment(*, comment: Comment, subscription: CommentSubscription) -> None:
    unsubscribe_url = f"{settings.SITE_URL}{subscription.unsubscribe_url()}"
    context = {
        **_common(),
        "comment": comment,
        "target": comment.target,
        "comment_url": f"{settings.SITE_URL}{comment.get_absolute_url()}",
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("comments/emails/new_comment_subject.txt", context)
        body = render_to_string("comments/emails/new_comment.txt", context)
    message = EmailMultiAlternatives(
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(),
        body=body,
        from_email=sender_address(),
        to=[subscription.email],
        headers=one_click_unsubscribe_headers(unsubscribe_url),
    )
    message.send()
