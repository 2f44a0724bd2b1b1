"""What an import says to people: refusals of a whole file and reasons given for one line."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.veille.imports.errors import ErrorCode
from maillage.veille.imports.rows import Reason

ACCEPTED_FORMATS = _(
    "Accepted: bookmarks exported by a browser or by Delicious, Pinboard, Diigo or Shaarli "
    "(HTML, JSON, XML), and tables (CSV, XLSX, ODS, XLS)."
)

WHAT_FILE_IS = {
    "png": _("a PNG image"),
    "jpeg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "pdf": _("a PDF document"),
    "gzip": _("a compressed file (gzip)"),
    "archive": _("a compressed archive"),
    "program": _("a program"),
    "audio": _("a sound file"),
    "video": _("a video"),
    "database": _("a database"),
    "xlsb": _("an Excel binary workbook (XLSB): save it as XLSX"),
}


def _size(value: Any) -> str:
    try:
        return str(filesizeformat(int(value)))
    except (TypeError, ValueError):
        return str(value)


def error_message(code: str, params: dict[str, Any] | None = None) -> str | Promise:
    params = params or {}
    if code == ErrorCode.EMPTY_FILE:
        return _("The file is empty.")
    if code == ErrorCode.FILE_TOO_LARGE:
        return _(
            "The file weighs %(size)s; imports are limited to %(limit)s. Split it into "
            "several files, or ask for the limit to be raised."
        ) % {"size": _size(params.get("size")), "limit": _size(params.get("limit"))}
    if code == ErrorCode.NOT_BOOKMARKS:
        what = WHAT_FILE_IS.get(str(params.get("kind")), _("something else"))
        return _(
            "This file is %(what)s, not a list of bookmarks, whatever its name says. %(accepted)s"
        ) % {"what": what, "accepted": ACCEPTED_FORMATS}
    if code == ErrorCode.BINARY:
        return _("This file is neither text nor a spreadsheet we can read. %(accepted)s") % {
            "accepted": ACCEPTED_FORMATS
        }
    if code == ErrorCode.OPML:
        return _(
            "This is an OPML file: a list of feeds, not of bookmarks. Import it among the "
            "sources of the watch."
        )
    if code == ErrorCode.HTML_WITHOUT_BOOKMARKS:
        return _(
            "This web page holds no bookmarks. Export your bookmarks from your browser "
            "(an HTML bookmarks file) and give that file."
        )
    if code == ErrorCode.UNKNOWN_XML:
        return _("This XML file is not a Delicious or Pinboard export. %(accepted)s") % {
            "accepted": ACCEPTED_FORMATS
        }
    if code == ErrorCode.OFFICE_DOCUMENT:
        return _(
            "This is a text document or a presentation, not a spreadsheet: copy the links into "
            "a spreadsheet (XLSX, ODS) or save them as CSV."
        )
    if code == ErrorCode.ZIP_ARCHIVE:
        return _("This is a zip archive, not a spreadsheet: take the file out of it first.")
    if code == ErrorCode.ZIP_BOMB:
        if "ratio" in params:
            detail = _("a part of it is compressed %(ratio)s times") % {"ratio": params["ratio"]}
        elif "members" in params:
            detail = _("it holds %(count)s files") % {"count": params["members"]}
        else:
            detail = _("%(size)s once opened") % {"size": _size(params.get("size"))}
        return _(
            "This spreadsheet would take far more room once opened than its size suggests "
            "(%(detail)s): it is refused as a precaution."
        ) % {"detail": detail}
    if code == ErrorCode.CORRUPT:
        return _("The file could not be read: it seems damaged or incomplete (%(detail)s).") % {
            "detail": params.get("detail", "")
        }
    if code == ErrorCode.TOO_MANY_ROWS:
        return _(
            "The file has more than %(limit)s rows, the most an import takes. Nothing was "
            "imported: split it into several files."
        ) % {"limit": f"{int(params.get('limit', 0)):,}".replace(",", "\u202f")}
    if code == ErrorCode.NO_URL_COLUMN:
        return _("Choose the column that holds the addresses (URL).")
    if code == ErrorCode.NO_SHEET:
        return _("This spreadsheet has no sheet to read.")
    if code == ErrorCode.INTERRUPTED:
        return _(
            "The import was interrupted several times (the server restarted?). Nothing was "
            "kept: start it again."
        )
    if code == ErrorCode.DATABASE:
        return _("The database refused the import (%(detail)s). Nothing was kept.") % {
            "detail": params.get("detail", "")
        }
    return _("An unexpected error stopped the import (%(detail)s). Nothing was kept.") % {
        "detail": params.get("detail", code)
    }


def reason_message(code: str, detail: str = "") -> str | Promise:
    if code == Reason.MISSING_URL:
        return _("No address on this line.")
    if code == Reason.INVALID_URL:
        return _("Not a web address (http:// or https://): “%(address)s”.") % {"address": detail}
    if code == Reason.URL_TOO_LONG:
        return _("The address is longer than 2,000 characters.")
    if code == Reason.TRUNCATED:
        return _("The entry stops short: the file seems cut off here.")
    if code == Reason.ENTRY_TOO_LONG:
        return _("An entry longer than a megabyte: skipped.")
    if code == Reason.MALFORMED:
        if detail:
            return _("This line cannot be read (%(detail)s).") % {"detail": detail}
        return _("This line cannot be read.")
    if code == Reason.BAD_DATE:
        return _("Date not understood (“%(value)s”): the day of the import was used.") % {
            "value": detail
        }
    if code == Reason.URL_COMPLETED:
        return _("“%(value)s” was read as https://%(value)s.") % {"value": detail}
    if code == Reason.TITLE_TRUNCATED:
        return _("The title may be cut off (the file ends there).")
    if code == Reason.SHEET_SKIPPED:
        return _("No column of addresses in this sheet: it was left out.")
    if code == Reason.TOO_MANY_TAGS:
        return _("More than %(count)s tags: the first %(count)s were kept.") % {
            "count": detail or "50"
        }
    return code
