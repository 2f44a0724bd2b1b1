"""The limits of an import, from the settings (IMPORT_* in .env.example)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int
    max_rows: int
    # Spreadsheets are zip files: what they may expand to, in all and per member.
    max_uncompressed_bytes: int
    max_compression_ratio: int
    max_zip_entries: int = 10_000

    @classmethod
    def from_settings(cls) -> ImportLimits:
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )
