"""Actions on partner feeds: subscribing (the fetching itself is in fetching.py, run by tasks),
and sharing an item as an article — in full when its licence allows it
(core.licences.republication_right), else as a short excerpt with a link to the original.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.articles import services as articles
from maillage.articles.models import Article, ArticleLanguage, ArticleOrigin
from maillage.articles.syndication.html_markdown import excerpt, html_to_markdown, plain_text
from maillage.articles.syndication.models import FeedItem, FetchStatus, Subscription
from maillage.core.db import lock_for_update, write_transaction
from maillage.core.licences import Licence, declared_licence, republication_right
from maillage.members.models import User

SUMMARY_WORDS = 40
# How blogs end a summary cut from the text: "[…]", "[...]", "…".
_CUT_MARK = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*$")


class SyndicationError(Exception):
    """An action that cannot be done; str() says why, to a person."""

    default_message: str | Promise = gettext_lazy("This action is not possible.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(SyndicationError, PermissionDenied):
    default_message = gettext_lazy("Only the network's coordinators manage partner feeds.")


class AlreadyShared(SyndicationError):
    default_message = gettext_lazy("This item has already been shared as an article.")


class LicenceForbids(SyndicationError):
    default_message = gettext_lazy(
        "The licence of this item does not allow republishing it: share an excerpt with a link "
        "to the original instead."
    )


def can_manage(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_coordinator)


def _require(user: Any) -> None:
    if not can_manage(user):
        raise NotAllowed()


# --- Subscriptions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionData:
    name: str
    feed_url: str
    site_url: str = ""
    default_licence: str = ""
    is_active: bool = True


def subscribe(*, by: User, data: SubscriptionData) -> Subscription:
    """A new partner feed; its first fetch is queued at once."""
    _require(by)
    with write_transaction():
        subscription = Subscription.objects.create(
            name=data.name.strip(),
            feed_url=data.feed_url.strip(),
            site_url=data.site_url.strip(),
            default_licence=data.default_licence,
            is_active=data.is_active,
            created_by=by,
        )
    # Queued once the row is committed and write_transaction's lock released: in immediate
    # mode (tests) the fetch runs at once and takes that lock again.
    _queue_fetch(subscription)
    return subscription


def update_subscription(*, subscription: Subscription, by: User, data: SubscriptionData) -> None:
    _require(by)
    with write_transaction():
        locked = lock_for_update(Subscription.objects.filter(pk=subscription.pk)).get()
        moved = locked.feed_url != data.feed_url.strip()
        locked.name = data.name.strip()
        locked.feed_url = data.feed_url.strip()
        locked.site_url = data.site_url.strip()
        locked.default_licence = data.default_licence
        locked.is_active = data.is_active
        if moved:
            # Another address: what we knew of the old one says nothing about it.
            locked.etag = locked.last_modified = ""
            locked.failure_count = 0
            locked.last_status = FetchStatus.NEVER
            locked.last_error = ""
            locked.next_fetch_at = timezone.now()
        locked.save()
    subscription.refresh_from_db()


def request_fetch(*, subscription: Subscription, by: User) -> None:
    """The "fetch now" button: queued as a task, whatever the feed's schedule says."""
    _require(by)
    _queue_fetch(subscription, force=True)


def _queue_fetch(subscription: Subscription, *, force: bool = False) -> None:
    from maillage.articles.syndication import tasks

    subscription_id = subscription.pk
    transaction.on_commit(lambda: tasks.fetch_partner_feed(subscription_id, force))


# --- Sharing an item as an article ---------------------------------------------------------------


def _locked_item(item: FeedItem) -> FeedItem:
    locked = (
        lock_for_update(FeedItem.objects.filter(pk=item.pk)).select_related("subscription").get()
    )
    if locked.article_id is not None:
        raise AlreadyShared()
    if not locked.link:
        raise SyndicationError(
            _("This item has no address of its own: it cannot be credited, so not shared.")
        )
    return locked


def _article_language(item: FeedItem) -> str:
    return item.language if item.language in ArticleLanguage.values else "fr"


def _source(item: FeedItem, origin: ArticleOrigin) -> articles.ArticleSource:
    # The exact licence declared (an address, or a name such as "CC BY-SA 3.0 FR" read as its
    # official address), for the attribution to credit that version rather than our 4.0.
    declared = declared_licence(item.licence_declared)
    licence_url = declared.url if declared and declared.licence == item.licence else ""
    return articles.ArticleSource(
        origin=origin,
        url=item.link,
        site_name=item.subscription.name,
        site_url=item.subscription.site_url,
        author=item.author,
        published_at=item.published_at,
        licence_url=licence_url[:500],
    )


def _share(item: FeedItem, by: User, content: articles.ArticleContent, publish: bool) -> Article:
    article = articles.create_article(by=by, content=content)
    if publish:
        articles.publish_article(article=article, by=by)
    FeedItem.objects.filter(pk=item.pk).update(
        article=article, shared_at=timezone.now(), shared_by=by
    )
    return article


def _distinct_summary(item: FeedItem) -> str:
    """The feed's summary as the article's, unless it only repeats the text's first words (as
    most blogs' summaries do): the page would then say the same thing twice."""
    if not item.summary or not item.content:
        return ""
    said = _CUT_MARK.sub("", plain_text(item.summary))
    if not said or plain_text(item.content).startswith(said):
        return ""
    return excerpt(item.summary, words=SUMMARY_WORDS)[:400]


def republish_item(*, item: FeedItem, by: User, publish: bool = False) -> Article:
    """The item in full as an article (a draft, or published now), credited to the partner,
    under the original's licence. Refused unless that licence allows it, and done once only."""
    _require(by)
    with write_transaction():
        locked = _locked_item(item)
        right = republication_right(locked.licence)
        if not right.allows_republication:
            raise LicenceForbids()
        body = html_to_markdown(locked.content or locked.summary)
        if not body:
            raise SyndicationError(_("This item has no text to republish."))
        content = articles.ArticleContent(
            title=locked.title[:200],
            body=body,
            summary=_distinct_summary(locked),
            licence=locked.licence,
            language=_article_language(locked),
            source=_source(locked, ArticleOrigin.REPUBLISHED),
        )
        article = _share(locked, by, content, publish)
    item.refresh_from_db()
    return article


def share_excerpt(*, item: FeedItem, by: User, publish: bool = False) -> Article:
    """A short article quoting the item's first words (at most about sixty), credited to the
    partner, linking to the original: what any licence allows, all rights reserved included."""
    _require(by)
    with write_transaction():
        locked = _locked_item(item)
        quoted = excerpt(locked.summary or locked.content)
        if not quoted:
            raise SyndicationError(_("This item has no text to quote."))
        content = articles.ArticleContent(
            title=locked.title[:200],
            body=html_to_markdown(f"<blockquote><p>{html.escape(quoted)}</p></blockquote>"),
            licence=locked.licence or Licence.ALL_RIGHTS_RESERVED,
            language=_article_language(locked),
            source=_source(locked, ArticleOrigin.EXCERPT),
        )
        article = _share(locked, by, content, publish)
    item.refresh_from_db()
    return article
