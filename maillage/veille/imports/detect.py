"""What a file is, from its bytes rather than its name; refusals said before anything is read.

Text files get their encoding here too: a byte-order mark, else UTF-8 if every byte of the file
is valid UTF-8 (checked in one streaming pass), else Windows-1252 (what Excel writes in France),
else Latin-1, which reads any byte.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.formats import FileFormat
from maillage.veille.imports.limits import ImportLimits

HEAD_BYTES = 64 * 1024
SCAN_CHUNK = 1024 * 1024
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Bytes that Windows-1252 leaves undefined: their presence means Latin-1.
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# Members above this size are checked for their compression ratio (small ones compress wildly).
RATIO_CHECK_FLOOR = 1024 * 1024

# Signatures of files people pick by mistake: (magic bytes, offset, what to call it).
MAGIC_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "png"),
    (b"\xff\xd8\xff", 0, "jpeg"),
    (b"GIF87a", 0, "gif"),
    (b"GIF89a", 0, "gif"),
    (b"WEBP", 8, "webp"),
    (b"%PDF-", 0, "pdf"),
    (b"\x1f\x8b", 0, "gzip"),
    (b"7z\xbc\xaf\x27\x1c", 0, "archive"),
    (b"Rar!\x1a\x07", 0, "archive"),
    (b"\x7fELF", 0, "program"),
    (b"MZ", 0, "program"),
    (b"ID3", 0, "audio"),
    (b"OggS", 0, "audio"),
    (b"fLaC", 0, "audio"),
    (b"ftyp", 4, "video"),
    (b"\x1aE\xdf\xa3", 0, "video"),
    (b"SQLite format 3\x00", 0, "database"),
)

_DECLARED_CHARSET = re.compile(
    rb"""(?:charset\s*=\s*["']?|<\?xml[^>]*encoding\s*=\s*["'])([A-Za-z0-9_.:-]+)""", re.I
)
_NETSCAPE_DOCTYPE = re.compile(r"<!doctype\s+netscape-bookmark-file", re.I)
_NETSCAPE_ENTRY = re.compile(r"<dt>\s*<a\s[^>]*href\s*=", re.I)


@dataclass(frozen=True)
class Detected:
    format: str
    encoding: str = ""


def _read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def _magic_kind(head: bytes) -> str | None:
    for magic, offset, kind in MAGIC_SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if kind == "webp" and not head.startswith(b"RIFF"):
                continue
            return kind
    return None


def detect_encoding(path: Path, head: bytes | None = None) -> str:
    """The encoding to read a text file with (see the module docstring)."""
    head = _read_head(path) if head is None else head
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid_utf8 = True
    latin1_only = False
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            if valid_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid_utf8 = False
            if not latin1_only and any(byte in chunk for byte in CP1252_UNDEFINED):
                latin1_only = True
            if not valid_utf8 and latin1_only:
                break
    if valid_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    if valid_utf8:
        return "utf-8"
    declared = _DECLARED_CHARSET.search(head[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec and codec not in {"utf-8", "utf-16", "utf-32"}:
            return codec
    return "latin-1" if latin1_only else "cp1252"


def check_zip(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Refuse a zip that would expand beyond the limits, from the sizes it declares.

    Python's zipfile never returns more bytes than a member declares, so the declared sizes
    bound what reading it can cost, whatever the file claims elsewhere.
    """
    members = archive.infolist()
    if len(members) > limits.max_zip_entries:
        raise ImportRefused(ErrorCode.ZIP_BOMB, members=len(members))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_CHECK_FLOOR:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise ImportRefused(ErrorCode.ZIP_BOMB, ratio=int(ratio))
    if total > limits.max_uncompressed_bytes:
        raise ImportRefused(ErrorCode.ZIP_BOMB, size=total)


def _detect_zip(path: Path, limits: ImportLimits) -> Detected:
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, limits)
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return Detected(FileFormat.XLSX)
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    mimetype = handle.read(200).strip()
                if mimetype == ODS_MIMETYPE:
                    return Detected(FileFormat.ODS)
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise ImportRefused(ErrorCode.OFFICE_DOCUMENT)
            if "word/document.xml" in names or "ppt/presentation.xml" in names:
                raise ImportRefused(ErrorCode.OFFICE_DOCUMENT)
            if "xl/workbook.bin" in names:
                raise ImportRefused(ErrorCode.NOT_BOOKMARKS, kind="xlsb")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportRefused(ErrorCode.CORRUPT, detail=str(error)[:200]) from error
    raise ImportRefused(ErrorCode.ZIP_ARCHIVE)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    return controls > max(8, len(text) // 100)


def detect(path: Path, *, limits: ImportLimits) -> Detected:
    """The format of the file at `path` (and its encoding if it is text), or ImportRefused."""
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(ErrorCode.EMPTY_FILE)
    if size > limits.max_bytes:
        raise ImportRefused(ErrorCode.FILE_TOO_LARGE, size=size, limit=limits.max_bytes)
    head = _read_head(path)
    kind = _magic_kind(head)
    if kind:
        raise ImportRefused(ErrorCode.NOT_BOOKMARKS, kind=kind)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _detect_zip(path, limits)
    if head.startswith(OLE2_MAGIC):
        return Detected(FileFormat.XLS)
    encoding = detect_encoding(path, head)
    sample = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if _looks_binary(sample):
        raise ImportRefused(ErrorCode.BINARY)
    start = sample.lstrip()
    lowered = start[:4096].lower()
    if _NETSCAPE_DOCTYPE.search(lowered) or _NETSCAPE_ENTRY.search(sample):
        return Detected(FileFormat.NETSCAPE, encoding)
    if start.startswith("<"):
        if "<opml" in lowered:
            raise ImportRefused(ErrorCode.OPML)
        if "<posts" in lowered or "<post " in lowered:
            return Detected(FileFormat.XML, encoding)
        if "<html" in lowered or "<!doctype html" in lowered or "<dl" in lowered:
            raise ImportRefused(ErrorCode.HTML_WITHOUT_BOOKMARKS)
        raise ImportRefused(ErrorCode.UNKNOWN_XML)
    if start.startswith(("[", "{")):
        return Detected(FileFormat.JSON, encoding)
    return Detected(FileFormat.CSV, encoding)
