"""A file is known by its bytes, not its name; what cannot be imported is refused in French."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest
from django.utils import translation

from maillage.veille.imports.detect import detect, detect_encoding
from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.formats import FileFormat
from maillage.veille.imports.limits import ImportLimits
from tests.veille_imports import documents

HTML = documents.netscape(['<DT><A HREF="https://example.org/">Exemple</A>'])


def refusal(path, limits) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        detect(path, limits=limits)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("marque-pages.html", HTML, FileFormat.NETSCAPE),
        ("export.txt", HTML, FileFormat.NETSCAPE),
        ("pinboard.json", '[{"href": "https://example.org/"}]', FileFormat.JSON),
        ("delicious.json", '{"posts": [{"u": "https://example.org/"}]}', FileFormat.JSON),
        (
            "delicious.xml",
            '<?xml version="1.0"?><posts user="x"><post href="https://example.org/"/></posts>',
            FileFormat.XML,
        ),
        ("liens.csv", "Lien;Titre\nhttps://example.org/;Exemple\n", FileFormat.CSV),
        ("sans-extension", "url,title\nhttps://example.org/,Exemple\n", FileFormat.CSV),
    ],
)
def test_text_formats_are_known_by_their_content(write, limits, name, content, expected) -> None:
    assert detect(write(name, content), limits=limits).format == expected


def test_spreadsheets_are_known_by_what_their_zip_holds(write, limits) -> None:
    workbook = write("veille.ods", documents.xlsx({"Veille": [["Lien"], ["https://a.example/"]]}))
    assert detect(workbook, limits=limits).format == FileFormat.XLSX
    calc = write("veille.xlsx", documents.ods({"Veille": [["Lien"], ["https://a.example/"]]}))
    assert detect(calc, limits=limits).format == FileFormat.ODS


def test_a_png_renamed_html_is_refused_with_a_french_sentence(write, limits) -> None:
    error = refusal(write("marque-pages.html", documents.png()), limits)
    assert error.code == ErrorCode.NOT_BOOKMARKS
    assert error.params == {"kind": "png"}
    with translation.override("fr"):
        message = str(error)
    assert "Ce fichier est une image PNG" in message
    assert "pas une liste de signets" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.4 ...", "pdf"),
        (b"\xff\xd8\xff\xe0 jpeg", "jpeg"),
        (b"GIF89a....", "gif"),
        (b"\x1f\x8b\x08\x00gzip", "gzip"),
        (b"SQLite format 3\x00....", "database"),
    ],
)
def test_other_wrong_files_say_what_they_are(write, limits, content, kind) -> None:
    error = refusal(write("liens.csv", content), limits)
    assert (error.code, error.params) == (ErrorCode.NOT_BOOKMARKS, {"kind": kind})


def test_binary_junk_empty_files_and_office_documents_are_refused(write, limits) -> None:
    assert refusal(write("a.csv", b"\x00\x01\x02" * 100), limits).code == ErrorCode.BINARY
    assert refusal(write("b.csv", b""), limits).code == ErrorCode.EMPTY_FILE
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(write("c.xlsx", docx.getvalue()), limits).code == ErrorCode.OFFICE_DOCUMENT
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("liens.txt", "https://example.org/")
    assert refusal(write("d.xlsx", plain_zip.getvalue()), limits).code == ErrorCode.ZIP_ARCHIVE
    opml = '<?xml version="1.0"?><opml version="2.0"><body><outline/></body></opml>'
    assert refusal(write("e.xml", opml), limits).code == ErrorCode.OPML
    page = "<!doctype html><html><body><p>Bonjour</p></body></html>"
    assert refusal(write("f.html", page), limits).code == ErrorCode.HTML_WITHOUT_BOOKMARKS
    damaged = documents.xlsx({"A": [["Lien"]]})[:300]
    assert refusal(write("g.xlsx", damaged), limits).code == ErrorCode.CORRUPT


def test_a_file_over_the_size_limit_is_refused_before_reading(write) -> None:
    small = ImportLimits(
        max_bytes=1000,
        max_rows=10,
        max_uncompressed_bytes=10**6,
        max_compression_ratio=100,
    )
    path = write("gros.html", HTML + " " * 2000)
    error = refusal(path, small)
    assert error.code == ErrorCode.FILE_TOO_LARGE
    with translation.override("fr"):
        assert "les imports sont limités à 1000\u00a0octets" in str(error)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(write, limits) -> None:
    bomb = documents.zip_bomb()
    assert len(bomb) < 1024 * 1024  # 64 MB of zeros in well under a megabyte
    error = refusal(write("veille.xlsx", bomb), limits)
    assert error.code == ErrorCode.ZIP_BOMB
    assert error.params["ratio"] > 100
    with translation.override("fr"):
        assert "refusé par précaution" in str(error)
    # Reasonable ratios but too much in all: refused on the total.
    modest = ImportLimits(
        max_bytes=10**8,
        max_rows=10,
        max_uncompressed_bytes=10 * 1024 * 1024,
        max_compression_ratio=10**6,
    )
    error = refusal(write("veille2.xlsx", bomb), modest)
    assert error.code == ErrorCode.ZIP_BOMB
    assert error.params["size"] == 64 * 1024 * 1024 + len("<Types/>") + len("<workbook/>")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Mots-clés;Lien\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Mots-clés;Lien\n".encode(), "utf-8-sig"),
        ("Mots-clés;Lien\n".encode("utf-16"), "utf-16"),
        ("Mots-clés;Lien;œuvre — « citation »\n".encode("cp1252"), "cp1252"),
        ("Mots-clés;Lien\n".encode("latin-1") + b"\x81", "latin-1"),
    ],
)
def test_encodings_are_found(write, content, expected) -> None:
    assert detect_encoding(write("t.csv", content)) == expected


def test_a_file_declaring_utf8_but_written_in_cp1252_is_read_as_cp1252(write, limits) -> None:
    html = documents.netscape(['<DT><A HREF="https://example.org/">Musée</A>'])
    path = write("marque-pages.html", html.encode("cp1252"))
    assert detect(path, limits=limits).encoding == "cp1252"
