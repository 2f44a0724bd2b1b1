"""JSON exports: a list of records (Pinboard, Delicious, ours), or an object holding one
("posts", "bookmarks"). Decoded one record at a time from a sliding buffer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.parsers.records import row_from_record
from maillage.veille.imports.parsers.text import TextSource
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection, excerpt

CHUNK_CHARS = 256 * 1024
MAX_RECORD_CHARS = 1024 * 1024
_WHITESPACE = re.compile(r"[\s,]*")
_LIST_KEY = re.compile(r'"(?:posts|bookmarks|items|links|data)"\s*:\s*\[')


class JSONReader:
    def __init__(self, path: Path, *, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self._source: TextSource | None = None

    def fraction(self) -> float:
        return self._source.fraction() if self._source else 0.0

    def __iter__(self) -> Iterator[ParsedRow | Rejection]:
        self._source = TextSource(self.path, self.encoding)
        try:
            yield from self._read(self._source)
        finally:
            self._source.close()

    def _read(self, source: TextSource) -> Iterator[ParsedRow | Rejection]:
        decoder = json.JSONDecoder()
        buffer = source.text.read(CHUNK_CHARS).lstrip("\ufeff")
        finished = False
        position = len(buffer) - len(buffer.lstrip())
        line = 1 + buffer.count("\n", 0, position)
        if buffer[position : position + 1] == "{":
            # An object: the list of records is under one of the usual keys.
            while True:
                found = _LIST_KEY.search(buffer, position)
                if found or finished or len(buffer) > MAX_RECORD_CHARS:
                    break
                chunk = source.text.read(CHUNK_CHARS)
                finished = not chunk
                buffer += chunk
            if not found:
                raise ImportRefused(ErrorCode.CORRUPT, detail="JSON")
            line += buffer.count("\n", position, found.end())
            position = found.end()
        elif buffer[position : position + 1] == "[":
            position += 1
        else:
            raise ImportRefused(ErrorCode.CORRUPT, detail="JSON")
        number = 0
        while True:
            skipped = _WHITESPACE.match(buffer, position)
            end_of_space = skipped.end() if skipped else position
            line += buffer.count("\n", position, end_of_space)
            position = end_of_space
            if position >= len(buffer):
                if finished:
                    yield Rejection(line, Reason.TRUNCATED)
                    return
                buffer = buffer[position:]
                position = 0
                chunk = source.text.read(CHUNK_CHARS)
                finished = not chunk
                buffer += chunk
                continue
            if buffer[position] == "]":
                return
            try:
                value, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                if not finished and len(buffer) - position < MAX_RECORD_CHARS:
                    buffer = buffer[position:]
                    position = 0
                    chunk = source.text.read(CHUNK_CHARS)
                    finished = not chunk
                    buffer += chunk
                    continue
                yield Rejection(line, Reason.TRUNCATED, raw=excerpt(buffer[position:][:300]))
                return
            number += 1
            if isinstance(value, dict):
                yield row_from_record(value, line=line, raw=excerpt(json.dumps(value)[:400]))
            elif isinstance(value, str):
                yield ParsedRow(line=line, url=value.strip(), raw=excerpt(value))
            else:
                yield Rejection(line, Reason.MALFORMED, raw=excerpt(str(value)))
            line += buffer.count("\n", position, end)
            position = end
