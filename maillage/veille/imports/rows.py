"""What every reader yields: a bookmark read from a file, or a line refused with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

RAW_EXCERPT_LENGTH = 300


class Reason:
    """Why a line was refused or imported with a remark (codes stored; words in messages.py)."""

    MISSING_URL = "missing_url"
    INVALID_URL = "invalid_url"
    URL_TOO_LONG = "url_too_long"
    TRUNCATED = "truncated"
    ENTRY_TOO_LONG = "entry_too_long"
    MALFORMED = "malformed"
    # Remarks: the bookmark is imported all the same.
    BAD_DATE = "bad_date"
    URL_COMPLETED = "url_completed"
    TITLE_TRUNCATED = "title_truncated"
    TOO_MANY_TAGS = "too_many_tags"
    SHEET_SKIPPED = "sheet_skipped"


@dataclass(slots=True)
class ParsedRow:
    """One bookmark as a file describes it, before its address is checked."""

    line: int
    url: str
    title: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # None: the import's chosen visibility; True: marked private in the file.
    private: bool | None = None
    # Our own exports say which of the three levels a bookmark had.
    visibility: str | None = None
    to_read: bool = False
    sheet: str = ""
    raw: str = ""
    # (reason, detail) remarks found while reading, kept with the row for the report.
    remarks: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Rejection:
    """A line that cannot become a bookmark, and why."""

    line: int
    reason: str
    detail: str = ""
    raw: str = ""
    sheet: str = ""


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= RAW_EXCERPT_LENGTH else text[: RAW_EXCERPT_LENGTH - 1] + "…"
