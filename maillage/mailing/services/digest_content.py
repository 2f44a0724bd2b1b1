"""What a digest says: the network's news of its window, each list's threads, and for each
member, replies to their comments and new shared bookmarks in the tags they follow (the tags
chosen on their subscriptions page, else their declared expertise).

What everyone sees is read once per window as any member sees it (public and members-only
content; never anyone's private content, drafts or held messages) and rendered once; only the
personal part is read and rendered per member, in bulk per batch of digests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.mailing.models import (
    DeliveryMode,
    Digest,
    DigestPeriod,
    FollowedTag,
    MailingList,
    MessageStatus,
    Subscription,
)
from maillage.mailing.services.outgoing import absolute
from maillage.members.models import User

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


@dataclass(frozen=True)
class SharedBookmark:
    order: int  # newest first
    owner_id: int
    title: str
    url: str
    detail: str
    tags: frozenset[int]


@dataclass
class SharedPart:
    """Rendered once per window: the network's news, and each list's threads."""

    network_count: int
    network_text: str
    network_html: SafeString
    list_parts: dict[int, tuple[int, str, SafeString]] = field(default_factory=dict)


def _render(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context)


# Sections are written out here rather than by templates: a digest run renders them for every
# member, and this is ten times faster than a template (bench/mailing_digest.py).
def _shorten(text: str, length: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _sections_text(sections: list[Section]) -> str:
    lines: list[str] = []
    for section in sections:
        lines += ["", section.title.upper(), ""]
        for item in section.items:
            detail = f" ({_shorten(item['detail'], 120)})" if item["detail"] else ""
            lines += [f"- {item['title']}{detail}", f"  {item['url']}"]
    return "\n".join(lines) + "\n"


def _sections_html(sections: list[Section]) -> SafeString:
    parts = []
    for section in sections:
        items = []
        for item in section.items:
            detail = (
                '<br><span style="color: #4a5160; font-size: .92em;">'
                f"{escape(_shorten(item['detail'], 160))}</span>"
                if item["detail"]
                else ""
            )
            items.append(
                f'<li style="margin-bottom: .4em;"><a href="{escape(item["url"])}">'
                f"{escape(item['title'])}</a>{detail}</li>"
            )
        parts.append(
            f'<h2 style="font-size: 1.15em; margin: 1.4em 0 .4em;">{escape(section.title)}</h2>'
            f'<ul style="padding-left: 1.2em;">{"".join(items)}</ul>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def _sections_part(sections: list[Section]) -> tuple[int, str, SafeString]:
    sections = [section for section in sections if section.items]
    if not sections:
        return 0, "", mark_safe("")
    return (
        sum(len(section.items) for section in sections),
        _sections_text(sections),
        _sections_html(sections),
    )


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
        self._bookmarks: list[SharedBookmark] | None = None
        self._bookmarks_by_tag: dict[int, list[SharedBookmark]] | None = None
        self._pages_seen: dict[tuple[int, int], bool] = {}
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

    def new_shared_bookmarks(self) -> list[SharedBookmark]:
        """The window's new shared bookmarks, newest first, as plain values kept in the cache
        for the batches that follow (what a member sees of them is the same for all)."""
        if self._bookmarks is None:
            key = f"mailing:digest-bookmarks:{self.window.period}:{self.window.day.isoformat()}"
            found = cache.get(key)
            if found is None:
                from maillage.veille.selectors import shared_watch

                bookmarks = (
                    shared_watch(typical_member())
                    .filter(created_at__gte=self.window.since, created_at__lt=self.window.until)
                    .select_related("owner")
                    .prefetch_related("tags")
                    .order_by("-created_at", "-pk")[:2000]
                )
                found = [
                    SharedBookmark(
                        order=index,
                        owner_id=bookmark.owner_id,
                        title=bookmark.display_title,
                        url=absolute(bookmark.get_absolute_url()),
                        detail=_("kept by %(name)s") % {"name": bookmark.owner.display_name},
                        tags=frozenset(tag.pk for tag in bookmark.tags.all()),
                    )
                    for index, bookmark in enumerate(bookmarks)
                ]
                cache.set(key, found, SHARED_PART_LIFETIME)
            self._bookmarks = found
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
        from maillage.articles.comments import targets
        from maillage.articles.comments.models import Comment

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
            .prefetch_related("target")
            .order_by("published_at", "pk")
        )
        for comment in comments:
            assert comment.parent is not None and comment.parent.author_id is not None
            owner_id = comment.parent.author_id
            # Only what the member may see: the page the reply is on may have closed since.
            if self._page_seen(comment, targets) and len(found[owner_id]) < SECTION_LIMIT:
                found[owner_id].append(comment)
        return found

    def _page_seen(self, comment: Any, targets: Any) -> bool:
        """Whether a member may see the page a comment is on (asked once per page)."""
        key = (comment.content_type_id, comment.object_id)
        if key not in self._pages_seen:
            target = comment.target
            self._pages_seen[key] = target is not None and bool(
                targets.can_see(typical_member(), target)
            )
        return self._pages_seen[key]

    def bookmarks_by_tag(self) -> dict[int, list[SharedBookmark]]:
        if self._bookmarks_by_tag is None:
            index: dict[int, list[SharedBookmark]] = defaultdict(list)
            for bookmark in self.new_shared_bookmarks():
                for tag_id in bookmark.tags:
                    index[tag_id].append(bookmark)
            self._bookmarks_by_tag = index
        return self._bookmarks_by_tag

    def personal_sections(
        self, member: User, replies: list[Any], followed: set[int]
    ) -> list[Section]:
        by_tag = self.bookmarks_by_tag()
        candidates = {
            bookmark.order: bookmark
            for tag_id in followed
            for bookmark in by_tag.get(tag_id, ())
            if bookmark.owner_id != member.pk
        }
        bookmarks = [candidates[order] for order in sorted(candidates)[:SECTION_LIMIT]]
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
                    {"title": bookmark.title, "url": bookmark.url, "detail": bookmark.detail}
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
    frame = _frame(period_name=period_name, day=window.day)
    stop_prefix = absolute(reverse("mailing:stop_digest", kwargs={"token": _TOKEN_MARK}))
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
            item.unsubscribe_url = stop_prefix.replace(
                _TOKEN_MARK, stop_digest_token(member.pk, window.period)
            )
            item.text = frame.fill_text(
                name=member.display_name, url=item.unsubscribe_url, sections="\n".join(text_parts)
            )
            item.html = frame.fill_html(
                name=member.display_name, url=item.unsubscribe_url, sections="".join(html_parts)
            )
        composed.append(item)
    return composed


# Placeholders in the digest's frame, rendered once per batch and filled in per member.
_NAME_MARK = "MAILLAGE-NAME-4f1c"
_URL_MARK = "MAILLAGE-URL-4f1c"
_SECTIONS_MARK = "MAILLAGE-SECTIONS-4f1c"
_TOKEN_MARK = "MAILLAGE-TOKEN-4f1c"  # noqa: S105 - a placeholder, not a secret


@dataclass(frozen=True)
class Frame:
    text: str
    html: str

    def fill_text(self, *, name: str, url: str, sections: str) -> str:
        return (
            self.text.replace(_NAME_MARK, name)
            .replace(_URL_MARK, url)
            .replace(_SECTIONS_MARK, sections)
        )

    def fill_html(self, *, name: str, url: str, sections: str) -> str:
        return (
            self.html.replace(_NAME_MARK, escape(name))
            .replace(_URL_MARK, escape(url))
            .replace(_SECTIONS_MARK, sections)
        )


def _frame(*, period_name: str, day: date) -> Frame:
    """The digest's greeting and footer (templates digest.txt and digest.html)."""
    context = {
        "member": {"display_name": _NAME_MARK},
        "period_name": period_name,
        "day": day,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "subscriptions_url": absolute(reverse("mailing:subscriptions")),
        "unsubscribe_url": _URL_MARK,
        "sections": _SECTIONS_MARK,
    }
    return Frame(
        text=_render("mailing/emails/digest.txt", context),
        html=_render("mailing/emails/digest.html", context),
    )
