"""Opening a text file in its encoding, with how far reading has gone."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO


class TextSource:
    """A text file read in chunks; `fraction()` follows the bytes read underneath."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.size = max(path.stat().st_size, 1)
        self._binary: BinaryIO = path.open("rb")
        self.text = io.TextIOWrapper(self._binary, encoding=encoding, errors="replace", newline="")

    def fraction(self) -> float:
        if self._binary.closed:
            return 1.0
        return min(self._binary.tell() / self.size, 1.0)

    def close(self) -> None:
        self.text.close()
