"""OPML, the list of feeds every reader imports and exports. Folders (nested outlines) and
OPML 2.0 categories become tags; tags become folders and categories on the way out, so that an
export imports back as it was.

Read with defusedxml: a file declaring entities (billion laughs, external entities) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.tags import split_tag_names
from maillage.veille.sources.models import Subscription

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_OPML_FEEDS = 5000
MAX_DEPTH = 20


class OpmlError(Exception):
    """The file cannot be imported; str(error) says why, to the person."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str = ""
    site_url: str = ""
    tags: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class OpmlDocument:
    title: str
    feeds: list[OpmlFeed] = field(default_factory=list)


def _attribute(element: Any, *names: str) -> str:
    # Readers disagree on the case of attribute names (xmlUrl, xmlurl, XMLURL).
    lowered = {key.lower(): value for key, value in element.attrib.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value and value.strip():
            return str(value.strip())
    return ""


def _category_tags(value: str) -> list[str]:
    """OPML 2.0 categories: "/Musées/Numérique,/Bibliothèques" → each folder of each path."""
    names: list[str] = []
    for path in value.split(","):
        names += [part for part in path.split("/") if part.strip()]
    return names


def parse_opml(content: bytes) -> OpmlDocument:
    """The feeds of an OPML file, each with the folders it sits in as tags. Raises OpmlError."""
    if len(content) > MAX_OPML_BYTES:
        raise OpmlError(
            _("The file is larger than %(limit)s, the most we accept.")
            % {"limit": filesizeformat(MAX_OPML_BYTES)}
        )
    try:
        root = fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise OpmlError(
            _("This file declares XML entities, which an OPML file has no use for: refused.")
        ) from error
    except (ElementTree.ParseError, ValueError) as error:
        raise OpmlError(
            _("This file is not valid OPML (XML error: %(detail)s).") % {"detail": error}
        ) from error
    if root.tag.lower() != "opml":
        raise OpmlError(_("This file is not OPML: it should start with <opml>."))
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError(_("This OPML file has no <body>: there is nothing to import."))
    head = next((child for child in root if child.tag.lower() == "head"), None)
    title_element = head.find("title") if head is not None else None
    document_title = (title_element.text or "").strip() if title_element is not None else ""

    feeds: list[OpmlFeed] = []

    def walk(parent: Any, folders: tuple[str, ...], depth: int) -> None:
        if depth > MAX_DEPTH:
            raise OpmlError(_("This OPML file nests folders too deeply."))
        for element in parent:
            if not isinstance(element.tag, str) or element.tag.lower() != "outline":
                continue
            url = _attribute(element, "xmlUrl", "url")
            text = _attribute(element, "title", "text")
            kind = _attribute(element, "type").lower()
            if url and kind not in {"link", "include"}:
                tags = split_tag_names([*folders, *_category_tags(_attribute(element, "category"))])
                feeds.append(
                    OpmlFeed(
                        url=url,
                        title=text,
                        site_url=_attribute(element, "htmlUrl"),
                        tags=tuple(tags),
                        line=len(feeds) + 1,
                    )
                )
                if len(feeds) > MAX_OPML_FEEDS:
                    raise OpmlError(
                        _("This file lists more than %(count)s feeds, the most we import at once.")
                        % {"count": MAX_OPML_FEEDS}
                    )
            walk(element, (*folders, text) if text and not url else folders, depth + 1)

    walk(body, (), 0)
    return OpmlDocument(title=document_title, feeds=feeds)


# --- Import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusedFeed:
    number: int
    title: str
    url: str
    reason: str


@dataclass
class OpmlImport:
    added: int = 0
    already: int = 0
    refused: list[RefusedFeed] = field(default_factory=list)


def import_opml(*, user: Any, content: bytes, for_network: bool = False) -> OpmlImport:
    """Subscribe `user` (or the network) to every feed of the file, with its folders as tags,
    in one transaction: a file that cannot be read imports nothing. Addresses that are not
    http(s) are listed as refused; the others are fetched in the background."""
    from maillage.veille.sources import services

    services.check_can_subscribe(user=user, for_network=for_network)
    document = parse_opml(content)
    if not document.feeds:
        raise OpmlError(_("This OPML file lists no feed (no outline with an xmlUrl)."))
    summary = OpmlImport()
    new_feed_ids: list[int] = []
    with transaction.atomic():
        for number, item in enumerate(document.feeds, start=1):
            try:
                result = services.subscribe_one(
                    user=user,
                    url=item.url,
                    for_network=for_network,
                    tags=item.tags,
                    feed_title=item.title,
                )
            except services.SourceError as error:
                summary.refused.append(RefusedFeed(number, item.title, item.url, str(error)))
                continue
            if result.created:
                summary.added += 1
                new_feed_ids.append(result.subscription.feed_id)
            else:
                summary.already += 1
        services.refresh_after_commit(new_feed_ids)
    return summary


# --- Export ---------------------------------------------------------------------------------


def export_opml(
    subscriptions: Iterable[Subscription], *, title: str, now: datetime | None = None
) -> bytes:
    """OPML 2.0: one folder per first tag (the others as categories), feeds without tags at the
    top. `subscriptions` come with their feed and tags loaded."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(now or timezone.now())
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {}
    items = sorted(subscriptions, key=lambda s: (s.display_title.casefold(), s.pk))
    for subscription in items:
        tags = [tag.name for tag in subscription.tags.all()]
        parent = body
        if tags:
            parent = folders.get(tags[0]) or ElementTree.SubElement(
                body, "outline", text=tags[0], title=tags[0]
            )
            folders[tags[0]] = parent
        attributes = {
            "type": "rss",
            "text": subscription.display_title,
            "title": subscription.display_title,
            "xmlUrl": subscription.feed.url,
        }
        if subscription.feed.site_url:
            attributes["htmlUrl"] = subscription.feed.site_url
        if len(tags) > 1:
            attributes["category"] = ",".join(f"/{name}" for name in tags[1:])
        ElementTree.SubElement(parent, "outline", attributes)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
