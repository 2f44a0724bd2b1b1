"""Actions on partner feeds: subscribing, fetching (from a task), and sharing an item as an
article — in full when its licence allows it (core.licences.republication_right), else as a
short excerpt with a link to the original.

Fetching and parsing go through core.feeds (core.fetch underneath), never inside a database
transaction; the result is stored in one. A feed that keeps failing is fetched less and less
often.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.articles import services as articles
from maillage.articles.models import Article, ArticleLanguage, ArticleOrigin
from maillage.articles.syndication.html_markdown import excerpt, html_to_markdown, plain_text
from maillage.articles.syndication.models import (
    FETCH_INTERVAL,
    MAX_BACKOFF,
    FeedItem,
    FetchStatus,
    Subscription,
)
from maillage.core.db import lock_for_update, write_transaction
from maillage.core.feeds import (
    FEED_ERRORS,
    FeedEntry,
    FeedFetch,
    NotAFeed,
    ParsedFeed,
    fetch_feed,
    find_feeds,
)
from maillage.core.licences import (
    Licence,
    licence_for,
    licence_from_declaration,
    republication_right,
)
from maillage.members.models import User

# How long a fetch in progress keeps others from starting on the same feed.
FETCH_CLAIM = timedelta(minutes=10)
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


def due_subscription_ids(now: datetime | None = None) -> list[int]:
    return list(
        Subscription.objects.due(now).order_by("next_fetch_at").values_list("pk", flat=True)
    )


# --- Fetching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchReport:
    status: str
    new_items: int = 0
    updated_items: int = 0
    message: str = ""


def backoff(failures: int) -> timedelta:
    """Wait after `failures` failed fetches in a row: the interval, doubled each time, capped."""
    if failures <= 0:
        return FETCH_INTERVAL
    return min(FETCH_INTERVAL * (2 ** min(failures, 16)), MAX_BACKOFF)


def _claim(subscription_id: int, *, force: bool, now: datetime) -> Subscription | None:
    """The subscription, if this fetch may run: a scheduled one only when due and not already
    being fetched (the claim pushes the next fetch time away while this one runs)."""
    queryset = Subscription.objects.filter(pk=subscription_id)
    if not force:
        queryset = queryset.filter(is_active=True, next_fetch_at__lte=now)
    with write_transaction():
        claimed = queryset.update(next_fetch_at=now + FETCH_CLAIM)
    return Subscription.objects.filter(pk=subscription_id).first() if claimed else None


def _download(subscription: Subscription) -> tuple[FeedFetch, str | None]:
    """The feed (conditional GET), and the feed address found when the subscription gave a
    blog's page instead: the page's <link rel="alternate"> (or a usual place such as /feed/)."""
    try:
        return (
            fetch_feed(
                subscription.feed_url,
                etag=subscription.etag or None,
                last_modified=subscription.last_modified or None,
            ),
            None,
        )
    except NotAFeed:
        search = find_feeds(subscription.feed_url)
        if search.is_feed or not search.feeds:
            raise NotAFeed(
                _("This page announces no RSS or Atom feed: give the feed's own address.")
            ) from None
        discovered = search.feeds[0].url
        return fetch_feed(discovered), discovered


def fetch_subscription(
    *, subscription_id: int, force: bool = False, now: datetime | None = None
) -> FetchReport | None:
    """Fetch one partner feed (through core.feeds) and keep its new items; None when it was not
    due (or is gone).

    Every outcome is recorded on the subscription (status, error or warning, next fetch time,
    backing off while it keeps failing), so coordinators see it on their page.
    """
    now = now or timezone.now()
    subscription = _claim(subscription_id, force=force, now=now)
    if subscription is None:
        return None
    try:
        fetched, discovered = _download(subscription)
    except FEED_ERRORS as error:
        return _record_failure(subscription, str(getattr(error, "message", "") or error), now)
    if fetched.feed is None:
        return _record(subscription, FetchReport(FetchStatus.NOT_MODIFIED), fetched, now)
    return _store(subscription, fetched, fetched.feed, discovered, now)


def _record(
    subscription: Subscription, report: FetchReport, fetched: FeedFetch, now: datetime
) -> FetchReport:
    with write_transaction():
        Subscription.objects.filter(pk=subscription.pk).update(
            last_status=report.status,
            last_error=report.message,
            last_fetched_at=now,
            failure_count=0,
            etag=(fetched.etag or "")[:300],
            last_modified=(fetched.last_modified or "")[:100],
            next_fetch_at=now + FETCH_INTERVAL,
        )
    return report


def _record_failure(subscription: Subscription, message: str, now: datetime) -> FetchReport:
    failures = subscription.failure_count + 1
    with write_transaction():
        Subscription.objects.filter(pk=subscription.pk).update(
            last_status=FetchStatus.ERROR,
            last_error=message,
            last_fetched_at=now,
            failure_count=failures,
            next_fetch_at=now + backoff(failures),
        )
    return FetchReport(FetchStatus.ERROR, message=message)


def entry_licence(
    entry: FeedEntry, feed: ParsedFeed, *, default: str = ""
) -> tuple[Licence | None, str]:
    """The licence of an entry and the declaration it comes from: what the entry declares
    itself, else what its feed declares, else the subscription's default (declared as "").

    An entry that declares something we do not recognise stays unknown: its feed's licence
    does not speak for it.
    """
    own = [
        value
        for value, inherited in ((entry.licence_url, feed.licence_url), (entry.rights, feed.rights))
        if value and value != inherited
    ]
    inherited = [value for value in (feed.licence_url, feed.rights) if value]
    for declarations in (own, inherited):
        if declarations:
            for declaration in declarations:
                licence = licence_from_declaration(declaration)
                if licence is not None:
                    return licence, declaration
            return None, declarations[0]
    return licence_for(default), ""


def _language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()[:10]


def _values(entry: FeedEntry, feed: ParsedFeed, subscription: Subscription) -> dict[str, Any]:
    licence, declared = entry_licence(entry, feed, default=subscription.default_licence)
    return {
        "guid": (entry.guid or entry.key)[:500],
        "link": entry.link if len(entry.link) <= 500 else "",
        "title": (entry.title or entry.link)[:300],
        "author": entry.author[:200],
        "published_at": entry.date,
        "language": _language(entry.language),
        "summary": entry.summary,
        "content": entry.content,
        "licence": licence.value if licence else "",
        "licence_declared": declared[:500],
    }


def _store(
    subscription: Subscription,
    fetched: FeedFetch,
    feed: ParsedFeed,
    discovered: str | None,
    now: datetime,
) -> FetchReport:
    with write_transaction():
        if discovered and discovered != subscription.feed_url:
            taken = Subscription.objects.filter(feed_url=discovered).exclude(pk=subscription.pk)
            if taken.exists():
                message = _("The network already follows the feed this page announces (%(url)s).")
                return _record_failure(subscription, message % {"url": discovered}, now)
            site = subscription.site_url or subscription.feed_url
            Subscription.objects.filter(pk=subscription.pk).update(
                feed_url=discovered, site_url=site
            )
        elif not subscription.site_url and feed.site_url:
            Subscription.objects.filter(pk=subscription.pk).update(site_url=feed.site_url[:500])
        new, updated = _store_items(subscription, feed, now)
        Subscription.objects.filter(pk=subscription.pk).update(feed_title=feed.title)
        status = FetchStatus.WARNING if feed.warning else FetchStatus.OK
        report = FetchReport(status, new_items=new, updated_items=updated, message=feed.warning)
        return _record(subscription, report, fetched, now)


def _store_items(subscription: Subscription, feed: ParsedFeed, now: datetime) -> tuple[int, int]:
    """Keep each entry once: found again by its digest (its guid, else its link), or else by its
    link (a partner whose blog changes its identifiers does not get its posts duplicated)."""
    entries = [entry for entry in feed.entries if entry.digest and (entry.title or entry.link)]
    digests = [entry.digest for entry in entries]
    links = [entry.link for entry in entries if entry.link]
    known = list(
        FeedItem.objects.filter(subscription=subscription).filter(
            Q(digest__in=digests) | Q(link__in=links)
        )
    )
    by_digest = {item.digest: item for item in known}
    by_link = {item.link: item for item in known if item.link}
    created: list[FeedItem] = []
    updated = 0
    seen: set[int] = set()
    for entry in entries:
        existing = by_digest.get(entry.digest) or (by_link.get(entry.link) if entry.link else None)
        values = _values(entry, feed, subscription)
        if existing is None:
            row = FeedItem(
                subscription=subscription,
                digest=entry.digest,
                fetched_at=now,
                updated_at=now,
                **values,
            )
            created.append(row)
            by_digest[entry.digest] = row
            if row.link:
                by_link[row.link] = row
            continue
        if existing.pk is None or existing.pk in seen:
            continue  # the same post twice in one feed
        seen.add(existing.pk)
        values.pop("guid")
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.updated_at = now
            existing.save(update_fields=[*changed, "updated_at"])
            updated += 1
    FeedItem.objects.bulk_create(created)
    return len(created), updated


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
    declared = item.licence_declared
    return articles.ArticleSource(
        origin=origin,
        url=item.link,
        site_name=item.subscription.name,
        site_url=item.subscription.site_url,
        author=item.author,
        published_at=item.published_at,
        licence_url=declared if declared.startswith(("http://", "https://")) else "",
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
