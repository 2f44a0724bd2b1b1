"""Delicious and Pinboard XML (<posts><post href=… description=… tag=…/></posts>), read by a
defused expat parser fed in chunks: no entity expansion, no external entities."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax import SAXException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.parsers.records import row_from_record
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection

CHUNK_BYTES = 256 * 1024


class _PostCollector(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ParsedRow | Rejection] = []
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        if name.lower() != "post":
            return
        line = self.locator.getLineNumber() if self.locator else 0
        record = {key: attrs.getValue(key) for key in attrs.getNames()}
        raw = " ".join(f'{key}="{value}"' for key, value in record.items())[:300]
        self.rows.append(row_from_record(record, line=line, raw=raw))


class XMLReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = max(path.stat().st_size, 1)
        self._read_bytes = 0

    def fraction(self) -> float:
        return min(self._read_bytes / self.size, 1.0)

    def __iter__(self) -> Iterator[ParsedRow | Rejection]:
        collector = _PostCollector()
        parser = make_parser()
        parser.setContentHandler(collector)
        # Only parse() hands the handler a locator; feeding chunks, we give it one ourselves.
        collector.setDocumentLocator(ExpatLocator(parser))
        with self.path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                self._read_bytes += len(chunk)
                try:
                    parser.feed(chunk)
                except DefusedXmlException as error:
                    raise ImportRefused(ErrorCode.CORRUPT, detail=type(error).__name__) from error
                except SAXException as error:
                    yield from collector.rows
                    collector.rows.clear()
                    line = collector.locator.getLineNumber() if collector.locator else 0
                    yield Rejection(line, Reason.MALFORMED, detail=str(error)[:200])
                    return
                yield from collector.rows
                collector.rows.clear()
            try:
                parser.close()
            except SAXException as error:
                yield from collector.rows
                line = collector.locator.getLineNumber() if collector.locator else 0
                yield Rejection(line, Reason.TRUNCATED, detail=str(error)[:200])
                return
        yield from collector.rows
