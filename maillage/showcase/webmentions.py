"""Webmention (W3C Recommendation, 12 January 2017), the receiving side.

Each public project page advertises our endpoint. A notification (source, target) is checked at
once (both http(s) addresses, different; the target one of our public project pages; the source
not a private address) and answered 202; a task then fetches the source through core.fetch and
looks for a link to the target as its media type says (HTML: a, area, img, video, audio, source
elements — not text, not comments; JSON: a string value; plain text: the address). A verified
mention becomes evidence waiting for the project's team. The same (source, target) sent again is
an update: verified again, its evidence updated, or deleted when the source answers 410 Gone or
no longer links to the target (section 3.2.4).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from maillage.core.db import lock_for_update
from maillage.core.fetch import FetchError, FetchFailed, fetch, refusal_reason
from maillage.core.ratelimit import RateLimit
from maillage.showcase import selectors
from maillage.showcase.evidence import excerpt_of, parsed_date
from maillage.showcase.models import (
    Evidence,
    EvidenceKind,
    EvidenceOrigin,
    EvidenceStatus,
    Project,
    Webmention,
    WebmentionStatus,
)
from maillage.veille.reading import TryAgainLater, extract_page, is_transient

logger = logging.getLogger(__name__)

SOURCE_MAX_BYTES = 1024 * 1024
SOURCE_ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,application/json;q=0.5,text/plain;q=0.3,*/*;q=0.1"
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
JSON_TYPES = frozenset({"application/json", "application/ld+json", "application/activity+json"})
# Elements whose address attributes count as a link to the target (webmention.rocks' cases).
LINK_ATTRIBUTES = (
    ("a", "href"),
    ("area", "href"),
    ("img", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
)
# Microformats 2 classes that make a mention a reply (a testimonial) rather than a mention.
REPLY_CLASSES = frozenset({"u-in-reply-to"})


def rate_limit() -> RateLimit:
    return RateLimit(
        "webmention",
        int(getattr(settings, "WEBMENTION_RATE_LIMIT", 20)),
        int(getattr(settings, "WEBMENTION_RATE_WINDOW", 60 * 60)),
    )


class WebmentionRefused(Exception):
    """The request is refused at once (HTTP 400); str(error) says why, in plain words."""


@dataclass(frozen=True)
class Received:
    webmention: Webmention
    update: bool


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _checked_address(url: str, *, invalid: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise WebmentionRefused(invalid)
    if len(url) > 500:
        raise WebmentionRefused(_("The address is too long (500 characters at most)."))
    return url


def our_hosts(request_host: str = "") -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).netloc.lower()}
    if request_host:
        hosts.add(request_host.lower())
    return hosts


def project_for_target(target: str, *, request_host: str = "") -> Project | None:
    """The public project whose page `target` is (its fragment and query ignored), or None."""
    parts = urlsplit(target)
    if parts.netloc.lower() not in our_hosts(request_host):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "showcase:project":
        return None
    project = Project.objects.filter(slug=match.kwargs.get("slug", "")).first()
    if project is None or not selectors.open_to_everyone(project):
        return None
    return project


def _refuse_private_literal(source: str) -> None:
    """A source written as a private or loopback address is refused at once (the task's fetch
    would refuse it too, and names that resolve to one)."""
    host = urlsplit(source).hostname or ""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return
    allow_loopback = bool(getattr(settings, "FETCH_ALLOW_LOOPBACK", False))
    if refusal_reason(address, allow_loopback=allow_loopback) is not None:
        raise WebmentionRefused(_("The source must be on the public internet."))


@transaction.atomic
def receive(*, source: str, target: str, sender_ip: str | None, request_host: str = "") -> Received:
    """Check a notification and queue its verification; raise WebmentionRefused when invalid."""
    source = _checked_address(source, invalid=_("The source must be an http or https address."))
    target = _checked_address(target, invalid=_("The target must be an http or https address."))
    if _without_fragment(source) == _without_fragment(target):
        raise WebmentionRefused(_("The source and the target are the same page."))
    project = project_for_target(target, request_host=request_host)
    if project is None:
        raise WebmentionRefused(_("The target is not a page of ours that accepts Webmentions."))
    _refuse_private_literal(source)
    existing = lock_for_update(Webmention.objects.filter(source=source, target=target)).first()
    if existing is None:
        mention = Webmention.objects.create(
            source=source, target=target, project=project, sender_ip=sender_ip or None
        )
    else:
        mention = existing
        mention.status = WebmentionStatus.QUEUED
        mention.reason = ""
        mention.sender_ip = sender_ip or None
        mention.received_at = timezone.now()
        mention.save(update_fields=["status", "reason", "sender_ip", "received_at"])
    schedule_verification(mention)
    return Received(webmention=mention, update=existing is not None)


def schedule_verification(mention: Webmention) -> None:
    from maillage.showcase import tasks

    mention_id = mention.pk
    transaction.on_commit(lambda: tasks.verify_webmention(mention_id))


# --- Finding the link in the source ----------------------------------------------------------


def _same_address(found: str, target: str) -> bool:
    return found == target or _without_fragment(found) == _without_fragment(target)


def _html_links(tree: Any, base: str) -> Iterator[tuple[Any, str]]:
    for tag, attribute in LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            value = element.get(attribute)
            if value:
                yield element, urljoin(base, value.strip())


def _parse_html(text: str) -> Any:
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _base_of(tree: Any, url: str) -> str:
    base = tree.find(".//base[@href]")
    return urljoin(url, base.get("href")) if base is not None else url


def html_link_to(text: str, *, url: str, target: str) -> tuple[bool, bool]:
    """(links to target, as a reply) in an HTML document fetched from `url`. Comments and
    plain text never count: the parser keeps comments out of the element tree."""
    tree = _parse_html(text)
    if tree is None:
        return False, False
    base = _base_of(tree, url)
    for element, address in _html_links(tree, base):
        if _same_address(address, target):
            classes = set((element.get("class") or "").split())
            return True, bool(classes & REPLY_CLASSES)
    return False, False


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def json_link_to(text: str, *, target: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return False
    return any(_same_address(value, target) for value in _json_strings(document))


# --- Verification (in a task) ----------------------------------------------------------------


def verify_webmention(*, webmention_id: int, final_attempt: bool = True) -> str:
    """Fetch the source and keep, update or delete the evidence it makes. Idempotent: only a
    queued mention is verified. Returns what happened ("verified", "refused", "deleted"…)."""
    mention = Webmention.objects.select_related("project", "evidence").filter(pk=webmention_id)
    found = mention.first()
    if found is None or found.status != WebmentionStatus.QUEUED:
        return "skipped"
    try:
        result = fetch(found.source, accept=SOURCE_ACCEPT, max_bytes=SOURCE_MAX_BYTES)
    except FetchFailed as error:
        if error.status == 410:
            return _deleted(found, _("The source is gone (HTTP 410)."))
        return _failed(found, error, final_attempt=final_attempt)
    except FetchError as error:
        return _failed(found, error, final_attempt=final_attempt)

    content_type = result.content_type
    reply = False
    if content_type in HTML_TYPES:
        links, reply = html_link_to(result.text, url=result.url, target=found.target)
    elif content_type in JSON_TYPES or content_type.endswith("+json"):
        links = json_link_to(result.text, target=found.target)
    elif content_type == "text/plain":
        links = found.target in result.text
    else:
        return _refused(
            found,
            _("The source is a document of type %(type)s, in which links cannot be found.")
            % {"type": content_type[:60]},
        )
    if not links:
        return _deleted(found, _("The source does not link to the target."))
    _store(found, result_url=result.url, text=result.text, html=content_type in HTML_TYPES)
    if reply and found.evidence is not None:
        Evidence.objects.filter(pk=found.evidence.pk, kind=EvidenceKind.MENTION).update(
            kind=EvidenceKind.TESTIMONIAL
        )
    return "verified"


def _failed(mention: Webmention, error: FetchError, *, final_attempt: bool) -> str:
    if is_transient(error) and not final_attempt:
        raise TryAgainLater(str(error)) from error
    if mention.evidence is not None:
        # A source that cannot be reached today keeps the evidence it gave (only 410 deletes).
        Webmention.objects.filter(pk=mention.pk).update(
            status=WebmentionStatus.VERIFIED, reason=str(error)[:500]
        )
        return "kept"
    return _refused(mention, str(error))


def _refused(mention: Webmention, reason: str) -> str:
    Webmention.objects.filter(pk=mention.pk).update(
        status=WebmentionStatus.REFUSED, reason=reason[:500], verified_at=timezone.now()
    )
    return "refused"


@transaction.atomic
def _deleted(mention: Webmention, reason: str) -> str:
    """The source is gone or no longer links here: the evidence it made goes too."""
    evidence_id = mention.evidence_id
    had_evidence = evidence_id is not None
    if evidence_id is not None:
        Evidence.objects.filter(pk=evidence_id).delete()
    Webmention.objects.filter(pk=mention.pk).update(
        status=WebmentionStatus.DELETED if had_evidence else WebmentionStatus.REFUSED,
        reason=reason[:500],
        evidence=None,
        verified_at=timezone.now(),
    )
    return "deleted" if had_evidence else "refused"


@transaction.atomic
def _store(mention: Webmention, *, result_url: str, text: str, html: bool) -> None:
    title = publication = published = quote = ""
    if html:
        try:
            reading = extract_page(text, url=result_url)
        except Exception as error:
            # Hostile markup: the mention still counts, with what we know of it.
            logger.info("webmention source %s could not be read: %r", mention.source, error)
        else:
            title, publication, published = reading.title, reading.site_name, reading.published
            quote = excerpt_of(reading.description, reading.text)
    publication = publication or (urlsplit(mention.source).hostname or "")
    fields = {
        "title": title[:300],
        "publication": publication[:200],
        "quote": quote,
        "date": parsed_date(published) or timezone.localdate(),
        "source_url": mention.source,
    }
    locked = lock_for_update(Webmention.objects.filter(pk=mention.pk)).get()
    if locked.evidence_id is not None:
        # An update: the content changes, the team's decision (accepted, refused) stays.
        Evidence.objects.filter(pk=locked.evidence_id).update(**fields, updated_at=timezone.now())
        evidence_id = locked.evidence_id
    else:
        evidence = Evidence.objects.create(
            project_id=locked.project_id,
            kind=EvidenceKind.MENTION,
            status=EvidenceStatus.PENDING,
            origin=EvidenceOrigin.WEBMENTION,
            **fields,
        )
        evidence_id = evidence.pk
    Webmention.objects.filter(pk=locked.pk).update(
        status=WebmentionStatus.VERIFIED,
        reason="",
        evidence_id=evidence_id,
        verified_at=timezone.now(),
    )
    mention.evidence_id = evidence_id
    mention.evidence = Evidence.objects.get(pk=evidence_id)
