"""The mailing list's data: lists and who receives them, threads and messages, what went out
(deliveries, digests) and what came in (raw emails, bounces)."""

from maillage.mailing.models.lists import (
    DIGEST_MODES,
    ArchiveAccess,
    DeliveryMode,
    FollowedTag,
    MailingList,
    PostingPolicy,
    ReplyPolicy,
    Subscription,
)
from maillage.mailing.models.mail import (
    Bounce,
    BounceKind,
    Delivery,
    DeliveryState,
    Digest,
    DigestPeriod,
    InboundMail,
    InboundOutcome,
)
from maillage.mailing.models.threads import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Attachment,
    Message,
    MessageSource,
    MessageStatus,
    Thread,
)

__all__ = [
    "BODY_MAX_LENGTH",
    "DIGEST_MODES",
    "SUBJECT_MAX_LENGTH",
    "ArchiveAccess",
    "Attachment",
    "Bounce",
    "BounceKind",
    "Delivery",
    "DeliveryMode",
    "DeliveryState",
    "Digest",
    "DigestPeriod",
    "FollowedTag",
    "InboundMail",
    "InboundOutcome",
    "MailingList",
    "Message",
    "MessageSource",
    "MessageStatus",
    "PostingPolicy",
    "ReplyPolicy",
    "Subscription",
    "Thread",
]
