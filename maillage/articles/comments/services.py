"""Actions on comments: post (members and guests), confirm a guest's comment, edit, delete, the
review callbacks, and who hears about new comments."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.articles.comments import review, targets
from maillage.articles.comments.models import (
    BODY_MAX_LENGTH,
    EDIT_WINDOW,
    Comment,
    CommentStatus,
    CommentSubscription,
)
from maillage.core import search
from maillage.core.confirmation import email_confirmation_token, read_confirmation_token
from maillage.core.ratelimit import RateLimit, too_many_attempts_message

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "maillage.comments.guest-confirmation"
GUEST_NAME_MAX_LENGTH = 120


class CommentError(Exception):
    """A comment that cannot be posted or changed; the message is shown to the person."""

    status_code = 400


class TooManyComments(CommentError):
    status_code = 429


class DiscussionClosed(CommentError):
    status_code = 403


def closed_message() -> str:
    return _("The discussion is closed; its comments stay readable.")


def guest_limit() -> RateLimit:
    return RateLimit(
        "comment-guest",
        getattr(settings, "COMMENT_GUEST_RATE_LIMIT", 5),
        getattr(settings, "COMMENT_GUEST_RATE_WINDOW", 60 * 60),
    )


def _current_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _ip_or_none(ip: str) -> str | None:
    """A client address worth storing ("unknown" behind a broken proxy is not one)."""
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise CommentError(_("Write something before sending."))
    if len(body) > BODY_MAX_LENGTH:
        raise CommentError(
            _("A comment is at most %(count)s characters long.") % {"count": BODY_MAX_LENGTH}
        )
    return body


def _refusal(verdict: review.Verdict) -> CommentError:
    return CommentError(_("This comment cannot be published. Please rephrase it and try again."))


# --- Posting --------------------------------------------------------------------------------------


def post_comment(
    *,
    target: models.Model,
    author: Any = None,
    guest_name: str = "",
    guest_email: str = "",
    body: str,
    parent: Comment | None = None,
    ip: str = "",
) -> Comment:
    """Post a comment on `target`, by a member (`author`) or a guest (name and email).

    A member's comment is published or held as the review policy decides. A guest's waits for
    the confirmation link sent to their address; the policy decides when they confirm.
    Raises CommentError with a message for the person (refused, too many attempts, …).
    """
    kind = targets.kind_of(target)
    if kind is None:
        raise CommentError(_("Comments are not open here."))
    if not kind.is_open(target):
        raise DiscussionClosed(closed_message())
    body = _clean_body(body)
    guest = author is None
    if guest:
        guest_name = guest_name.strip()[:GUEST_NAME_MAX_LENGTH]
        guest_email = guest_email.strip().lower()
        if not guest_name:
            raise CommentError(_("Give a name to sign your comment."))
        try:
            validate_email(guest_email)
        except ValidationError as error:
            raise CommentError(_("Enter a valid email address.")) from error
        # Each guest comment sends an email: a stranger may not flood an inbox with them.
        identities = {"ip": ip or "unknown", "account": guest_email}
        wait = guest_limit().seconds_left(**identities)
        if wait:
            raise TooManyComments(too_many_attempts_message(wait))
        guest_limit().record(**identities)
    if parent is not None:
        same_target = (
            parent.content_type_id == ContentType.objects.get_for_model(target).pk
            and parent.object_id == target.pk
        )
        if not same_target or parent.status != CommentStatus.PUBLISHED:
            raise CommentError(_("The comment you answer is no longer there."))

    verdict = None
    if guest:
        status = CommentStatus.PENDING_EMAIL
    else:
        verdict = review.decide(author=author, text=body, guest=False)
        if verdict.rejected:
            raise _refusal(verdict)
        status = CommentStatus.PUBLISHED if verdict.visible_now else CommentStatus.HELD

    with transaction.atomic():
        comment = Comment.objects.create(
            target=target,
            author=author,
            guest_name="" if author else guest_name,
            guest_email="" if author else guest_email,
            body=body,
            parent=parent,
            thread=(parent.thread or parent) if parent is not None else None,
            status=status,
            published_at=timezone.now() if status == CommentStatus.PUBLISHED else None,
            language=_current_language(),
            ip_address=_ip_or_none(ip),
        )
        if verdict is not None:
            review.record(comment=comment, verdict=verdict)
        search.index(comment)
        if guest:
            _queue_guest_confirmation(comment)
        elif status == CommentStatus.PUBLISHED:
            _after_publication(comment)
    logger.info("Comment %s posted on %s %s: %s", comment.pk, kind.key, target.pk, status)
    return comment


# --- Guests confirm by email ----------------------------------------------------------------------


def confirmation_token(comment: Comment) -> str:
    return email_confirmation_token(
        object_id=comment.pk, email=comment.guest_email, salt=CONFIRMATION_SALT
    )


def confirmation_url(comment: Comment) -> str:
    path = reverse("comments:confirm", kwargs={"token": confirmation_token(comment)})
    return f"{settings.SITE_URL}{path}"


def comment_for_token(token: str) -> Comment | None:
    """The guest comment a confirmation link names, or None when it is invalid or expired."""
    try:
        confirmed = read_confirmation_token(token, salt=CONFIRMATION_SALT)
    except signing.BadSignature:
        return None
    return (
        Comment.objects.filter(pk=confirmed.object_id, guest_email=confirmed.email)
        .exclude(guest_email="")
        .first()
    )


def _queue_guest_confirmation(comment: Comment) -> None:
    from maillage.articles.comments import tasks

    comment_id, language = comment.pk, comment.language
    transaction.on_commit(lambda: tasks.send_guest_confirmation(comment_id, language))


def send_guest_confirmation(*, comment: Comment) -> None:
    from maillage.articles.comments import notifications

    notifications.send_guest_confirmation(comment=comment, url=confirmation_url(comment))


def confirm_guest_comment(*, token: str) -> Comment:
    """The guest opened their link: the review policy now decides. Using it twice is harmless."""
    found = comment_for_token(token)
    if found is None:
        raise CommentError(_("This confirmation link is not valid (any more)."))
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=found.pk)
        if comment.status != CommentStatus.PENDING_EMAIL:
            return comment
        verdict = review.decide(author=None, text=comment.body, guest=True)
        if verdict.rejected:
            comment.status = CommentStatus.REJECTED
            comment.save(update_fields=["status"])
            raise _refusal(verdict)
        if verdict.visible_now:
            _publish(comment)
        else:
            comment.status = CommentStatus.HELD
            comment.save(update_fields=["status"])
        review.record(comment=comment, verdict=verdict)
    return comment


# --- Editing and deleting -------------------------------------------------------------------------


def can_edit(user: Any, comment: Comment, now: Any = None, *, is_open: bool | None = None) -> bool:
    """Its author, within 15 minutes, while the discussion is open (`is_open` when the caller
    already knows it, so that a page of comments does not ask once per comment)."""
    allowed = (
        user is not None
        and getattr(user, "is_authenticated", False)
        and comment.author_id == user.pk
        and comment.status in (CommentStatus.PUBLISHED, CommentStatus.HELD)
        and (now or timezone.now()) < comment.created_at + EDIT_WINDOW
    )
    if not allowed:
        return False
    if is_open is None:
        target = comment.target
        is_open = target is not None and targets.open_to_comments(target)
    return is_open


def can_delete(user: Any, comment: Comment) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if comment.status == CommentStatus.DELETED:
        return False
    return comment.author_id == user.pk or bool(user.is_coordinator)


def edit_comment(*, comment: Comment, user: Any, body: str) -> Comment:
    """Its author corrects a comment within 15 minutes; the review policy looks at it again."""
    target = comment.target
    is_open = target is not None and targets.open_to_comments(target)
    if not is_open:
        raise DiscussionClosed(closed_message())
    if not can_edit(user, comment, is_open=is_open):
        raise CommentError(_("A comment can be edited by its author within 15 minutes."))
    body = _clean_body(body)
    verdict = review.decide(author=user, text=body, guest=False)
    if verdict.rejected:
        raise _refusal(verdict)
    with transaction.atomic():
        was_published = comment.status == CommentStatus.PUBLISHED
        comment.body = body
        comment.edited_at = timezone.now()
        comment.status = CommentStatus.PUBLISHED if verdict.visible_now else CommentStatus.HELD
        if comment.status == CommentStatus.PUBLISHED and comment.published_at is None:
            comment.published_at = comment.edited_at
        comment.save(update_fields=["body", "edited_at", "status", "published_at"])
        search.index(comment)
        review.record(comment=comment, verdict=verdict)
        if comment.status == CommentStatus.PUBLISHED and not was_published:
            _after_publication(comment)
    return comment


def delete_comment(*, comment: Comment, user: Any) -> Comment:
    """Its author or a coordinator deletes a comment; answers to it stay, under a placeholder."""
    if not can_delete(user, comment):
        raise CommentError(_("Only its author or a coordinator can delete this comment."))
    comment.status = CommentStatus.DELETED
    comment.deleted_at = timezone.now()
    comment.body = ""
    comment.save(update_fields=["status", "deleted_at", "body"])
    search.remove(Comment, [comment.pk])
    logger.info("Comment %s deleted by member %s", comment.pk, user.pk)
    return comment


# --- Publication and the review callbacks ---------------------------------------------------------


def _publish(comment: Comment) -> None:
    comment.status = CommentStatus.PUBLISHED
    comment.published_at = timezone.now()
    comment.save(update_fields=["status", "published_at"])
    search.index(comment)
    _after_publication(comment)


def _after_publication(comment: Comment) -> None:
    """Every way a comment gets published ends here: the notifications, and what other apps
    asked for comments on their targets (targets.add_publication_handler)."""
    from maillage.articles.comments import tasks

    comment_id = comment.pk
    transaction.on_commit(lambda: tasks.notify_about_comment(comment_id))
    model = ContentType.objects.get_for_id(comment.content_type_id).model_class()
    if targets.publication_handlers(model):
        transaction.on_commit(lambda: tasks.hand_published_comment_on(comment_id))


def hand_published_comment_on(*, comment: Comment) -> None:
    """Call the handlers registered for the comment's target; each is idempotent."""
    if comment.status != CommentStatus.PUBLISHED:
        return
    target = comment.target
    if target is None:
        return
    for handler in targets.publication_handlers(type(target)):
        handler(comment=comment, target=target)


def approve_comment(comment: Comment) -> None:
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status in (CommentStatus.HELD, CommentStatus.REJECTED, CommentStatus.SPAM):
            _publish(comment)


def reject_comment(comment: Comment, reason: str = "") -> None:
    Comment.objects.filter(pk=comment.pk).exclude(status=CommentStatus.DELETED).update(
        status=CommentStatus.REJECTED
    )
    search.remove(Comment, [comment.pk])


def mark_comment_as_spam(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).exclude(status=CommentStatus.DELETED).update(
        status=CommentStatus.SPAM
    )
    search.remove(Comment, [comment.pk])


def describe_comment(comment: Comment) -> str:
    target = comment.target
    return _("Comment by %(name)s on “%(target)s”: %(text)s") % {
        "name": comment.name,
        "target": target,
        "text": comment.body[:200],
    }


def comment_url(comment: Comment) -> str:
    return comment.get_absolute_url()


# --- Subscriptions --------------------------------------------------------------------------------


def subscribe(*, target: models.Model, email: str, user: Any = None) -> CommentSubscription:
    """Follow a target's comments; someone who unsubscribed stays unsubscribed."""
    content_type = ContentType.objects.get_for_model(target)
    subscription, _created = CommentSubscription.objects.get_or_create(
        content_type=content_type,
        object_id=target.pk,
        email=email.strip().lower(),
        defaults={"user": user},
    )
    return subscription


def unsubscribe(*, token: str) -> CommentSubscription | None:
    subscription = CommentSubscription.objects.filter(token=token).first()
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def recipients_for(comment: Comment) -> list[CommentSubscription]:
    """Who hears about this comment: the target's authors and earlier commenters, each once,
    never the comment's own author; then its author follows the target too."""
    target = comment.target
    if target is None:
        return []
    kind = targets.kind_of(target)
    if kind is None:
        return []
    for person in kind.authors(target):
        if person.email:
            subscribe(target=target, email=person.email, user=person)
    own_email = comment.email.lower()
    recipients = list(
        CommentSubscription.objects.filter(
            content_type_id=comment.content_type_id,
            object_id=comment.object_id,
            unsubscribed_at__isnull=True,
        )
        .exclude(email=own_email)
        .order_by("pk")
    )
    if own_email:
        subscribe(target=target, email=own_email, user=comment.author)
    return recipients


def notify_about_comment(*, comment: Comment) -> int:
    """Email the people following the target about a newly published comment."""
    from maillage.articles.comments import notifications

    if comment.status != CommentStatus.PUBLISHED or comment.notified_at is not None:
        return 0
    sent = 0
    for subscription in recipients_for(comment):
        notifications.send_new_comment(comment=comment, subscription=subscription)
        sent += 1
    Comment.objects.filter(pk=comment.pk).update(notified_at=timezone.now())
    return sent
