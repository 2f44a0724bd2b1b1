"""Files to import, built in the tests: bookmark files, tables, spreadsheets, and traps."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def netscape(entries: list[str], *, charset: str = "UTF-8") -> str:
    body = "\n".join(f"    {entry}" for entry in entries)
    return (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        f'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset={charset}">\n'
        "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
        f"{body}\n</DL><p>\n"
    )


def png() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def xlsx(
    sheets: dict[str, list[list[Any]]],
    *,
    merges: dict[str, list[str]] | None = None,
    links: dict[str, dict[str, str]] | None = None,
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = name
        for row in rows:
            sheet.append(row)
        for merged in (merges or {}).get(name, []):
            sheet.merge_cells(merged)
        for reference, target in (links or {}).get(name, {}).items():
            sheet[reference].hyperlink = target
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime):
        stamp = value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{stamp}">'
            f"<text:p>{stamp}</text:p></table:table-cell>"
        )
    if isinstance(value, date):
        stamp = value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{stamp}">'
            f"<text:p>{stamp}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def ods(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An OpenDocument spreadsheet; an empty row list is an empty row."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(cell) for cell in row) + "</table:table-row>"
            if row
            else "<table:table-row><table:table-cell/></table:table-row>"
            for row in rows
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{body}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb(*, member_size: int = 64 * 1024 * 1024) -> bytes:
    """A spreadsheet-looking zip whose sheet expands a thousandfold: zeros compress wildly.

    Written in slices, so the test never holds the expanded data in memory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            block = b"\0" * (1024 * 1024)
            for _ in range(member_size // len(block)):
                handle.write(block)
    return buffer.getvalue()
