"""Readers: each turns a file into a stream of ParsedRow and Rejection, never the whole file
in memory at once (spreadsheets in ODS and XLS excepted: their library reads a sheet whole,
after the zip and size checks bounded it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from maillage.veille.imports.rows import ParsedRow, Rejection


class Reader(Protocol):
    def __iter__(self) -> Iterator[ParsedRow | Rejection]: ...

    def fraction(self) -> float:
        """How far through the file reading is, from 0 to 1."""
        ...
