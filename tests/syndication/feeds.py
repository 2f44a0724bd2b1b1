"""RSS and Atom documents for the tests, with the licence declarations partners really write."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@dataclass
class Entry:
    guid: str
    title: str
    link: str = ""
    author: str = "Anne Le Roux"
    date: str = "Wed, 02 Apr 2014 09:30:00 +0200"
    summary: str = "<p>Un résumé.</p>"
    content: str = ""
    # RSS: <creativeCommons:license> and <dc:rights>; Atom: <link rel="license"> and <rights>.
    licence_url: str = ""
    rights: str = ""


def rss(entries: list[Entry], *, title: str = "Bretagne en communs", licence_url: str = "",
        rights: str = "", site: str = "https://partenaire.example/") -> bytes:  # fmt: skip
    items = []
    for entry in entries:
        parts = [
            f"<title>{escape(entry.title)}</title>",
            f'<guid isPermaLink="false">{escape(entry.guid)}</guid>',
            f"<dc:creator>{escape(entry.author)}</dc:creator>",
            f"<pubDate>{entry.date}</pubDate>",
            f"<description>{escape(entry.summary)}</description>",
        ]
        if entry.link:
            parts.append(f"<link>{escape(entry.link)}</link>")
        if entry.content:
            parts.append(f"<content:encoded><![CDATA[{entry.content}]]></content:encoded>")
        if entry.licence_url:
            parts.append(f"<creativeCommons:license>{entry.licence_url}</creativeCommons:license>")
        if entry.rights:
            parts.append(f"<dc:rights>{escape(entry.rights)}</dc:rights>")
        items.append("<item>" + "".join(parts) + "</item>")
    channel = [f"<title>{escape(title)}</title>", f"<link>{site}</link>", "<language>fr</language>"]
    if licence_url:
        channel.append(f"<creativeCommons:license>{licence_url}</creativeCommons:license>")
    if rights:
        channel.append(f"<dc:rights>{escape(rights)}</dc:rights>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule">'
        "<channel>" + "".join(channel) + "".join(items) + "</channel></rss>"
    ).encode()


def atom(entries: list[Entry], *, title: str = "Bretagne en communs", licence_url: str = "",
         rights: str = "", site: str = "https://partenaire.example/") -> bytes:  # fmt: skip
    rows = []
    for entry in entries:
        parts = [
            f"<id>{escape(entry.guid)}</id>",
            f"<title>{escape(entry.title)}</title>",
            f"<author><name>{escape(entry.author)}</name></author>",
            "<updated>2014-04-02T07:30:00Z</updated>",
            "<published>2014-04-02T07:30:00Z</published>",
            f'<summary type="html">{escape(entry.summary)}</summary>',
        ]
        if entry.link:
            parts.append(f'<link rel="alternate" href="{escape(entry.link)}"/>')
        if entry.content:
            parts.append(f'<content type="html">{escape(entry.content)}</content>')
        if entry.licence_url:
            parts.append(f'<link rel="license" href="{entry.licence_url}"/>')
        if entry.rights:
            parts.append(f"<rights>{escape(entry.rights)}</rights>")
        rows.append("<entry>" + "".join(parts) + "</entry>")
    head = [
        f"<title>{escape(title)}</title>",
        "<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>",
        "<updated>2014-04-02T07:30:00Z</updated>",
        f'<link rel="alternate" href="{site}"/>',
    ]
    if licence_url:
        head.append(f'<link rel="license" href="{licence_url}"/>')
    if rights:
        head.append(f"<rights>{escape(rights)}</rights>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        + "".join(head)
        + "".join(rows)
        + "</feed>"
    ).encode()
