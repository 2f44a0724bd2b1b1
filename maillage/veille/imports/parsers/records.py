"""Bookmarks given as records with named fields: Pinboard and Delicious (JSON, XML) and our own
JSON export. One mapping of field names serves them all."""

from __future__ import annotations

from typing import Any

from maillage.veille.imports.dates import DateError, parse_date
from maillage.veille.imports.rows import ParsedRow, Reason

URL_KEYS = ("href", "url", "u", "link", "uri")
TITLE_KEYS = ("title", "name", "d")
NOTES_KEYS = ("extended", "notes", "note", "n", "comment", "excerpt")
TAG_KEYS = ("tags", "tag", "t")
DATE_KEYS = ("time", "dt", "created", "created_at", "date", "add_date", "added")
UPDATED_KEYS = ("updated", "updated_at", "last_modified")
TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "non", "n", "off", ""})


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _tag_list(value: Any) -> list[str]:
    """A list, or a string: comma-separated if it holds a comma, else space-separated
    (Pinboard and Delicious)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    parts = text.split(",") if "," in text else text.split()
    return [part.strip() for part in parts if part.strip()]


def row_from_record(record: dict[str, Any], *, line: int, raw: str = "") -> ParsedRow:
    record = {str(key).lower(): value for key, value in record.items()}
    row = ParsedRow(line=line, url=_text(_first(record, URL_KEYS)), raw=raw)
    # Pinboard and Delicious call the title "description" and the notes "extended".
    title = _first(record, TITLE_KEYS)
    description = record.get("description")
    if title is None:
        title, description = description, None
    row.title = _text(title)
    notes = [_text(_first(record, NOTES_KEYS)), _text(description)]
    row.notes = "\n\n".join(part for part in notes if part)
    row.tags = _tag_list(_first(record, TAG_KEYS))
    for keys, target in ((DATE_KEYS, "created_at"), (UPDATED_KEYS, "updated_at")):
        value = _first(record, keys)
        if value is not None:
            try:
                setattr(row, target, parse_date(value))
            except (DateError, ValueError, OverflowError, OSError):
                if target == "created_at":
                    row.remarks.append((Reason.BAD_DATE, str(value)[:40]))
    if "shared" in record:
        shared = _truth(record["shared"])
        row.private = None if shared is None else not shared
    if "private" in record:
        row.private = _truth(record["private"])
    visibility = record.get("visibility")
    if isinstance(visibility, str) and visibility:
        row.visibility = visibility.strip().lower()
    row.to_read = bool(_truth(_first(record, ("toread", "to_read", "unread")) or ""))
    return row
