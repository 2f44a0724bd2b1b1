"""The participant list as a spreadsheet: CSV that Excel opens with its accents, and ODS.

Both guard against formula injection: a cell whose text starts like a formula (= + - @, tab or
carriage return) is prefixed with an apostrophe, so a name typed as "=HYPERLINK(…)" by a guest
stays text in the organiser's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.events.models import Event, Registration, RegistrationQuestion

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# Characters XML 1.0 cannot carry at all (a pasted form feed would break the whole file).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(value: Any) -> str:
    """Text safe to put in a spreadsheet cell (see the module docstring)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def participant_rows(
    event: Event, registrations: Iterable[Registration], questions: Sequence[RegistrationQuestion]
) -> tuple[list[str], list[list[str]]]:
    """The header and one row per registration (answers should be prefetched)."""
    header = [
        _("Name"),
        _("Email address"),
        _("Profession"),
        _("Institution"),
        _("Status"),
        _("Registered"),
        _("Check-in code"),
        _("Checked in"),
        _("Added at the door"),
        *[question.label for question in questions],
    ]
    zone = event.time_zone
    rows = []
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers.all()}
        rows.append(
            [
                registration.name,
                registration.email,
                registration.get_profession_display() if registration.profession else "",
                registration.institution_name,
                str(registration.get_status_display()),
                _local(registration.created_at, zone),
                registration.check_in_code,
                _local(registration.checked_in_at, zone),
                _("yes") if registration.walk_in else "",
                *[answers.get(question.pk, "") for question in questions],
            ]
        )
    return [str(cell) for cell in header], rows


def _local(value: Any, zone: str) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def participants_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte order mark: Excel then reads "Médiathèque" right; ";" as French Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def participants_ods(header: list[str], rows: list[list[str]], *, sheet_name: str) -> bytes:
    """A minimal OpenDocument spreadsheet (mimetype, manifest, content), every cell as text."""

    def row_xml(cells: list[str]) -> str:
        parts = []
        for cell in cells:
            text = XML_INVALID.sub("", neutralise(cell))
            paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
            parts.append(
                f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'
            )
        return "<table:table-row>" + "".join(parts) + "</table:table-row>"

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<office:document-content"
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' office:version="1.2">'
        "<office:body><office:spreadsheet>"
        f"<table:table table:name={quoteattr(sheet_name[:31] or 'Participants')}>"
        + row_xml(header)
        + "".join(row_xml(row) for row in rows)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"'
        ' manifest:version="1.2"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed: that is how applications recognise ODS.
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
