"""List messages under the review policy (core.review): who may post is the list's setting
(every member, or members from a trust level); an email whose sender we cannot verify is held
too. The moderation queue approves, rejects or marks as spam through the callbacks below."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core import review as policy
from maillage.mailing.models import MailingList, PostingPolicy

KIND = "list_message"

# Reason codes of the conditions this app checks itself (core.review's `unmet`).
BELOW_LIST_TRUST = "below_list_trust"
UNVERIFIED_SENDER = "unverified_sender"


def unmet_conditions(*, author: Any, mailing_list: MailingList, verified: bool) -> list[str]:
    unmet: list[str] = []
    if (
        mailing_list.posting_policy == PostingPolicy.TRUSTED
        and getattr(author, "trust_level", 0) < mailing_list.min_trust_level
    ):
        unmet.append(BELOW_LIST_TRUST)
    if not verified:
        unmet.append(UNVERIFIED_SENDER)
    return unmet


def decide(
    *, author: Any, text: str, mailing_list: MailingList, verified: bool = True
) -> policy.Decision:
    return policy.decide(
        kind=KIND,
        author=author,
        text=text,
        unmet=unmet_conditions(author=author, mailing_list=mailing_list, verified=verified),
    )


def record(*, message: Any, decision: policy.Decision) -> None:
    policy.submit(content=message, kind=KIND, author=message.author, decision=decision)


def register_with_review_policy() -> None:
    from maillage.mailing.services import posting

    policy.register_reason_texts(
        {
            BELOW_LIST_TRUST: _("This list takes messages directly from a higher trust level."),
            UNVERIFIED_SENDER: _(
                "This email came without a reply address of ours nor a verified signature: "
                "its sender may be forged."
            ),
        }
    )
    callbacks: dict[str, Any] = {
        "approve": posting.approve_message,
        "reject": posting.reject_message,
        "mark_spam": posting.mark_message_as_spam,
        "describe": posting.describe_message,
        "url": posting.message_url,
    }
    from maillage.mailing.models import Message

    policy.register_reviewable(Message, **callbacks)
