"""Daily and weekly digests: one per member and period, made at MAILING_DIGEST_HOUR local time,
skipped when there is nothing to say, sent through the same batches as list mail.

A digest holds what the network did in its window: new workshops with places left, new articles
and reports, list threads (of the lists the member receives in that digest), and for the member
alone, replies to their comments and new shared bookmarks in the tags they follow (the tags
chosen on their subscriptions page, else their declared expertise).

What everyone sees is read once per window, as any member sees it (public and members-only
content; never anyone's private content, drafts or held messages), and rendered once; only the
personal part is read and rendered per member, in bulk per batch. This is what lets 10,000
digests go out in well under a minute (bench/mailing_digest.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.core.mail import one_click_unsubscribe_headers, sender_address
from maillage.mailing import addresses
from maillage.mailing.models import (
    DeliveryMode,
    DeliveryState,
    Digest,
    DigestPeriod,
    FollowedTag,
    MailingList,
    MessageStatus,
    Subscription,
)
from maillage.mailing.services.outgoing import CLAIM, BatchResult, absolute, send_batch
from maillage.members.models import User

logger = logging.getLogger(__name__)

SECTION_LIMIT = 10
SHARED_PART_LIFETIME = 15 * 60
STOP_DIGEST_SALT = "maillage.mailing.stop-digest"
MODE_OF_PERIOD = {DigestPeriod.DAILY: DeliveryMode.DAILY, DigestPeriod.WEEKLY: DeliveryMode.WEEKLY}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Window:
    """One period's digest: the local day it goes out, and what it covers [since, until)."""

    period: str
    day: date
    since: datetime
    until: datetime


def window_for(period: str, day: date) -> Window:
    hour = int(getattr(settings, "MAILING_DIGEST_HOUR", 7))
    until = datetime.combine(day, time(hour), tzinfo=local_zone())
    length = timedelta(days=7) if period == DigestPeriod.WEEKLY else timedelta(days=1)
    return Window(period=period, day=day, since=until - length, until=until)


def due_windows(now: datetime | None = None) -> list[Window]:
    """The windows whose hour has come today (a worker that was down catches up later on)."""
    local = timezone.localtime(now or timezone.now(), local_zone())
    if local.hour < int(getattr(settings, "MAILING_DIGEST_HOUR", 7)):
        return []
    windows = [window_for(DigestPeriod.DAILY, local.date())]
    if local.weekday() == int(getattr(settings, "MAILING_WEEKLY_DIGEST_DAY", 0)):
        windows.append(window_for(DigestPeriod.WEEKLY, local.date()))
    return windows


def create_digests(window: Window) -> list[int]:
    """A digest row for every member receiving this period (once: the rows are unique), and
    the ids of those still to be sent."""
    mode = MODE_OF_PERIOD[DigestPeriod(window.period)]
    members = (
        Subscription.objects.receiving()
        .filter(mode=mode, mailing_list__is_active=True)
        .values_list("member_id", "member__email")
        .distinct()
    )
    claimed_until = timezone.now() + CLAIM
    Digest.objects.bulk_create(
        [
            Digest(
                member_id=member_id,
                period=window.period,
                period_start=window.day,
                address=email,
                next_attempt_at=claimed_until,
            )
            for member_id, email in members
            if email
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return list(
        Digest.objects.filter(
            period=window.period, period_start=window.day, state=DeliveryState.PENDING
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def create_due_digests(now: datetime | None = None) -> list[int]:
    ids: list[int] = []
    for window in due_windows(now):
        ids.extend(create_digests(window))
    return ids


# --- What a digest says ----------------------------------------------------------------------


def typical_member() -> User:
    """A viewer who is a member and nothing more (owns nothing, runs nothing): what the
    selectors show it, every member may see."""
    return User(pk=0, is_active=True, trust_level=0)


@dataclass
class Section:
    key: str
    title: str
    items: list[dict[str, Any]]


@dataclass
class SharedPart:
    """Rendered once per window: the network's news, and each list's threads."""

    network_count: int
    network_text: str
    network_html: SafeString
    list_parts: dict[int, tuple[int, str, SafeString]] = field(default_factory=dict)


def _render(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context)


def _sections_part(sections: list[Section]) -> tuple[int, str, SafeString]:
    sections = [section for section in sections if section.items]
    if not sections:
        return 0, "", mark_safe("")
    context = {"sections": sections}
    text = _render("mailing/emails/_digest_sections.txt", context)
    html = mark_safe(_render("mailing/emails/_digest_sections.html", context))  # noqa: S308
    return sum(len(section.items) for section in sections), text, html


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value, local_zone()), "l j F Y, H\xa0\\h\xa0i")


def network_sections(window: Window) -> list[Section]:
    from maillage.articles.selectors import listed_articles
    from maillage.events.models import EventStatus
    from maillage.events.selectors import listed_events, places_left

    viewer = typical_member()
    events = [
        event
        for event in listed_events(viewer)
        .filter(
            status=EventStatus.PUBLISHED,
            published_at__gte=window.since,
            published_at__lt=window.until,
            starts_at__gt=window.until,
        )
        .order_by("starts_at", "pk")
        if places_left(event) != 0
    ][:SECTION_LIMIT]
    articles = list(
        listed_articles(viewer).filter(
            published_at__gte=window.since, published_at__lt=window.until
        )[:SECTION_LIMIT]
    )
    return [
        Section(
            "events",
            _("New workshops with places left"),
            [
                {
                    "title": event.title,
                    "url": absolute(event.get_absolute_url()),
                    "detail": _when(event.starts_at),
                }
                for event in events
            ],
        ),
        Section(
            "articles",
            _("New articles and reports"),
            [
                {
                    "title": article.title,
                    "url": absolute(article.get_absolute_url()),
                    "detail": ", ".join(author.display_name for author in article.authors.all()),
                }
                for article in articles
            ],
        ),
    ]


def list_section(mailing_list: MailingList, window: Window) -> Section:
    new_messages = Count(
        "messages",
        filter=Q(
            messages__status=MessageStatus.PUBLISHED,
            messages__published_at__gte=window.since,
            messages__published_at__lt=window.until,
        ),
    )
    threads = (
        mailing_list.threads.annotate(new_messages=new_messages)
        .filter(new_messages__gt=0)
        .order_by("-last_message_at", "-pk")[:SECTION_LIMIT]
    )
    return Section(
        f"list-{mailing_list.pk}",
        _("On the list %(name)s") % {"name": mailing_list.name},
        [
            {
                "title": thread.subject,
                "url": absolute(
                    reverse(
                        "mailing:thread",
                        kwargs={"slug": mailing_list.slug, "thread_id": thread.pk},
                    )
                ),
                "detail": _("%(count)s new messages") % {"count": thread.new_messages},  # type: ignore[attr-defined]
            }
            for thread in threads
        ],
    )


class Composer:
    """Builds the digests of one window; shared parts are read and rendered once."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self._shared: SharedPart | None = None
        self._bookmarks: list[tuple[Any, set[int]]] | None = None
        self.network_list = MailingList.objects.active().filter(is_network_list=True).first()

    def shared(self) -> SharedPart:
        """Read and rendered once per window, kept a few minutes in the cache for the batches
        that follow (the same for everyone: never anything personal in it)."""
        if self._shared is None:
            key = f"mailing:digest-shared:{self.window.period}:{self.window.day.isoformat()}"
            part = cache.get(key)
            if part is None:
                count, text, html = _sections_part(network_sections(self.window))
                part = SharedPart(network_count=count, network_text=text, network_html=html)
                for mailing_list in MailingList.objects.active():
                    part.list_parts[mailing_list.pk] = _sections_part(
                        [list_section(mailing_list, self.window)]
                    )
                cache.set(key, part, SHARED_PART_LIFETIME)
            self._shared = part
        return self._shared

    def new_shared_bookmarks(self) -> list[tuple[Any, set[int]]]:
        if self._bookmarks is None:
            from maillage.veille.selectors import shared_watch

            bookmarks = (
                shared_watch(typical_member())
                .filter(created_at__gte=self.window.since, created_at__lt=self.window.until)
                .select_related("owner")
                .prefetch_related("tags")
                .order_by("-created_at", "-pk")[:2000]
            )
            self._bookmarks = [
                (bookmark, {tag.pk for tag in bookmark.tags.all()}) for bookmark in bookmarks
            ]
        return self._bookmarks

    def followed_tags(self, member_ids: Iterable[int]) -> dict[int, set[int]]:
        member_ids = list(member_ids)
        followed: dict[int, set[int]] = defaultdict(set)
        for member_id, tag_id in FollowedTag.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "tag_id"
        ):
            followed[member_id].add(tag_id)
        without = [member_id for member_id in member_ids if member_id not in followed]
        if without:
            expertise = User.expertise.through.objects.filter(user_id__in=without)
            for member_id, tag_id in expertise.values_list("user_id", "tag_id"):
                followed[member_id].add(tag_id)
        return followed

    def replies(self, members: dict[int, User]) -> dict[int, list[Any]]:
        from maillage.articles.comments.models import Comment
        from maillage.articles.comments.selectors import comment_visible_to

        found: dict[int, list[Any]] = defaultdict(list)
        comments = (
            Comment.objects.published()
            .filter(
                published_at__gte=self.window.since,
                published_at__lt=self.window.until,
                parent__author_id__in=list(members),
            )
            .exclude(author_id=F("parent__author_id"))
            .select_related("author", "parent", "content_type")
            .order_by("published_at", "pk")
        )
        for comment in comments:
            assert comment.parent is not None and comment.parent.author_id is not None
            owner = members[comment.parent.author_id]
            # Only what the member may see: the page the reply is on may have closed since.
            if comment_visible_to(owner, comment) and len(found[owner.pk]) < SECTION_LIMIT:
                found[owner.pk].append(comment)
        return found

    def personal_sections(
        self, member: User, replies: list[Any], followed: set[int]
    ) -> list[Section]:
        bookmarks = [
            bookmark
            for bookmark, tags in self.new_shared_bookmarks()
            if bookmark.owner_id != member.pk and tags & followed
        ][:SECTION_LIMIT]
        return [
            Section(
                "replies",
                _("Replies to your comments"),
                [
                    {
                        "title": _("%(name)s on “%(target)s”")
                        % {"name": comment.name, "target": comment.target},
                        "url": absolute(comment.get_absolute_url()),
                        "detail": comment.body[:200],
                    }
                    for comment in replies
                ],
            ),
            Section(
                "bookmarks",
                _("New shared bookmarks in the tags you follow"),
                [
                    {
                        "title": bookmark.display_title,
                        "url": absolute(bookmark.get_absolute_url()),
                        "detail": _("kept by %(name)s") % {"name": bookmark.owner.display_name},
                    }
                    for bookmark in bookmarks
                ],
            ),
        ]


@dataclass
class ComposedDigest:
    digest: Digest
    item_count: int
    text: str = ""
    html: str = ""
    subject: str = ""
    unsubscribe_url: str = ""


def stop_digest_token(member_id: int, period: str) -> str:
    return signing.dumps({"m": member_id, "p": period}, salt=STOP_DIGEST_SALT, compress=True)


def read_stop_digest_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=STOP_DIGEST_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in DigestPeriod.values:
        return None
    return int(data["m"]), str(data["p"])


def compose(composer: Composer, digests: Sequence[Digest]) -> list[ComposedDigest]:
    """The digests of a batch, empty ones included (item_count 0)."""
    window = composer.window
    mode = MODE_OF_PERIOD[DigestPeriod(window.period)]
    members = {digest.member_id: digest.member for digest in digests}
    subscriptions: dict[int, list[int]] = defaultdict(list)
    for member_id, list_id in (
        Subscription.objects.receiving()
        .filter(member_id__in=list(members), mode=mode, mailing_list__is_active=True)
        .values_list("member_id", "mailing_list_id")
    ):
        subscriptions[member_id].append(list_id)
    shared = composer.shared()
    replies = composer.replies(members)
    followed = composer.followed_tags(members)
    network_id = composer.network_list.pk if composer.network_list else None
    period_name = (
        _("your daily digest") if window.period == DigestPeriod.DAILY else _("your weekly digest")
    )
    subject = _("%(site)s — %(digest)s, %(day)s") % {
        "site": settings.SITE_NAME,
        "digest": period_name,
        "day": date_format(window.day, "j F Y"),
    }
    composed: list[ComposedDigest] = []
    for digest in digests:
        member = digest.member
        list_ids = subscriptions.get(member.pk, [])
        count = 0
        text_parts: list[str] = []
        html_parts: list[str] = []
        if network_id in list_ids and shared.network_count:
            count += shared.network_count
            text_parts.append(shared.network_text)
            html_parts.append(shared.network_html)
        for list_id in list_ids:
            list_count, list_text, list_html = shared.list_parts.get(list_id, (0, "", ""))
            if list_count:
                count += list_count
                text_parts.append(list_text)
                html_parts.append(list_html)
        if network_id in list_ids:
            personal_count, personal_text, personal_html = _sections_part(
                composer.personal_sections(
                    member, replies.get(member.pk, []), followed.get(member.pk, set())
                )
            )
            if personal_count:
                count += personal_count
                text_parts.insert(0, personal_text)
                html_parts.insert(0, personal_html)
        item = ComposedDigest(digest=digest, item_count=count)
        if count:
            item.subject = subject
            item.unsubscribe_url = absolute(
                reverse(
                    "mailing:stop_digest",
                    kwargs={"token": stop_digest_token(member.pk, window.period)},
                )
            )
            context = {
                "member": member,
                "period_name": period_name,
                "day": window.day,
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
                "subscriptions_url": absolute(reverse("mailing:subscriptions")),
                "unsubscribe_url": item.unsubscribe_url,
            }
            item.text = _render(
                "mailing/emails/digest.txt", {**context, "sections": "\n".join(text_parts)}
            )
            item.html = _render(
                "mailing/emails/digest.html",
                {**context, "sections": mark_safe("".join(html_parts))},  # noqa: S308
            )
        composed.append(item)
    return composed


def digest_email(item: ComposedDigest) -> EmailMultiAlternatives:
    headers = {
        **one_click_unsubscribe_headers(item.unsubscribe_url),
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
        "X-Auto-Response-Suppress": "All",
    }
    email = EmailMultiAlternatives(
        subject=item.subject,
        body=item.text,
        from_email=addresses.bounce_address(digest_id=item.digest.pk),
        to=[item.digest.address or item.digest.member.email],
        headers={**headers, "From": sender_address()},
    )
    email.attach_alternative(item.html, "text/html")
    return email


def _email_of(composed: dict[int, ComposedDigest], digest: Digest) -> EmailMultiAlternatives:
    return digest_email(composed[digest.pk])


def send_digests(*, digest_ids: Sequence[int]) -> BatchResult:
    """Compose and send these digests (those still waiting); empty ones are marked skipped."""
    digests = list(
        Digest.objects.filter(pk__in=digest_ids, state=DeliveryState.PENDING)
        .select_related("member")
        .order_by("period", "period_start", "pk")
    )
    result = BatchResult()
    by_window: dict[tuple[str, date], list[Digest]] = defaultdict(list)
    for digest in digests:
        by_window[(digest.period, digest.period_start)].append(digest)
    for (period, day), group in by_window.items():
        composer = _composer_for(window_for(period, day))
        with translation.override(settings.LANGUAGE_CODE):
            composed = compose(composer, group)
        empty = [item.digest for item in composed if not item.item_count]
        for digest in empty:
            digest.empty = True
            digest.state = DeliveryState.SKIPPED
        Digest.objects.bulk_update(empty, ["empty", "state"], batch_size=500)
        result.skipped.extend(digest.pk for digest in empty)
        full = {item.digest.pk: item for item in composed if item.item_count}
        counts = [item.digest for item in full.values()]
        for digest in counts:
            digest.item_count = full[digest.pk].item_count
        Digest.objects.bulk_update(counts, ["item_count"], batch_size=500)
        sent = send_batch(Digest, counts, partial(_email_of, full))
        result.sent.extend(sent.sent)
        result.failed.extend(sent.failed)
        result.deferred.extend(sent.deferred)
    return result


def _composer_for(window: Window) -> Composer:
    return Composer(window)
