"""Every format read back line by line: what a bookmark keeps, and what is refused and why."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from maillage.veille.imports.errors import ImportRefused
from maillage.veille.imports.mapping import (
    Field,
    TableMapping,
    TableReader,
    guess_mapping,
    read_first_rows,
)
from maillage.veille.imports.parsers.jsonfile import JSONReader
from maillage.veille.imports.parsers.netscape import NetscapeReader
from maillage.veille.imports.parsers.tables import CalamineTable, CSVTable, XLSXTable
from maillage.veille.imports.parsers.xmlfile import XMLReader
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection
from tests.veille_imports import documents

MARCH_26 = datetime(2014, 3, 26, 8, 46, 40, tzinfo=UTC)


def rows_of(items) -> list[ParsedRow]:
    return [item for item in items if isinstance(item, ParsedRow)]


def rejections_of(items) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


# --- Netscape bookmark files ---------------------------------------------------------------------

FIREFOX = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1395823600" PERSONAL_TOOLBAR_FOLDER="true">Barre personnelle</H3>
    <DL><p>
        <DT><A HREF="https://musee.example.org/?utm_source=lettre" ADD_DATE="1395823600"
            LAST_MODIFIED="1395910000" ICON="data:image/png;base64,iVBORw0KGgo="
            TAGS="musée,web">Musée &amp; web</A>
        <DD>Une note
sur deux lignes &lt;b&gt;
        <DT><H3>Réseaux sociaux</H3>
        <DL><p>
            <DT><H3>Facebook</H3>
            <DL><p>
                <DT><A HREF="https://b.example.org/" ADD_DATE="1395823600000" PRIVATE="1"
                    TOREAD="1">Millisecondes</A>
            </DL><p>
            <DT><A HREF="https://c.example.org/" ADD_DATE="1395823600000000">Microsecondes</A>
        </DL><p>
        <DT><A HREF="https://d.example.org/">Sans date</A>
    </DL><p>
    <DT><H3 UNFILED_BOOKMARKS_FOLDER="true">Autres marque-pages</H3>
    <DL><p>
        <DT><A HREF="ftp://archives.example.org/" ADD_DATE="0">FTP</A>
    </DL><p>
</DL>
"""


def test_netscape_from_a_browser(write) -> None:
    items = list(NetscapeReader(write("b.html", FIREFOX), encoding="utf-8"))
    assert rejections_of(items) == []
    first, second, third, fourth, fifth = rows_of(items)
    assert first.url == "https://musee.example.org/?utm_source=lettre"
    assert first.title == "Musée & web"
    assert first.notes == "Une note\nsur deux lignes <b>"
    assert first.tags == ["musée", "web"]
    assert first.created_at == MARCH_26
    assert first.updated_at == datetime(2014, 3, 27, 8, 46, 40, tzinfo=UTC)
    assert first.line == 9
    # Folders become tags (nested ones too); the browser's own folders do not.
    assert second.tags == ["Réseaux sociaux", "Facebook"]
    assert (second.created_at, second.private, second.to_read) == (MARCH_26, True, True)
    assert third.tags == ["Réseaux sociaux"]
    assert third.created_at == MARCH_26  # microseconds
    assert (fourth.tags, fourth.created_at, fourth.private) == ([], None, None)
    assert (fifth.url, fifth.created_at) == ("ftp://archives.example.org/", None)


def test_netscape_folders_can_stay_folders(write) -> None:
    items = rows_of(
        NetscapeReader(write("b.html", FIREFOX), encoding="utf-8", folders_as_tags=False)
    )
    assert [row.tags for row in items] == [["musée", "web"], [], [], [], []]


def test_netscape_from_bookmark_services(write) -> None:
    """Pinboard, Delicious, Diigo and Shaarli: lowercase tags, no <DT> closing, odd quoting."""
    html = documents.netscape(
        [
            '<dt><a href="https://pinboard.example/a" add_date="1395823600" private="0" '
            'toread="1" tags="veille,outils">Pinboard</a>',
            "<dd>Extended &eacute;crit en entités",
            "<DT><A HREF='https://shaarli.example/b' ADD_DATE=1395823600 PRIVATE=1 "
            'TAGS="libre,réseaux sociaux">Shaarli</A>',
            '<DT><A HREF="https://diigo.example/c" TAGS="a,b,,a">Diigo<br></A>',
        ]
    )
    pinboard, shaarli, diigo = rows_of(NetscapeReader(write("p.html", html), encoding="utf-8"))
    assert (pinboard.to_read, pinboard.private, pinboard.tags) == (
        True,
        False,
        ["veille", "outils"],
    )
    assert pinboard.notes == "Extended écrit en entités"
    assert (shaarli.url, shaarli.private, shaarli.tags) == (
        "https://shaarli.example/b",
        True,
        ["libre", "réseaux sociaux"],
    )
    assert diigo.tags == ["a", "b", "a"]  # repeated tags are merged when written


def test_truncated_netscape_keeps_what_is_whole_and_says_where_it_stops(write) -> None:
    html = documents.netscape(
        ['<DT><A HREF="https://a.example/">A</A>', '<DT><A HREF="https://b.example/">B</A>']
    )
    cut = html + '<DT><A HREF="https://c.example/" ADD_DATE="13958'
    items = list(NetscapeReader(write("cut.html", cut), encoding="utf-8"))
    assert [row.url for row in rows_of(items)] == ["https://a.example/", "https://b.example/"]
    (rejection,) = rejections_of(items)
    assert rejection.reason == Reason.TRUNCATED
    assert rejection.line == html.count("\n") + 1
    assert "https://c.example/" in rejection.raw
    # Cut in the middle of a title: the address is kept, with a remark.
    items = list(
        NetscapeReader(
            write("cut2.html", html[:-20] + '<DT><A HREF="https://d.example/">Titre cou'),
            encoding="utf-8",
        )
    )
    last = rows_of(items)[-1]
    assert (last.url, last.title) == ("https://d.example/", "Titre cou")
    assert last.remarks == [(Reason.TITLE_TRUNCATED, "")]


def test_netscape_in_cp1252_and_large_files_read_in_chunks(write) -> None:
    entries = [
        f'<DT><A HREF="https://site{number}.example/" ADD_DATE="1395823600">Musée n°{number}</A>'
        for number in range(30_000)
    ]
    path = write("big.html", documents.netscape(entries, charset="windows-1252").encode("cp1252"))
    assert path.stat().st_size > 2 * 1024 * 1024  # more than one chunk
    reader = NetscapeReader(path, encoding="cp1252")
    rows = list(reader)
    assert len(rows) == 30_000
    assert rows[-1].title == "Musée n°29999"
    assert rows[-1].line == 6 + 29_999
    assert reader.fraction() == 1.0


# --- JSON and XML -------------------------------------------------------------------------------


def test_pinboard_json(write) -> None:
    records = [
        {
            "href": "https://pinboard.example/a",
            "description": "Le titre",
            "extended": "Les notes",
            "meta": "x",
            "hash": "y",
            "time": "2014-03-26T08:46:40Z",
            "shared": "no",
            "toread": "yes",
            "tags": "veille outils",
        },
        {"href": "https://pinboard.example/b", "description": "", "shared": "yes", "tags": ""},
    ]
    first, second = rows_of(
        JSONReader(write("p.json", json.dumps(records, indent=1)), encoding="utf-8")
    )
    assert (first.url, first.title, first.notes) == (
        "https://pinboard.example/a",
        "Le titre",
        "Les notes",
    )
    assert (first.private, first.to_read, first.tags) == (True, True, ["veille", "outils"])
    assert first.created_at == MARCH_26
    assert (second.private, second.tags, second.line) == (False, [], 13)


def test_delicious_json_and_our_own_export(write) -> None:
    delicious = {
        "posts": [
            {
                "u": "https://d.example/",
                "d": "Titre",
                "n": "Note",
                "t": ["a", "b"],
                "dt": "2014-03-26T08:46:40Z",
            }
        ]
    }
    (row,) = rows_of(JSONReader(write("d.json", json.dumps(delicious)), encoding="utf-8"))
    assert (row.url, row.title, row.notes, row.tags, row.created_at) == (
        "https://d.example/",
        "Titre",
        "Note",
        ["a", "b"],
        MARCH_26,
    )
    ours = [
        {
            "url": "https://m.example/",
            "title": "T",
            "notes": "N",
            "tags": ["x"],
            "created": "2014-03-26T09:46:40+01:00",
            "visibility": "public",
            "to_read": True,
        }
    ]
    (row,) = rows_of(JSONReader(write("m.json", json.dumps(ours)), encoding="utf-8"))
    assert (row.visibility, row.to_read, row.created_at) == ("public", True, MARCH_26)


def test_truncated_and_odd_json(write) -> None:
    text = '[{"href": "https://a.example/"}, 42, "https://b.example/", {"href": "https://c.ex'
    items = list(JSONReader(write("t.json", text), encoding="utf-8"))
    assert [row.url for row in rows_of(items)] == ["https://a.example/", "https://b.example/"]
    assert [rejection.reason for rejection in rejections_of(items)] == [
        Reason.MALFORMED,
        Reason.TRUNCATED,
    ]
    with pytest.raises(ImportRefused):
        list(JSONReader(write("o.json", '{"something": 1}'), encoding="utf-8"))


def test_json_records_span_chunks(write) -> None:
    records = [
        {"href": f"https://s{number}.example/", "description": "é" * 50} for number in range(5000)
    ]
    rows = rows_of(JSONReader(write("big.json", json.dumps(records)), encoding="utf-8"))
    assert len(rows) == 5000
    assert rows[-1].url == "https://s4999.example/"


DELICIOUS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<posts user="sophie" update="2014-03-26T08:46:40Z" tag="" total="2">
  <post href="https://x.example/a" description="Titre &amp; co" extended="Notes" hash="h"
        tag="veille outils" time="2014-03-26T08:46:40Z" shared="no" toread="yes"/>
  <post href="https://x.example/b" description="B" tag="" time="2014-03-26T08:46:40Z"/>
</posts>
"""


def test_delicious_xml(write) -> None:
    first, second = rows_of(XMLReader(write("d.xml", DELICIOUS_XML)))
    assert (first.title, first.notes, first.tags) == ("Titre & co", "Notes", ["veille", "outils"])
    assert (first.private, first.to_read, first.created_at, first.line) == (True, True, MARCH_26, 3)
    assert (second.private, second.line) == (None, 5)


def test_malformed_xml_keeps_the_posts_before_the_fault(write) -> None:
    broken = DELICIOUS_XML.replace('<post href="https://x.example/b"', "<post <<")
    items = list(XMLReader(write("b.xml", broken)))
    assert [row.url for row in rows_of(items)] == ["https://x.example/a"]
    assert rejections_of(items)[0].reason == Reason.MALFORMED


def test_xml_entity_bombs_are_refused(write) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE posts [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<posts><post href="https://x.example/" description="&b;"/></posts>'
    )
    with pytest.raises(ImportRefused):
        list(XMLReader(write("bomb.xml", bomb)))


# --- Tables: CSV, XLSX, ODS ------------------------------------------------------------------


def read_table(table, sheet: str = "", **kwargs) -> list:
    rows = read_first_rows(table, sheet)
    mapping = guess_mapping(sheet, rows, epoch=table.epoch)
    return list(TableReader(table, [mapping], **kwargs)), mapping


def test_csv_with_a_bom_and_semicolons(write) -> None:
    text = (
        "\ufeffLien;Titre;Mots-clés;Commentaire\n"
        'https://a.example/;Musée;réseaux, musées;"Sur\ndeux lignes"\n'
        ";Sans lien;;\n"
    )
    table = CSVTable(write("v.csv", text.encode("utf-8")), encoding="utf-8-sig")
    assert table.delimiter == ";"
    items, mapping = read_table(table)
    assert mapping.columns == [Field.URL, Field.TITLE, Field.TAGS, Field.NOTES]
    (row,) = rows_of(items)
    assert (row.url, row.title, row.tags, row.notes, row.line) == (
        "https://a.example/",
        "Musée",
        ["réseaux", "musées"],
        "Sur\ndeux lignes",
        2,
    )
    (rejection,) = rejections_of(items)
    assert (rejection.reason, rejection.line) == (Reason.MISSING_URL, 4)


def test_csv_in_cp1252_with_tabs_and_protected_cells(write) -> None:
    text = 'URL\tTitle\tTags\nhttps://a.example/\t\'=HYPERLINK("x")\tlibre\n'
    table = CSVTable(write("v.tsv", text.encode("cp1252")), encoding="cp1252")
    assert table.delimiter == "\t"
    items, _mapping = read_table(table)
    (row,) = rows_of(items)
    assert row.title == '=HYPERLINK("x")'


def test_xlsx_with_a_title_row_merged_cells_serial_dates_and_blank_rows(write) -> None:
    data = documents.xlsx(
        {
            "Veille": [
                ["Ma veille 2014"],
                [],
                ["Date", "Titre", "Lien", "Catégorie", "Commentaire"],
                [41724, "Atelier", "https://a.example/", "Réseaux", "Le premier"],
                [],
                [datetime(2014, 3, 27, 10, 30), "Suite", "https://b.example/", None, ""],
                ["26/03/2014", "Texte", "https://c.example/", None, None],
                ["hier", "Mal daté", "https://d.example/", "Licences", None],
            ]
        },
        merges={"Veille": ["A1:E1", "D4:D7"]},
    )
    table = XLSXTable(write("veille.xlsx", data))
    items, mapping = read_table(table, "Veille")
    assert mapping.header_line == 3
    assert mapping.columns == [Field.DATE, Field.TITLE, Field.URL, Field.TAGS, Field.NOTES]
    rows = rows_of(items)
    assert [row.line for row in rows] == [4, 6, 7, 8]
    assert [row.created_at.date() for row in rows[:3]] == [
        date(2014, 3, 26),
        date(2014, 3, 27),
        date(2014, 3, 26),
    ]
    # The category merged over rows 4 to 7 applies to each of them.
    assert [row.tags for row in rows] == [["Réseaux"], ["Réseaux"], ["Réseaux"], ["Licences"]]
    assert rows[3].created_at is None
    assert rows[3].remarks == [(Reason.BAD_DATE, "hier")]


def test_xlsx_links_behind_words(write) -> None:
    data = documents.xlsx(
        {"Liens": [["Titre", "Lien"], ["Un article", "ici"], ["Un autre", "https://b.example/"]]},
        links={"Liens": {"B2": "https://a.example/article"}},
    )
    table = XLSXTable(write("liens.xlsx", data))
    items, _mapping = read_table(table, "Liens")
    assert [row.url for row in rows_of(items)] == [
        "https://a.example/article",
        "https://b.example/",
    ]


def test_ods_with_dates_and_leading_empty_rows(write) -> None:
    data = documents.ods(
        {
            "Feuille1": [
                [],
                [],
                ["Lien", "Titre", "Date", "Tags"],
                ["https://a.example/", "A", date(2014, 3, 26), "a, b"],
                [],
                ["https://b.example/", "B", 41724, "#libre #musées"],
            ],
            "Vide": [],
        }
    )
    table = CalamineTable(write("veille.ods", data))
    assert table.sheet_names() == ["Feuille1", "Vide"]
    items, mapping = read_table(table, "Feuille1")
    assert mapping.header_line == 3
    first, second = rows_of(items)
    assert (first.line, first.created_at.date(), first.tags) == (4, date(2014, 3, 26), ["a", "b"])
    assert (second.line, second.created_at.date(), second.tags) == (
        6,
        date(2014, 3, 26),
        ["#libre", "#musées"],
    )


def test_a_table_without_header_is_read_by_its_content(write) -> None:
    text = (
        "https://a.example/,Un titre assez long\nwww.b.example/page,Autre titre\nvoir plus tard,\n"
    )
    table = CSVTable(write("sans.csv", text), encoding="utf-8")
    items, mapping = read_table(table)
    assert mapping.header_line is None
    assert mapping.columns == [Field.URL, Field.TITLE]
    first, second, third = rows_of(items)
    assert (first.url, first.title) == ("https://a.example/", "Un titre assez long")
    assert second.url == "https://www.b.example/page"
    assert second.remarks == [(Reason.URL_COMPLETED, "www.b.example/page")]
    # Not an address: the import refuses it when it checks addresses (see test_import).
    assert (third.url, third.line) == ("voir plus tard", 3)


def test_sheets_as_tags(write) -> None:
    data = documents.xlsx(
        {
            "Musées": [["Lien"], ["https://a.example/"]],
            "Archives": [["Titre", "Adresse"], ["B", "https://b.example/"]],
        }
    )
    table = XLSXTable(write("deux.xlsx", data))
    mappings = [
        guess_mapping(sheet, read_first_rows(table, sheet), epoch=table.epoch)
        for sheet in table.sheet_names()
    ]
    rows = rows_of(TableReader(table, mappings, sheets_as_tags=True))
    assert [(row.url, row.tags, row.sheet) for row in rows] == [
        ("https://a.example/", ["Musées"], "Musées"),
        ("https://b.example/", ["Archives"], "Archives"),
    ]


def test_a_mapping_chosen_by_hand_is_followed(write) -> None:
    text = "Lien,Pourquoi\nhttps://a.example/,À lire pour l'atelier\n"
    table = CSVTable(write("m.csv", text), encoding="utf-8")
    mapping = TableMapping(sheet="", header_line=1, columns=[Field.URL, Field.NOTES])
    (row,) = rows_of(TableReader(table, [mapping]))
    assert row.notes == "À lire pour l'atelier"
