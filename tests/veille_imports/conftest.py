"""Helpers for the import tests: write a file, read it back through the real readers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from maillage.veille.imports.limits import ImportLimits


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def write_file(name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write_file


@pytest.fixture
def limits() -> ImportLimits:
    return ImportLimits(
        max_bytes=50 * 1024 * 1024,
        max_rows=200_000,
        max_uncompressed_bytes=500 * 1024 * 1024,
        max_compression_ratio=100,
    )
