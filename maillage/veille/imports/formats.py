"""The kinds of file an import reads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileFormat(models.TextChoices):
    NETSCAPE = "netscape", _("Bookmarks file (HTML, from a browser, Delicious, Pinboard…)")
    JSON = "json", _("JSON (Pinboard, Delicious, Maillage)")
    XML = "xml", _("XML (Delicious, Pinboard)")
    CSV = "csv", _("CSV table")
    XLSX = "xlsx", _("Excel spreadsheet (XLSX)")
    XLS = "xls", _("Excel 97–2003 spreadsheet (XLS)")
    ODS = "ods", _("OpenDocument spreadsheet (ODS)")


# Formats made of rows and columns: the person checks the guessed columns before importing.
TABLE_FORMATS = frozenset({FileFormat.CSV, FileFormat.XLSX, FileFormat.XLS, FileFormat.ODS})
SPREADSHEET_FORMATS = frozenset({FileFormat.XLSX, FileFormat.XLS, FileFormat.ODS})
