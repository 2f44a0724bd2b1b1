"""Reading a bookmarked page in the background: what it says about itself (title, description,
language, main text, preview image, site name) and the site's own icon.

Everything goes through core.fetch (public addresses only, size caps). A page that cannot be read
(not HTML, too large, refused address, nothing readable) ends as "failed" with a sentence saying
why; a network error is retried by the task and only marked failed on the last attempt.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from PIL import Image
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from maillage.core import search
from maillage.core.fetch import (
    BlockedAddress,
    FetchError,
    FetchFailed,
    FetchTimedOut,
    TooLarge,
    TooManyRedirects,
    UnsupportedScheme,
    fetch,
)
from maillage.veille.models import URL_MAX_LENGTH, Bookmark, PageFetchStatus

logger = logging.getLogger(__name__)

PAGE_MAX_BYTES = 2 * 1024 * 1024
FAVICON_MAX_BYTES = 100 * 1024
PAGE_TEXT_MAX_CHARS = 200_000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
ICON_ACCEPT = "image/png,image/x-icon,image/vnd.microsoft.icon,image/gif,image/*;q=0.8"
# Icons claiming more pixels are refused before decoding: a tiny file can claim a huge image.
ICON_MAX_PIXELS = 512 * 512
ICON_SIZE = 64
ICON_FORMATS = frozenset({"ICO", "PNG", "GIF", "JPEG", "WEBP", "BMP"})
ICON_FOLDER = "veille/favicons"
MAX_ICON_CANDIDATES = 3
# HTTP statuses worth trying again later (the server may be back); others are final.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


class PageUnreadable(Exception):
    """The page was fetched but is not something we can read; str(error) says why."""


class TryAgainLater(Exception):
    """A network error that may go away: the task retries (with backoff) instead of failing."""


@dataclass(frozen=True)
class PageReading:
    """What a page says about itself."""

    url: str
    title: str = ""
    description: str = ""
    language: str = ""
    text: str = ""
    site_name: str = ""
    preview_image_url: str = ""
    icon_urls: tuple[str, ...] = ()
    published: str = ""  # the page's date as trafilatura found it (YYYY-MM-DD), if any

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.description or self.text)


# --- extraction (no network) ----------------------------------------------------------------


def _clean(value: object, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _web_address(base: str, value: str | None) -> str:
    """`value` made absolute against `base`, if it is an http(s) address of sensible length."""
    if not value:
        return ""
    try:
        absolute = urljoin(base, value.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return ""
    if scheme not in {"http", "https"} or len(absolute) > URL_MAX_LENGTH:
        return ""
    return absolute


def _parse(html: str) -> lxml.html.HtmlElement:
    tree = load_html(html)
    if tree is None and "<" in html:
        # trafilatura refuses fragments without <html>; lxml makes a document of them.
        try:
            tree = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            tree = None
    if tree is None:
        raise PageUnreadable(_("The page could not be read as HTML."))
    return tree


def _first(tree: lxml.html.HtmlElement, xpath: str) -> str:
    for value in tree.xpath(xpath):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _language(tree: lxml.html.HtmlElement) -> str:
    candidates = [
        _first(tree, "/html/@lang"),
        _first(tree, "/html/@xml:lang"),
        *(
            str(meta.get("content") or "")
            for meta in tree.xpath("//meta[@http-equiv and @content]")
            if str(meta.get("http-equiv")).lower() == "content-language"
        ),
        _first(tree, "//meta[@property='og:locale']/@content"),
    ]
    for candidate in candidates:
        candidate = candidate.split(",", 1)[0].strip()
        if _LANGUAGE.match(candidate):
            return candidate.replace("_", "-")[:20]
    return ""


def _icon_urls(tree: lxml.html.HtmlElement, base: str) -> tuple[str, ...]:
    """The page's declared icons (plain icons before touch icons), then /favicon.ico."""
    plain: list[str] = []
    touch: list[str] = []
    for link in tree.xpath("//link[@rel and @href]"):
        rel = {token.lower() for token in str(link.get("rel")).split()}
        kind = str(link.get("type") or "").lower()
        href = str(link.get("href"))
        if "svg" in kind or href.lower().split("?", 1)[0].endswith(".svg"):
            continue  # Pillow cannot check (or safely render) SVG.
        address = _web_address(base, href)
        if not address:
            continue
        if "icon" in rel:
            plain.append(address)
        elif rel & {"apple-touch-icon", "apple-touch-icon-precomposed"}:
            touch.append(address)
    parts = urlsplit(base)
    fallback = f"{parts.scheme}://{parts.netloc}/favicon.ico"
    ordered: list[str] = []
    for address in [*plain, *touch, fallback]:
        if address not in ordered:
            ordered.append(address)
    return tuple(ordered[:MAX_ICON_CANDIDATES])


def extract_page(html: str, *, url: str) -> PageReading:
    """Read the metadata and main text of an HTML page fetched from `url` (its final address)."""
    tree = _parse(html)
    language = _language(tree)
    icons = _icon_urls(tree, url)
    # bare_extraction cleans the tree it is given: the head was read above, before that.
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )
    if not isinstance(document, Document):
        # No main text; the metadata alone still says what the page is.
        tree = _parse(html)
        title = _first(tree, "//title/text()")
        description = _first(tree, "//meta[@name='description']/@content")
        return PageReading(
            url=url,
            title=_clean(title, 300),
            description=_clean(description, 2000),
            language=language,
            icon_urls=icons,
        )
    text = document.text if isinstance(document.text, str) else ""
    return PageReading(
        url=url,
        title=_clean(document.title, 300),
        description=_clean(document.description, 2000),
        language=language,
        text=text.strip()[:PAGE_TEXT_MAX_CHARS],
        site_name=_clean(document.sitename, 200),
        preview_image_url=_web_address(url, document.image),
        icon_urls=icons,
        published=_clean(document.date, 10),
    )


def _looks_like_html(content: bytes) -> bool:
    head = content[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<body" in head


def html_of(content: bytes, *, content_type: str, text: str) -> str:
    """The page's text, if what the server sent is HTML; PageUnreadable otherwise."""
    if b"\x00" in content[:4096]:
        raise PageUnreadable(_("The address leads to a binary file, not a web page."))
    if content_type and content_type not in HTML_TYPES:
        raise PageUnreadable(
            _("The address leads to a file of type %(type)s, not a web page.")
            % {"type": content_type[:60]}
        )
    if not content_type and not _looks_like_html(content):
        raise PageUnreadable(_("The address does not lead to a web page."))
    if not content.strip():
        raise PageUnreadable(_("The page is empty."))
    return text


def is_transient(error: FetchError) -> bool:
    """Worth trying again later: timeouts, unreachable servers, 5xx and "slow down" answers."""
    if isinstance(error, BlockedAddress | TooLarge | TooManyRedirects | UnsupportedScheme):
        return False
    if isinstance(error, FetchTimedOut):
        return True
    if isinstance(error, FetchFailed):
        return error.status is None or error.status in TRANSIENT_STATUSES
    return False


def read_page(url: str) -> PageReading:
    """Fetch `url` and read it. Raises FetchError (network, refusal) or PageUnreadable."""
    result = fetch(url, accept=PAGE_ACCEPT, max_bytes=PAGE_MAX_BYTES)
    html = html_of(result.content, content_type=result.content_type, text=result.text)
    try:
        reading = extract_page(html, url=result.url)
    except PageUnreadable:
        raise
    except Exception as error:
        # Hostile markup must end as a failed reading, never as a task crashing in a loop.
        logger.warning("page extraction failed for %s: %r", url, error)
        raise PageUnreadable(_("The page could not be read as HTML.")) from error
    if reading.is_empty:
        raise PageUnreadable(_("Nothing readable was found on the page."))
    return reading


# --- the site's icon ------------------------------------------------------------------------


def normalised_icon(content: bytes) -> bytes | None:
    """A small PNG redrawn from an icon file, or None if it is not a (sane) image."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ICON_FORMATS:
                return None
            width, height = image.size
            if not width or not height or width * height > ICON_MAX_PIXELS:
                return None
            image.load()
            picture = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, EOFError):
        return None
    picture.thumbnail((ICON_SIZE, ICON_SIZE))
    output = io.BytesIO()
    # Redrawn as PNG: nothing of the original file (metadata, trailing bytes) is kept or served.
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()


def store_icon(png: bytes, *, storage: Storage) -> str:
    """Keep one file per icon: the same picture (same bytes) is stored once, named by its hash."""
    name = f"{ICON_FOLDER}/{hashlib.sha256(png).hexdigest()[:40]}.png"
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(png))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def icon_of_site(*, bookmark: Bookmark, page_url: str, icon_urls: tuple[str, ...]) -> str:
    """The stored icon file name for the bookmark's site ("" if none could be fetched).

    Another bookmark of the same site already has its icon: that file is reused, no fetch.
    """
    origin = _origin(bookmark.normalised_url)
    known = (
        Bookmark.objects.filter(normalised_url__startswith=f"{origin}/")
        .exclude(pk=bookmark.pk)
        .exclude(favicon="")
        .values_list("favicon", flat=True)
        .first()
    )
    storage = bookmark.favicon.storage
    if known and storage.exists(known):
        return str(known)
    for address in icon_urls:
        try:
            result = fetch(address, accept=ICON_ACCEPT, max_bytes=FAVICON_MAX_BYTES)
        except FetchError as error:
            logger.info("no icon at %s for %s: %s", address, page_url, error)
            continue
        png = normalised_icon(result.content)
        if png is not None:
            return store_icon(png, storage=storage)
    return ""


# --- the whole job --------------------------------------------------------------------------


def _mark_failed(bookmark_id: int, message: str) -> None:
    Bookmark.objects.filter(pk=bookmark_id).update(
        fetch_status=PageFetchStatus.FAILED,
        fetched_at=timezone.now(),
        fetch_error=message[:300],
    )


def read_bookmark_page(*, bookmark_id: int, force: bool = False, final_attempt: bool = True) -> str:
    """Read the page of a bookmark and store what it says; returns the status left on it.

    Idempotent: a bookmark already read (or failed) is left alone unless `force`. A deleted
    bookmark is nothing to do. No database transaction is held while fetching. On a network
    error that may go away, raises TryAgainLater unless this is the `final_attempt`.
    """
    bookmark = Bookmark.objects.filter(pk=bookmark_id).first()
    if bookmark is None:
        return ""
    if bookmark.fetch_status != PageFetchStatus.PENDING and not force:
        return str(bookmark.fetch_status)
    try:
        reading = read_page(bookmark.normalised_url)
    except FetchError as error:
        if is_transient(error) and not final_attempt:
            raise TryAgainLater(str(error)) from error
        _mark_failed(bookmark_id, str(error))
        return PageFetchStatus.FAILED
    except PageUnreadable as error:
        _mark_failed(bookmark_id, str(error))
        return PageFetchStatus.FAILED
    favicon = icon_of_site(bookmark=bookmark, page_url=reading.url, icon_urls=reading.icon_urls)
    with transaction.atomic():
        Bookmark.objects.filter(pk=bookmark_id).update(
            fetch_status=PageFetchStatus.DONE,
            fetched_at=timezone.now(),
            fetch_error="",
            page_title=reading.title,
            page_description=reading.description,
            page_language=reading.language,
            page_text=reading.text,
            site_name=reading.site_name,
            preview_image_url=reading.preview_image_url,
            favicon=favicon or bookmark.favicon.name or "",
        )
        # The page's own words make the bookmark findable (core.search).
        read = Bookmark.objects.select_related("owner").filter(pk=bookmark_id).first()
        if read is not None:
            search.index(read)
    return PageFetchStatus.DONE
