"""Reading other sites' RSS and Atom feeds: fetch (conditional GET), parse, normalise, discover.

    fetched = fetch_feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.feed is not None:
        for entry in fetched.feed.entries:   # FeedEntry: digest, link, title, dates, safe HTML…
            ...

Every request goes through core.fetch (SSRF guard, size cap, redirects re-checked). Entry HTML
is sanitised with core.text, links are kept only when they are http(s), entity declarations are
dropped before parsing (no entity bombs, no external entities). Used by the watch's sources and
by articles' syndication.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from maillage.core.fetch import FetchError, FetchResult, fetch
from maillage.core.text import html_to_text, sanitize_html

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)
FEED_MEDIA_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
    }
)
# Feeds are small; a document past this is a mistake or an attack (settings.FEEDS_MAX_BYTES).
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# The newest entries of a document are kept, no more (a feed listing its whole archive).
MAX_ENTRIES = 200
MAX_TITLE_LENGTH = 500
MAX_AUTHOR_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_SUMMARY_LENGTH = 20_000
MAX_CONTENT_LENGTH = 200_000
EXCERPT_LENGTH = 300
# Where sites usually publish a feed that their pages do not announce.
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml")


class FeedError(Exception):
    """The document is not a feed that can be read; str(error) is a sentence for people."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class NotAFeed(FeedError):
    pass


# What a caller catches around fetch_feed / find_feeds: both carry a readable message.
FEED_ERRORS: tuple[type[Exception], ...] = (FetchError, FeedError)


# --- Normalised entries ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    digest: str
    """sha256 of `key`: the column on which a store deduplicates the entries of one feed."""
    key: str
    """What identifies the entry in its feed: its guid, else its link, else title and date."""
    guid: str
    link: str
    """An absolute http(s) address, or "" (other schemes are dropped)."""
    title: str
    """Plain text (markup removed, entities decoded)."""
    author: str
    published_at: datetime | None
    updated_at: datetime | None
    summary: str
    """Sanitised HTML (core.text.sanitize_html)."""
    content: str
    """Sanitised HTML: the full content when the feed gives it, else the summary."""
    tags: tuple[str, ...] = ()
    licence_url: str = ""
    """A licence the entry (or its feed) points at: creativeCommons:license, rel="license"."""
    rights: str = ""
    """The rights statement as written (dc:rights, atom:rights), plain text."""
    language: str = ""
    """The entry's language (xml:lang of its content), else the feed's: "fr", "en-GB"…"""

    @property
    def licence_declarations(self) -> tuple[str, ...]:
        """What the entry (else its feed) says of its licence, the most precise first: the
        licence address, then the rights sentence (for core.licences to recognise)."""
        return tuple(value for value in (self.licence_url, self.rights) if value)

    @property
    def date(self) -> datetime | None:
        return self.published_at or self.updated_at

    @property
    def excerpt(self) -> str:
        """Plain text of the summary (or the content), cut on a word near EXCERPT_LENGTH."""
        return excerpt(self.summary or self.content)


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    site_url: str
    description: str
    language: str
    version: str
    """feedparser's name for the format: "rss20", "atom10", "rss10"…"""
    entries: list[FeedEntry]
    licence_url: str = ""
    rights: str = ""
    warning: str = ""
    """Set when the document was not well-formed (feedparser's "bozo") but could be read."""

    @property
    def is_bozo(self) -> bool:
        return bool(self.warning)


@dataclass(frozen=True)
class FeedFetch:
    """One conditional GET of a feed. `feed` is None when nothing changed (304, or the same
    bytes as last time when the caller gave their digest)."""

    url: str
    """The address finally fetched (after redirects)."""
    etag: str | None
    last_modified: str | None
    content_digest: str
    not_modified: bool = False
    unchanged: bool = False
    feed: ParsedFeed | None = None
    size: int = 0


# --- Text helpers ---------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def excerpt(markup: str, length: int = EXCERPT_LENGTH) -> str:
    text = html_to_text(markup)
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" ,;:.") + "…"


def _plain(value: Any, limit: int) -> str:
    return html_to_text(str(value or ""))[:limit]


def _http_url(value: Any, base: str = "") -> str:
    """An absolute http(s) address, or "" for anything else (javascript:, data:, mailto:…)."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        absolute = urljoin(base, text) if base else text
        scheme = urlsplit(absolute).scheme.lower()
        host = urlsplit(absolute).hostname
    except ValueError:
        return ""
    if scheme not in {"http", "https"} or not host or len(absolute) > MAX_URL_LENGTH:
        return ""
    return absolute


def _to_datetime(parsed: Any) -> datetime | None:
    # feedparser gives a UTC struct_time; impossible dates (year 0, 31 February) are dropped.
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in parsed[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _html_of(detail: Any, value: Any, limit: int) -> str:
    """Sanitised HTML of a feedparser text construct (plain text is escaped first)."""
    text = str(value or "")[:limit]
    if not text:
        return ""
    kind = str((detail or {}).get("type") or "text/html").lower()
    if kind == "text/plain":
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs)
    return sanitize_html(text).strip()


def entry_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- Parsing --------------------------------------------------------------------------------

# A DOCTYPE is where entities are declared: billion laughs, quadratic blowup, external entities
# (file:///etc/passwd). Feeds have no use for one, so everything but the XML declaration goes from
# the prolog before any parser sees the document; an entity then left undefined is read as text
# by feedparser's loose parser.
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z]")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_XML_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_LOOKS_LIKE_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)


def _as_utf8(content: bytes) -> bytes:
    """UTF-16 documents re-encoded as UTF-8 (declaring it), so that the prolog can be read."""
    head = content[:4]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = content.decode("utf-16", errors="replace")
    elif head[:2] == b"<\x00":
        text = content.decode("utf-16-le", errors="replace")
    elif head[:2] == b"\x00<":
        text = content.decode("utf-16-be", errors="replace")
    else:
        return content
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    return b'<?xml version="1.0" encoding="utf-8"?>' + text.encode("utf-8")


def _without_doctype(content: bytes) -> bytes:
    content = _as_utf8(content)
    first_element = _FIRST_ELEMENT.search(content)
    end = first_element.start() if first_element else len(content)
    prolog = content[:end]
    if b"<!" not in _COMMENT.sub(b"", prolog):
        return content
    declaration = _XML_DECLARATION.match(prolog)
    return (declaration.group(0) if declaration else b"") + content[end:]


def looks_like_html(content: bytes, content_type: str = "") -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in {"text/html", "application/xhtml+xml"}:
        return True
    return bool(_LOOKS_LIKE_HTML.match(content[:1024]))


def _licence_url(item: Any, base: str) -> str:
    value = item.get("license")
    if not value:
        for link in item.get("links") or ():
            if str(link.get("rel", "")).lower() == "license":
                value = link.get("href")
                break
    return _http_url(value, base)


def _entry_key(raw: Any, link: str, title: str, date: datetime | None) -> str:
    guid = str(raw.get("id") or "").strip()
    if guid:
        return guid[:MAX_URL_LENGTH]
    if link:
        return link
    if title or date:
        return f"{title}|{date.isoformat() if date else ''}"
    summary = str(raw.get("summary") or "").strip()
    return f"summary|{entry_digest(summary)}" if summary else ""


def _normalise_entry(
    raw: Any, *, base: str, feed_licence: str, feed_rights: str, feed_language: str, now: datetime
) -> FeedEntry:
    link = _http_url(raw.get("link"), base)
    title = _plain(raw.get("title"), MAX_TITLE_LENGTH)
    # A date in the future is a clock or a typo: an entry cannot be newer than its fetch.
    published_at = _to_datetime(raw.get("published_parsed") or raw.get("created_parsed"))
    published_at = min(published_at, now) if published_at else None
    # dict.get: feedparser's own get() answers "updated" with the published date when missing.
    updated_at = _to_datetime(dict.get(raw, "updated_parsed"))
    updated_at = min(updated_at, now) if updated_at else None
    key = _entry_key(raw, link, title, published_at or updated_at)
    author_detail = raw.get("author_detail") or {}
    author = _plain(author_detail.get("name") or raw.get("author"), MAX_AUTHOR_LENGTH)
    summary = _html_of(raw.get("summary_detail"), raw.get("summary"), MAX_SUMMARY_LENGTH)
    content = ""
    language = ""
    for part in raw.get("content") or ():
        content = _html_of(part, part.get("value"), MAX_CONTENT_LENGTH)
        if content:
            language = _plain(part.get("language"), 20)
            break
    language = language or _plain((raw.get("summary_detail") or {}).get("language"), 20)
    tags = []
    for tag in raw.get("tags") or ():
        name = _plain(tag.get("label") or tag.get("term"), 60)
        if name and name not in tags:
            tags.append(name)
    return FeedEntry(
        digest=entry_digest(key) if key else "",
        key=key,
        guid=str(raw.get("id") or "").strip()[:MAX_URL_LENGTH],
        link=link,
        title=title,
        author=author,
        published_at=published_at,
        updated_at=updated_at,
        summary=summary,
        content=content or summary,
        tags=tuple(tags),
        licence_url=_licence_url(raw, base) or feed_licence,
        rights=_plain(raw.get("rights"), 500) or feed_rights,
        language=language or feed_language,
    )


# feedparser flags these as "bozo" although the feed reads exactly as it should.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def _bozo_warning(exception: Any) -> str:
    if isinstance(exception, _HARMLESS_BOZO):
        return ""
    detail = _SPACES.sub(" ", str(exception or "")).strip()[:200]
    if detail:
        return gettext(
            "This feed is not well-formed (%(detail)s); what could be read from it was kept."
        ) % {"detail": detail}
    return gettext("This feed is not well-formed; what could be read from it was kept.")


def parse_feed(
    content: bytes, *, url: str = "", content_type: str = "", now: datetime | None = None
) -> ParsedFeed:
    """Parse an RSS or Atom document into normalised entries, newest first.

    A document that is not well-formed but still yields a feed is kept, with `warning` set.
    Raises NotAFeed when nothing usable comes out of it (an HTML page, an image, garbage).
    """
    if looks_like_html(content, content_type):
        raise NotAFeed(
            gettext("This address leads to a web page, not to a feed (RSS or Atom)."), url=url
        )
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    # feedparser's own sanitiser is off: core.text's (nh3) runs on every HTML value below, and
    # once is faster. Relative links are still resolved against the feed's address.
    parsed = feedparser.parse(
        _without_doctype(content),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    channel = parsed.get("feed") or {}
    raw_entries = parsed.get("entries") or []
    usable = bool(parsed.get("version")) or bool(raw_entries)
    if not usable or (parsed.get("bozo") and not raw_entries and not channel.get("title")):
        raise NotAFeed(gettext("This document could not be read as a feed (RSS or Atom)."), url=url)
    base = url
    site_url = _http_url(channel.get("link"), base)
    feed_licence = _licence_url(channel, base)
    feed_rights = _plain(channel.get("rights"), 500)
    feed_language = _plain(channel.get("language"), 20)
    now = now or datetime.now(UTC)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in raw_entries:
        entry = _normalise_entry(
            raw,
            base=base,
            feed_licence=feed_licence,
            feed_rights=feed_rights,
            feed_language=feed_language,
            now=now,
        )
        if entry.digest and entry.digest not in seen:
            seen.add(entry.digest)
            entries.append(entry)
    # Newest first; undated entries keep their order after the dated ones.
    entries.sort(key=lambda entry: entry.date or datetime.min.replace(tzinfo=UTC), reverse=True)
    return ParsedFeed(
        title=_plain(channel.get("title"), 300),
        site_url=site_url,
        description=_plain(channel.get("subtitle") or channel.get("description"), 1000),
        language=feed_language,
        version=str(parsed.get("version") or ""),
        entries=entries[:MAX_ENTRIES],
        licence_url=feed_licence,
        rights=feed_rights,
        warning=_bozo_warning(parsed.get("bozo_exception")) if parsed.get("bozo") else "",
    )


# --- Fetching -------------------------------------------------------------------------------


def max_feed_bytes() -> int:
    return int(getattr(settings, "FEEDS_MAX_BYTES", DEFAULT_MAX_BYTES))


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    known_digest: str = "",
    max_bytes: int | None = None,
) -> FeedFetch:
    """GET a feed through core.fetch, conditionally, and parse it unless nothing changed.

    Give the etag / last_modified of the previous fetch: a 304 comes back as not_modified.
    Give the previous content_digest too: a server that ignores conditional requests and sends
    the same bytes comes back as unchanged, without parsing. Raises FetchError or FeedError.
    """
    result = fetch(
        url,
        etag=etag or None,
        last_modified=last_modified or None,
        accept=FEED_ACCEPT,
        max_bytes=max_feed_bytes() if max_bytes is None else max_bytes,
    )
    return _feed_fetch(result, known_digest=known_digest)


def _feed_fetch(result: FetchResult, *, known_digest: str = "") -> FeedFetch:
    if result.not_modified:
        return FeedFetch(
            url=result.url,
            etag=result.etag,
            last_modified=result.last_modified,
            content_digest=known_digest,
            not_modified=True,
        )
    digest = content_digest(result.content)
    common: dict[str, Any] = {
        "url": result.url,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "content_digest": digest,
        "size": len(result.content),
    }
    if known_digest and digest == known_digest:
        return FeedFetch(**common, unchanged=True)
    parsed = parse_feed(
        result.content, url=result.url, content_type=result.headers.get("content-type", "")
    )
    return FeedFetch(**common, feed=parsed)


# --- Discovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscoveredFeed:
    url: str
    title: str = ""
    media_type: str = ""


class _FeedLinkParser(HTMLParser):
    """Collects <link rel="alternate" type="application/rss+xml" href=…> (and Atom) in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag not in {"link", "a"}:
            return
        rels = values.get("rel", "").lower().split()
        media_type = values.get("type", "").split(";", 1)[0].strip().lower()
        if "alternate" in rels and media_type in FEED_MEDIA_TYPES and values.get("href"):
            self.links.append((values["href"], values.get("title", ""), media_type))

    def handle_endtag(self, tag: str) -> None:
        pass


def discover_feed_links(page: str, *, base_url: str) -> list[DiscoveredFeed]:
    """The feeds a web page announces, in its order, without duplicates."""
    parser = _FeedLinkParser()
    try:
        parser.feed(page)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - HTMLParser is very lenient
        pass
    base = _http_url(parser.base, base_url) or base_url
    found: list[DiscoveredFeed] = []
    seen: set[str] = set()
    for href, title, media_type in parser.links:
        address = _http_url(href, base)
        if address and address not in seen:
            seen.add(address)
            found.append(DiscoveredFeed(address, _plain(title, 300), media_type))
    return found


@dataclass(frozen=True)
class FeedSearch:
    """What an address given by a person leads to: the feed itself, or the feeds of a site."""

    url: str
    feeds: list[DiscoveredFeed]
    is_feed: bool = False
    """The address was a feed (feeds has exactly that one)."""
    page_title: str = ""
    feed: ParsedFeed | None = None


_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def find_feeds(url: str, *, probe_common_paths: bool = True) -> FeedSearch:
    """Follow an address to its feed(s): a feed address is itself; a site's page announces its
    feeds in <link rel="alternate">; failing that, a few usual places are tried (/feed/…).

    Raises FetchError when the address cannot be fetched and NotAFeed when it is neither a
    feed nor a page (an image, a PDF).
    """
    result = fetch(url, accept=FEED_ACCEPT, max_bytes=max_feed_bytes())
    content_type = result.headers.get("content-type", "")
    if not looks_like_html(result.content, content_type):
        parsed = parse_feed(result.content, url=result.url, content_type=content_type)
        return FeedSearch(
            url=result.url,
            feeds=[DiscoveredFeed(result.url, parsed.title, result.content_type)],
            is_feed=True,
            feed=parsed,
        )
    page = result.text
    title_match = _HTML_TITLE.search(page[:200_000])
    page_title = html_to_text(title_match.group(1))[:300] if title_match else ""
    feeds = discover_feed_links(page, base_url=result.url)
    if not feeds and probe_common_paths:
        feeds = _probe_common_paths(result.url)
    return FeedSearch(url=result.url, feeds=feeds, page_title=page_title)


def _probe_common_paths(page_url: str) -> list[DiscoveredFeed]:
    for path in COMMON_FEED_PATHS:
        candidate = urljoin(page_url, path)
        try:
            fetched = fetch_feed(candidate)
        except FEED_ERRORS:
            continue
        if fetched.feed is not None:
            return [DiscoveredFeed(fetched.url, fetched.feed.title, "")]
    return []


def backoff(failures: int, *, interval: timedelta, longest: timedelta) -> timedelta:
    """How long to wait before fetching a feed again after `failures` failures in a row: the
    usual interval, doubled at each failure, never more than `longest`."""
    if failures <= 0:
        return interval
    return min(interval * (2 ** min(failures, 16)), longest)


# --- Many feeds at once ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedRequest:
    """One feed to refresh: `key` is the caller's (a row id), the rest what fetch_feed takes."""

    key: Hashable
    url: str
    etag: str | None = None
    last_modified: str | None = None
    known_digest: str = ""


@dataclass
class FeedOutcome:
    request: FeedRequest
    fetched: FeedFetch | None = None
    error: Exception | None = None
    seconds: float = 0.0

    @property
    def message(self) -> str:
        """The error as a sentence for people (FetchError / FeedError carry one)."""
        if self.error is None:
            return ""
        if isinstance(self.error, FEED_ERRORS):
            return str(getattr(self.error, "message", "") or self.error)
        return gettext("Something went wrong while reading this feed.")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass
class _HostQueues:
    """Feeds grouped by host; each host is served by at most `per_host` workers at a time."""

    per_host: int
    waiting: dict[str, deque[FeedRequest]] = field(default_factory=dict)
    busy: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    order: deque[str] = field(default_factory=deque)

    def add(self, requests: Iterable[FeedRequest]) -> None:
        for request in requests:
            host = host_of(request.url)
            if host not in self.waiting:
                self.waiting[host] = deque()
                self.order.append(host)
            self.waiting[host].append(request)

    def next_ready(self) -> FeedRequest | None:
        """The next feed of a host that has a free slot, hosts taken in turn (round robin)."""
        for _ in range(len(self.order)):
            host = self.order[0]
            self.order.rotate(-1)
            if self.waiting[host] and self.busy[host] < self.per_host:
                self.busy[host] += 1
                return self.waiting[host].popleft()
        return None

    def done(self, request: FeedRequest) -> None:
        self.busy[host_of(request.url)] -= 1

    def __bool__(self) -> bool:
        return any(self.waiting.values())


def fetch_feeds(
    requests: Iterable[FeedRequest],
    *,
    workers: int = 8,
    per_host: int = 2,
    fetcher: Callable[[FeedRequest], FeedFetch] | None = None,
) -> Iterator[FeedOutcome]:
    """Fetch many feeds on a small thread pool, yielding each outcome as it completes.

    At most `workers` requests run at once, and at most `per_host` to any one host, so that a
    site holding many feeds is not hammered. The caller consumes the outcomes in its own thread
    (database writes stay there). Errors are outcomes, never raised.
    """
    workers = max(1, workers)
    language = translation.get_language()

    def run(request: FeedRequest) -> FeedOutcome:
        started = time.perf_counter()
        # Errors are sentences for people: in the caller's language, not the thread's default.
        with translation.override(language):
            try:
                if fetcher is not None:
                    fetched = fetcher(request)
                else:
                    fetched = fetch_feed(
                        request.url,
                        etag=request.etag,
                        last_modified=request.last_modified,
                        known_digest=request.known_digest,
                    )
            except FEED_ERRORS as error:
                return FeedOutcome(request, error=error, seconds=time.perf_counter() - started)
            except Exception as error:  # a bug one feed trips must not stop the others
                logger.exception("reading the feed %s failed", request.url)
                return FeedOutcome(request, error=error, seconds=time.perf_counter() - started)
        return FeedOutcome(request, fetched=fetched, seconds=time.perf_counter() - started)

    queues = _HostQueues(per_host=max(1, per_host))
    queues.add(requests)
    running: set[Future[FeedOutcome]] = set()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feeds") as pool:
        while queues or running:
            while len(running) < workers:
                request = queues.next_ready()
                if request is None:
                    break
                running.add(pool.submit(run, request))
            if not running:  # pragma: no cover - every waiting host has a free slot by now
                break
            finished, _pending = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                running.discard(future)
                outcome = future.result()
                queues.done(outcome.request)
                yield outcome
