"""Tables: CSV files and spreadsheets (XLSX streamed by openpyxl; ODS and XLS by calamine).

They yield raw rows of cells with their line number; mapping.py decides which row is the
header and which column says what.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from maillage.veille.imports.dates import EXCEL_EPOCH
from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.parsers.text import TextSource
from maillage.veille.imports.rows import Reason, Rejection

DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 64 * 1024
# A cell our CSV export protected from spreadsheet formulas ('=…, '+…, '-…, '@…).
_PROTECTED_CELL = re.compile(r"^'[=+\-@]")
_MERGE_CELL = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_HYPERLINK = re.compile(rb"<hyperlink\s[^>]*>")
_XML_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
SCAN_CHUNK = 1024 * 1024
MAX_RELS_BYTES = 10 * 1024 * 1024


@dataclass(slots=True)
class TableRow:
    line: int
    cells: list[Any]
    # Column index → the address a cell links to (an Excel "Lien" cell showing "ici").
    links: dict[int, str] = field(default_factory=dict)


class Table(Protocol):
    epoch: datetime

    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str) -> Iterator[TableRow | Rejection]: ...

    def fraction(self) -> float: ...

    def close(self) -> None: ...


def is_empty(row: TableRow) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row.cells)


# --- CSV ----------------------------------------------------------------------------------------


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the sample into the most rows of one same width (2 or more)."""
    if "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [
                len(row)
                for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
                if any(cell.strip() for cell in row)
            ]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count, width) if width >= 2 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class CSVTable:
    epoch = EXCEL_EPOCH

    def __init__(self, path: Path, *, encoding: str, delimiter: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter or self._sniff()
        self._source: TextSource | None = None

    def _sniff(self) -> str:
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            return sniff_delimiter(handle.read(SNIFF_CHARS).lstrip("\ufeff"))

    def sheet_names(self) -> list[str]:
        return [""]

    def fraction(self) -> float:
        return self._source.fraction() if self._source else 0.0

    def close(self) -> None:
        if self._source:
            self._source.close()

    def rows(self, sheet: str = "") -> Iterator[TableRow | Rejection]:
        self._source = source = TextSource(self.path, self.encoding)
        try:
            reader = csv.reader(source.text, delimiter=self.delimiter)
            previous_end = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield Rejection(previous_end + 1, Reason.MALFORMED, detail=str(error)[:200])
                    previous_end = reader.line_num
                    continue
                line = previous_end + 1
                previous_end = reader.line_num
                if line == 1 and cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]
                yield TableRow(
                    line,
                    [cell[1:] if _PROTECTED_CELL.match(cell) else cell for cell in cells],
                )
        finally:
            source.close()


# --- XLSX (openpyxl, read-only: rows stream from the zip) -------------------------------------


def _fill_merged(
    values: list[Any],
    line: int,
    starting: Iterable[tuple[int, int]],
    carried: dict[int, tuple[int, Any]],
) -> None:
    """A value merged over several rows (a category beside its links) applies to each row."""
    for last, column in starting:
        if column < len(values):
            carried[column] = (last, values[column])
    for column, (last, value) in list(carried.items()):
        if line > last:
            del carried[column]
            continue
        while len(values) <= column:
            values.append(None)
        if values[column] in (None, ""):
            values[column] = value


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


@dataclass
class _SheetExtras:
    # first row → [(last row, column)] of merged blocks spanning several rows (1-based rows).
    vertical_merges: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # row → {column → link target}.
    links: dict[int, dict[int, str]] = field(default_factory=dict)


class XLSXTable:
    def __init__(self, path: Path) -> None:
        import openpyxl

        self.path = path
        try:
            self.workbook = openpyxl.load_workbook(
                path, read_only=True, data_only=True, keep_links=False
            )
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused(ErrorCode.CORRUPT, detail=str(error)[:200]) from error
        self.epoch = self.workbook.epoch
        self._rows_read = 0
        self._rows_expected = 1

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def fraction(self) -> float:
        return min(self._rows_read / max(self._rows_expected, 1), 1.0)

    def close(self) -> None:
        self.workbook.close()

    def _extras(self, worksheet: Any) -> _SheetExtras:
        """Merged cells and hyperlinks, which openpyxl's read-only mode leaves out: read from
        the end of the sheet's XML with a byte scan (no XML parser, constant memory)."""
        extras = _SheetExtras()
        path = getattr(worksheet, "_worksheet_path", None)
        if not path:
            return extras
        archive: zipfile.ZipFile = self.workbook._archive
        hyperlinks: list[dict[bytes, bytes]] = []
        tail = b""
        with archive.open(path) as handle:
            while chunk := handle.read(SCAN_CHUNK):
                window = tail + chunk
                for match in _MERGE_CELL.finditer(window):
                    if match.start() < len(tail) and match.end() <= len(tail):
                        continue
                    first_row, last_row = int(match.group(2)), int(match.group(4))
                    if last_row > first_row:
                        column = _column_index(match.group(1))
                        merges = extras.vertical_merges.setdefault(first_row, [])
                        merges.append((last_row, column))
                for match in _HYPERLINK.finditer(window):
                    if match.start() < len(tail) and match.end() <= len(tail):
                        continue
                    hyperlinks.append(dict(_XML_ATTRIBUTE.findall(match.group(0))))
                tail = window[-4096:]
        if hyperlinks:
            targets = self._relationship_targets(archive, path)
            for attributes in hyperlinks:
                reference = attributes.get(b"ref", b"").split(b":")[0]
                target = targets.get(attributes.get(b"r:id", b"").decode("ascii", "ignore"))
                cell = re.match(rb"([A-Z]+)(\d+)$", reference)
                if cell and target:
                    row_links = extras.links.setdefault(int(cell.group(2)), {})
                    row_links[_column_index(cell.group(1))] = target
        return extras

    @staticmethod
    def _relationship_targets(archive: zipfile.ZipFile, sheet_path: str) -> dict[str, str]:
        from defusedxml import ElementTree

        folder, _, name = sheet_path.rpartition("/")
        rels_path = f"{folder}/_rels/{name}.rels"
        try:
            info = archive.getinfo(rels_path)
        except KeyError:
            return {}
        if info.file_size > MAX_RELS_BYTES:
            return {}
        root = ElementTree.fromstring(archive.read(rels_path))
        return {
            element.get("Id", ""): element.get("Target", "")
            for element in root
            if element.get("Type", "").endswith("/hyperlink")
        }

    def rows(self, sheet: str) -> Iterator[TableRow | Rejection]:
        worksheet = self.workbook[sheet]
        self._rows_read = 0
        self._rows_expected = max(worksheet.max_row or 1, 1)
        extras = self._extras(worksheet)
        # The declared dimension may be missing or wrong; read every row the sheet has.
        worksheet.reset_dimensions()
        carried: dict[int, tuple[int, Any]] = {}
        for cells in worksheet.iter_rows():
            values: list[Any] = []
            line = 0
            for cell in cells:
                column = getattr(cell, "column", None)
                if column is None:
                    continue
                line = cell.row
                while len(values) < column - 1:
                    values.append(None)
                values.append(cell.value)
            if not line:
                continue
            self._rows_read = line
            _fill_merged(values, line, extras.vertical_merges.get(line, ()), carried)
            yield TableRow(line, values, extras.links.get(line, {}))


# --- ODS and XLS (calamine) -------------------------------------------------------------------


class CalamineTable:
    epoch = EXCEL_EPOCH

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self.path = path
        try:
            self.workbook = CalamineWorkbook.from_path(str(path))
        except Exception as error:  # calamine raises its own kinds for a damaged file
            raise ImportRefused(ErrorCode.CORRUPT, detail=str(error)[:200]) from error
        self._rows_read = 0
        self._rows_expected = 1

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheet_names)

    def fraction(self) -> float:
        return min(self._rows_read / max(self._rows_expected, 1), 1.0)

    def close(self) -> None:
        self.workbook.close()

    def rows(self, sheet: str) -> Iterator[TableRow | Rejection]:
        try:
            worksheet = self.workbook.get_sheet_by_name(sheet)
        except Exception as error:
            raise ImportRefused(ErrorCode.CORRUPT, detail=str(error)[:200]) from error
        end = worksheet.end
        self._rows_read = 0
        self._rows_expected = (end[0] + 1) if end else 1
        merges: dict[int, list[tuple[int, int]]] = {}
        for (first_row, first_column), (last_row, _last_column) in (
            worksheet.merged_cell_ranges or []
        ):
            if last_row > first_row:
                merges.setdefault(first_row + 1, []).append((last_row + 1, first_column))
        start_column = worksheet.start[1] if worksheet.start else 0
        carried: dict[int, tuple[int, Any]] = {}
        # calamine yields rows from the sheet's first row (1), columns from its first used one.
        for index, cells in enumerate(worksheet.iter_rows()):
            line = index + 1
            self._rows_read = line
            values: list[Any] = [None] * start_column + list(cells)
            _fill_merged(values, line, merges.get(line, ()), carried)
            yield TableRow(line, values)
