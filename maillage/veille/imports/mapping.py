"""Tables into bookmarks: find the header row, guess what each column holds (from French and
English names, then from the cells themselves), and read each row with that mapping."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import fold
from maillage.veille.imports.dates import EXCEL_EPOCH, DateError, parse_date
from maillage.veille.imports.fields import (
    EXACT_NAMES,
    FIRST_WORDS,
    SINGLE_FIELDS,
    TRUE_WORDS,
    VISIBILITY_WORDS,
    Field,
)
from maillage.veille.imports.parsers.tables import Table, TableRow, is_empty
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection, excerpt

HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 50
PREVIEW_ROWS = 8


_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_BARE_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#]\S*)?$", re.I)
TAG_SEPARATORS = re.compile(r"[,;\n]")


def header_key(text: Any) -> str:
    """ "Mots-clés :" → "mots cles"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())


def field_for_header(text: Any) -> tuple[str, int]:
    """The field a header names and how sure: 2 exact, 1 by its first word, 0 unknown."""
    key = header_key(text)
    if not key:
        return Field.IGNORE, 0
    if key in EXACT_NAMES:
        return EXACT_NAMES[key], 2
    first = key.split(" ", 1)[0]
    if first in FIRST_WORDS:
        return FIRST_WORDS[first], 1
    return Field.IGNORE, 0


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if value.time() != datetime.min.time()
            else (value.strftime("%Y-%m-%d"))
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def looks_like_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_URL.match(value.strip()))


def _looks_like_date(value: Any, epoch: datetime) -> bool:
    if isinstance(value, datetime | date):
        return True
    if isinstance(value, str) and value.strip():
        try:
            parse_date(value, epoch=epoch)
        except (DateError, ValueError, OverflowError, OSError):
            return False
        return True
    return False


@dataclass
class TableMapping:
    sheet: str
    header_line: int | None
    columns: list[str]
    headers: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "header_line": self.header_line,
            "columns": self.columns,
            "headers": self.headers,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableMapping:
        return cls(
            sheet=str(data.get("sheet") or ""),
            header_line=data.get("header_line"),
            columns=[str(value) for value in data.get("columns", [])],
            headers=[str(value) for value in data.get("headers", [])],
        )

    def has_url(self) -> bool:
        return Field.URL in self.columns


@dataclass
class Preview:
    mapping: TableMapping
    width: int
    rows: list[TableRow]
    # Columns with nothing in the header or the sample: left out of the preview.
    visible_columns: list[int]
    epoch: datetime = EXCEL_EPOCH


def _find_header(rows: Sequence[TableRow]) -> TableRow | None:
    best: TableRow | None = None
    best_score = 0
    for row in rows[:HEADER_SEARCH_ROWS]:
        known = [field_for_header(cell) for cell in row.cells if isinstance(cell, str)]
        score = sum(certainty for _field, certainty in known if certainty)
        distinct = {field_ for field_, certainty in known if certainty}
        if any(looks_like_url(cell) for cell in row.cells) or row.links:
            continue  # a row of data, not of names
        if score > best_score and (len(distinct) >= 2 or Field.URL in distinct):
            best, best_score = row, score
    if best is None and len(rows) >= 2:
        # Names we do not know ("Quoi", "Où"), above rows of addresses: still a header.
        first, second = rows[0], rows[1]
        names = [cell for cell in first.cells if cell not in (None, "")]
        if (
            names
            and all(isinstance(cell, str) and not looks_like_url(cell) for cell in names)
            and not first.links
            and (any(looks_like_url(cell) for cell in second.cells) or second.links)
        ):
            return first
    return best


def guess_mapping(
    sheet: str,
    rows: Sequence[TableRow],
    *,
    epoch: datetime = EXCEL_EPOCH,
    header_line: int | None = None,
) -> TableMapping:
    """Guess the header row (unless given: 0 for none) and the columns from the first rows."""
    non_empty = [row for row in rows if not is_empty(row)]
    if header_line is None:
        header = _find_header(non_empty)
    else:
        header = next((row for row in non_empty if row.line == header_line), None)
    data = [row for row in non_empty if header is None or row.line > header.line][:SAMPLE_ROWS]
    width = max((len(row.cells) for row in non_empty), default=0)
    headers = [cell_text(cell) for cell in header.cells] if header else []
    headers += [""] * (width - len(headers))
    columns: list[str] = [Field.IGNORE] * width
    certainty = [0] * width
    for index, text in enumerate(headers):
        columns[index], certainty[index] = field_for_header(text)

    def ratio(index: int, test: Any) -> float:
        values = [row.cells[index] for row in data if index < len(row.cells)]
        filled = [value for value in values if value not in (None, "")]
        if not filled:
            return 0.0
        return sum(1 for value in filled if test(value)) / len(filled)

    def url_ratio(index: int) -> float:
        linked = sum(1 for row in data if index in row.links)
        share = linked / len(data) if data else 0.0
        return max(ratio(index, looks_like_url), share)

    url_ratios = [url_ratio(index) for index in range(width)]
    # The column full of addresses wins over a column merely named like one ("Site": a name).
    best_url = max(range(width), key=lambda index: url_ratios[index], default=None)
    named_urls = [index for index in range(width) if columns[index] == Field.URL]
    if best_url is not None and url_ratios[best_url] >= 0.5:
        named_ok = [index for index in named_urls if url_ratios[index] >= 0.5]
        chosen = max(named_ok, key=lambda index: url_ratios[index]) if named_ok else best_url
        for index in named_urls:
            if index != chosen:
                columns[index] = Field.IGNORE
        if columns[chosen] != Field.URL and certainty[chosen] < 2:
            columns[chosen] = Field.URL
    elif len(named_urls) > 1:
        for index in named_urls[1:]:
            columns[index] = Field.IGNORE

    if Field.DATE not in columns:
        for index in range(width):
            if (
                columns[index] == Field.IGNORE
                and ratio(index, lambda value: _looks_like_date(value, epoch)) >= 0.8
            ):
                columns[index] = Field.DATE
                break

    if Field.TITLE not in columns:
        # The unmapped column with the longest text that is not an address.
        def mean_length(index: int) -> float:
            values = [cell_text(row.cells[index]) for row in data if index < len(row.cells)]
            values = [value for value in values if value and not looks_like_url(value)]
            return sum(map(len, values)) / len(values) if values else 0.0

        candidates = [index for index in range(width) if columns[index] == Field.IGNORE]
        if not header and candidates:
            best_title = max(candidates, key=mean_length)
            if mean_length(best_title) > 0:
                columns[best_title] = Field.TITLE

    # One column per single field: the surest one keeps it, the others become notes or nothing.
    for single in SINGLE_FIELDS:
        holders = [index for index in range(width) if columns[index] == single]
        if len(holders) > 1:
            keep = max(holders, key=lambda index: (certainty[index], -index))
            for index in holders:
                if index != keep:
                    columns[index] = Field.NOTES if single == Field.TITLE else Field.IGNORE
    return TableMapping(
        sheet=sheet,
        header_line=header.line if header else None,
        columns=columns,
        headers=headers,
    )


def read_first_rows(table: Table, sheet: str, count: int = 80) -> list[TableRow]:
    rows = (item for item in table.rows(sheet) if isinstance(item, TableRow))
    return list(islice(rows, count))


def build_preview(
    table: Table, sheet: str, *, mapping: TableMapping | None = None, count: int = PREVIEW_ROWS
) -> Preview:
    """The guessed (or given) mapping and the first rows of data under the header."""
    first_rows = read_first_rows(table, sheet)
    guessed = guess_mapping(sheet, first_rows, epoch=table.epoch)
    if mapping is None:
        mapping = guessed
    else:
        width = max(len(mapping.columns), len(guessed.columns))
        mapping.columns += [Field.IGNORE] * (width - len(mapping.columns))
        if mapping.header_line != guessed.header_line or not mapping.headers:
            header = next((row for row in first_rows if row.line == mapping.header_line), None)
            mapping.headers = [cell_text(cell) for cell in header.cells] if header else []
        mapping.headers += [""] * (width - len(mapping.headers))
    data = [
        row
        for row in first_rows
        if not is_empty(row) and (mapping.header_line is None or row.line > mapping.header_line)
    ][:count]
    width = len(mapping.columns)
    visible = [
        index
        for index in range(width)
        if (index < len(mapping.headers) and mapping.headers[index])
        or mapping.columns[index] != Field.IGNORE
        or any(index < len(row.cells) and cell_text(row.cells[index]) for row in data)
    ]
    return Preview(
        mapping=mapping, width=width, rows=data, visible_columns=visible, epoch=table.epoch
    )


@dataclass
class RowOptions:
    epoch: datetime = EXCEL_EPOCH
    day_first: bool = True
    sheet_tag: str = ""


def cell_hint(row: TableRow, index: int, field: str, *, epoch: datetime, day_first: bool) -> str:
    """What the import will make of a cell, when that is not plain to see: the date behind an
    Excel serial number or a typed date, the address behind a linked word."""
    value = row.cells[index] if index < len(row.cells) else None
    text = cell_text(value)
    if field == Field.DATE and text:
        try:
            moment = parse_date(value, day_first=day_first, epoch=epoch)
        except (DateError, ValueError, OverflowError, OSError):
            return str(_("not a date"))
        shown = date_format(localtime(moment), "j F Y")
        return "" if shown == text else shown
    if field == Field.URL:
        link = row.links.get(index)
        if link and not looks_like_url(text):
            return link
        if text and not looks_like_url(text) and _BARE_DOMAIN.match(text):
            return f"https://{text}"
    return ""


def _split_tags(text: str) -> list[str]:
    parts = [part.strip() for part in TAG_SEPARATORS.split(text)]
    words = [part for part in parts if part]
    if len(words) == 1 and " " in words[0]:
        hashed = words[0].split()
        if all(word.startswith("#") for word in hashed):
            return hashed
    return words


def row_from_cells(
    row: TableRow, mapping: TableMapping, options: RowOptions
) -> ParsedRow | Rejection | None:
    """A bookmark from a data row, a rejection, or None for a row with nothing in it."""
    if mapping.header_line is not None and row.line <= mapping.header_line:
        return None
    if is_empty(row):
        return None
    cells = row.cells
    url = ""
    title = ""
    notes: list[str] = []
    tags: list[str] = []
    parsed = ParsedRow(line=row.line, url="", sheet=mapping.sheet)
    for index, target in enumerate(mapping.columns):
        if target == Field.IGNORE or index >= len(cells):
            continue
        value = cells[index]
        text = cell_text(value)
        if target == Field.URL:
            url = text
            link = row.links.get(index)
            if link and not looks_like_url(text):
                url = link
        elif target == Field.TITLE:
            title = text
        elif target == Field.NOTES:
            if text:
                notes.append(text)
        elif target == Field.TAGS:
            tags += _split_tags(text)
        elif target == Field.DATE:
            if value not in (None, ""):
                try:
                    parsed.created_at = parse_date(
                        value, day_first=options.day_first, epoch=options.epoch
                    )
                except (DateError, ValueError, OverflowError, OSError):
                    parsed.remarks.append((Reason.BAD_DATE, text[:40]))
        elif target == Field.PRIVATE:
            parsed.private = fold(text) in TRUE_WORDS if text else None
        elif target == Field.TO_READ:
            parsed.to_read = fold(text) in TRUE_WORDS
        elif target == Field.VISIBILITY:
            visibility = VISIBILITY_WORDS.get(header_key(text))
            if visibility:
                parsed.visibility = visibility
    if not url and row.links:
        # No address in its column, but a linked cell elsewhere (a title linking to the page).
        url = next(iter(row.links.values()))
    raw = excerpt(" | ".join(cell_text(cell) for cell in cells if cell_text(cell)))
    if not url:
        return Rejection(row.line, Reason.MISSING_URL, raw=raw, sheet=mapping.sheet)
    if (not looks_like_url(url) and _BARE_DOMAIN.match(url)) or url.lower().startswith("www."):
        parsed.remarks.append((Reason.URL_COMPLETED, url[:100]))
        url = f"https://{url}"
    parsed.url = url
    parsed.title = title
    parsed.notes = "\n\n".join(notes)
    if options.sheet_tag:
        tags.insert(0, options.sheet_tag)
    parsed.tags = tags
    parsed.raw = raw
    return parsed


class TableReader:
    """A table as a Reader: its rows through a mapping, sheet after sheet if asked."""

    def __init__(
        self,
        table: Table,
        mappings: list[TableMapping],
        *,
        day_first: bool = True,
        sheets_as_tags: bool = False,
    ) -> None:
        self.table = table
        self.mappings = mappings
        self.day_first = day_first
        self.sheets_as_tags = sheets_as_tags
        self._done_sheets = 0

    def fraction(self) -> float:
        count = max(len(self.mappings), 1)
        return min((self._done_sheets + self.table.fraction()) / count, 1.0)

    def __iter__(self) -> Iterator[ParsedRow | Rejection]:
        for mapping in self.mappings:
            options = RowOptions(
                epoch=self.table.epoch,
                day_first=self.day_first,
                sheet_tag=mapping.sheet if self.sheets_as_tags else "",
            )
            for item in self.table.rows(mapping.sheet):
                if isinstance(item, Rejection):
                    item.sheet = mapping.sheet
                    yield item
                    continue
                result = row_from_cells(item, mapping, options)
                if result is not None:
                    yield result
            self._done_sheets += 1
