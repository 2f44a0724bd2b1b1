"""Netscape bookmark files: what browsers, Delicious, Pinboard, Diigo and Shaarli export.

A regular-expression tokenizer over the text, read in chunks cut at an entry boundary: far
faster than an HTML parser and as tolerant (closing tags are optional, as in the wild).
Folders become tags (browsers' own roots excepted); ADD_DATE may be in s, ms or µs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from maillage.core.tags import fold
from maillage.veille.imports.dates import DateError, from_timestamp
from maillage.veille.imports.parsers.text import TextSource
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection, excerpt

CHUNK_CHARS = 1024 * 1024
MAX_ENTRY_CHARS = 1024 * 1024

_TOKEN = re.compile(
    r"<dt>\s*<a\s(?P<attrs>[^>]*)>(?P<title>[^<]*(?:<(?!/a>|/?dt>|/?dl[\s>]|dd>|/?h3)[^<]*)*)"
    r"(?P<end></a>)?"
    r"|<dt>\s*<h3(?P<folder_attrs>[^>]*)>(?P<folder>[^<]*)(?:</h3>)?"
    r"|<dd>(?P<note>[^<]*(?:<(?!/?dt>|/?dl[\s>]|dd>)[^<]*)*)"
    r"|(?P<open><dl[\s>])"
    r"|(?P<close></dl>)",
    re.I,
)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_BOUNDARIES = ("<DT", "<dt", "<Dt", "<dT", "</DL", "</dl", "<DL", "<dl")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TRUNCATED_ENTRY = re.compile(r"<dt>\s*<a\s", re.I)

# Folders that are a browser's furniture, not a subject: their names never become tags.
ROOT_FOLDER_ATTRIBUTES = ("PERSONAL_TOOLBAR_FOLDER", "UNFILED_BOOKMARKS_FOLDER")
ROOT_FOLDER_NAMES = frozenset(
    fold(name)
    for name in (
        "Bookmarks",
        "Bookmarks bar",
        "Bookmarks Toolbar",
        "Bookmarks Menu",
        "Other bookmarks",
        "Other Bookmarks",
        "Mobile bookmarks",
        "Favorites",
        "Favorites bar",
        "Marque-pages",
        "Barre personnelle",
        "Barre des favoris",
        "Barre d’outils des marque-pages",
        "Barre d'outils des marque-pages",
        "Menu des marque-pages",
        "Autres marque-pages",
        "Autres favoris",
        "Favoris",
        "Favoris sur mobile",
        "Marque-pages mobiles",
    )
)
TRUE_VALUES = frozenset({"1", "true", "yes", "oui", "on"})


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(text):
        found[name.upper()] = _unescape(double or single or bare)
    return found


def _text(fragment: str) -> str:
    if "<" in fragment:
        fragment = _BREAK.sub("\n", fragment)
    return _unescape(fragment).strip()


def _tags(value: str) -> list[str]:
    """TAGS="a,b", as browsers and services write it: a tag may hold spaces ("réseaux
    sociaux"), so spaces never separate tags here."""
    return [part.strip() for part in value.split(",") if part.strip()]


class NetscapeReader:
    def __init__(self, path: Path, *, encoding: str, folders_as_tags: bool = True) -> None:
        self.path = path
        self.encoding = encoding
        self.folders_as_tags = folders_as_tags
        self._source: TextSource | None = None

    def fraction(self) -> float:
        return self._source.fraction() if self._source else 0.0

    def __iter__(self) -> Iterator[ParsedRow | Rejection]:
        self._source = TextSource(self.path, self.encoding)
        try:
            yield from self._read(self._source)
        finally:
            self._source.close()

    def _read(self, source: TextSource) -> Iterator[ParsedRow | Rejection]:
        folders: list[str | None] = []
        pending_folder: str | None = None
        current: ParsedRow | None = None
        line = 1
        buffer = ""
        finished = False
        while not finished:
            chunk = source.text.read(CHUNK_CHARS)
            finished = not chunk
            buffer += chunk
            if finished:
                cut = len(buffer)
            else:
                cut = max(buffer.rfind(boundary) for boundary in _BOUNDARIES)
                if cut <= 0:
                    if len(buffer) > MAX_ENTRY_CHARS:
                        yield Rejection(line, Reason.ENTRY_TOO_LONG, raw=excerpt(buffer[:200]))
                        line += buffer.count("\n")
                        buffer = ""
                    continue
            position = 0
            last_end = 0
            for match in _TOKEN.finditer(buffer, 0, cut):
                start = match.start()
                line += buffer.count("\n", position, start)
                position = start
                last_end = match.end()
                note = match.group("note")
                if note is not None:
                    if current is not None:
                        current.notes = _text(note)
                    continue
                if current is not None:
                    yield current
                    current = None
                if match.group("attrs") is not None:
                    current = self._bookmark(match, line, folders)
                    if match.group("end") is None and finished and last_end >= cut:
                        current.remarks.append((Reason.TITLE_TRUNCATED, ""))
                elif match.group("folder_attrs") is not None:
                    pending_folder = self._folder_name(match)
                elif match.group("open") is not None:
                    folders.append(pending_folder)
                    pending_folder = None
                elif folders:  # </DL>
                    folders.pop()
            if finished:
                truncated = _TRUNCATED_ENTRY.search(buffer, last_end)
                if truncated:
                    if current is not None:
                        yield current
                        current = None
                    yield Rejection(
                        line + buffer.count("\n", position, truncated.start()),
                        Reason.TRUNCATED,
                        raw=excerpt(buffer[truncated.start() :]),
                    )
            else:
                line += buffer.count("\n", position, cut)
                buffer = buffer[cut:]
        if current is not None:
            yield current

    def _folder_name(self, match: re.Match[str]) -> str | None:
        if not self.folders_as_tags:
            return None
        attributes = _attributes(match.group("folder_attrs"))
        if any(attributes.get(name, "").lower() == "true" for name in ROOT_FOLDER_ATTRIBUTES):
            return None
        name = _text(match.group("folder"))
        if not name or fold(name) in ROOT_FOLDER_NAMES:
            return None
        return name

    def _bookmark(self, match: re.Match[str], line: int, folders: list[str | None]) -> ParsedRow:
        attributes = _attributes(match.group("attrs"))
        # No raw excerpt: the address and the title say all a report needs about the entry.
        row = ParsedRow(line=line, url=attributes.get("HREF", "").strip())
        row.title = _text(match.group("title"))
        tags = [folder for folder in folders if folder] if folders else []
        if "TAGS" in attributes:
            tags += _tags(attributes["TAGS"])
        row.tags = tags
        for attribute, target in (("ADD_DATE", "created_at"), ("LAST_MODIFIED", "updated_at")):
            value = attributes.get(attribute, "")
            if value and value != "0":
                try:
                    setattr(row, target, from_timestamp(value))
                except (DateError, ValueError, OverflowError, OSError):
                    if attribute == "ADD_DATE":
                        row.remarks.append((Reason.BAD_DATE, value[:40]))
        if "PRIVATE" in attributes:
            row.private = attributes["PRIVATE"].strip().lower() in TRUE_VALUES
        row.to_read = attributes.get("TOREAD", "").strip().lower() in TRUE_VALUES
        visibility = attributes.get("VISIBILITY", "").strip().lower()
        if visibility:
            row.visibility = visibility
        return row
