"""Why a whole import is refused: a code and its details, put into words by messages.py."""

from __future__ import annotations

from typing import Any


class ErrorCode:
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    NOT_BOOKMARKS = "not_bookmarks"
    BINARY = "binary"
    OPML = "opml"
    HTML_WITHOUT_BOOKMARKS = "html_without_bookmarks"
    UNKNOWN_XML = "unknown_xml"
    OFFICE_DOCUMENT = "office_document"
    ZIP_ARCHIVE = "zip_archive"
    ZIP_BOMB = "zip_bomb"
    CORRUPT = "corrupt"
    TOO_MANY_ROWS = "too_many_rows"
    NO_URL_COLUMN = "no_url_column"
    NO_SHEET = "no_sheet"
    INTERRUPTED = "interrupted"
    DATABASE = "database"
    UNEXPECTED = "unexpected"


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing of it is written."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        from maillage.veille.imports.messages import error_message

        return str(error_message(self.code, self.params))
