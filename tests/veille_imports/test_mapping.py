"""Guessing what each column holds: from its name in French or English (any case, with or
without accents), and from its cells when the name says nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from maillage.veille.imports.mapping import Field, field_for_header, guess_mapping
from maillage.veille.imports.parsers.tables import TableRow


def table(*rows: list) -> list[TableRow]:
    return [TableRow(line, list(cells)) for line, cells in enumerate(rows, start=1)]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Lien", Field.URL),
        ("LIENS", Field.URL),
        ("Adresse", Field.URL),
        ("Adresse web", Field.URL),
        ("URL", Field.URL),
        ("Link", Field.URL),
        ("href", Field.URL),
        ("Titre", Field.TITLE),
        ("Intitulé", Field.TITLE),
        ("title", Field.TITLE),
        ("Name", Field.TITLE),
        ("Mots-clés", Field.TAGS),
        ("mots clés :", Field.TAGS),
        ("MOTS-CLEFS", Field.TAGS),
        ("Tags", Field.TAGS),
        ("Étiquettes", Field.TAGS),
        ("Catégorie", Field.TAGS),
        ("Thème", Field.TAGS),
        ("Keywords", Field.TAGS),
        ("Date", Field.DATE),
        ("Date d'ajout", Field.DATE),
        ("Ajouté le", Field.DATE),
        ("created", Field.DATE),
        ("Commentaire", Field.NOTES),
        ("Commentaires", Field.NOTES),
        ("Notes", Field.NOTES),
        ("Résumé", Field.NOTES),
        ("Description", Field.NOTES),
        ("extended", Field.NOTES),
        ("Privé", Field.PRIVATE),
        ("À lire", Field.TO_READ),
        ("to_read", Field.TO_READ),
        ("Visibilité", Field.VISIBILITY),
        ("Lien vers l'article", Field.URL),
        ("Date de lecture", Field.DATE),
        ("Vu par", Field.IGNORE),
        ("", Field.IGNORE),
    ],
)
def test_header_names_in_french_and_english(header: str, field: str) -> None:
    assert field_for_header(header)[0] == field


def test_the_header_row_is_found_under_a_title_and_blank_rows() -> None:
    rows = table(
        ["Veille de Sophie — 2014", None, None],
        [None, None, None],
        ["Titre", "Lien", "Commentaire"],
        ["Atelier", "https://a.example/", "Bien"],
    )
    mapping = guess_mapping("Veille", rows)
    assert mapping.header_line == 3
    assert mapping.columns == [Field.TITLE, Field.URL, Field.NOTES]
    assert mapping.headers == ["Titre", "Lien", "Commentaire"]


def test_english_headers() -> None:
    rows = table(
        ["URL", "Title", "Notes", "Tags", "Created"],
        ["https://a.example/", "A", "n", "x", "2014-03-26"],
    )
    mapping = guess_mapping("", rows)
    assert mapping.columns == [Field.URL, Field.TITLE, Field.NOTES, Field.TAGS, Field.DATE]


def test_the_column_full_of_addresses_wins_over_a_column_named_site() -> None:
    rows = table(
        ["Site", "Page", "Résumé"],
        ["Le Monde", "https://a.example/1", "x"],
        ["Wikipédia", "https://b.example/2", "y"],
        ["Gallica", "https://c.example/3", "z"],
    )
    mapping = guess_mapping("", rows)
    assert mapping.columns == [Field.IGNORE, Field.URL, Field.NOTES]


def test_a_column_of_addresses_under_an_unknown_name() -> None:
    rows = table(
        ["Quoi", "Où", "Quand"],
        ["Atelier", "https://a.example/", datetime(2014, 3, 26)],
        ["Suite", "http://b.example/", datetime(2014, 3, 27)],
    )
    mapping = guess_mapping("", rows)
    assert mapping.header_line == 1 or mapping.header_line is None
    assert Field.URL in mapping.columns
    assert mapping.columns[1] == Field.URL
    assert mapping.columns[2] == Field.DATE


def test_no_header_at_all() -> None:
    rows = table(
        ["https://a.example/", "Un long titre d'article"],
        ["https://b.example/", "Un autre titre"],
    )
    mapping = guess_mapping("", rows)
    assert mapping.header_line is None
    assert mapping.columns == [Field.URL, Field.TITLE]


def test_two_titles_keep_one_and_the_other_becomes_notes() -> None:
    rows = table(["Titre", "Nom du site", "Lien"], ["A", "B", "https://a.example/"])
    mapping = guess_mapping("", rows)
    assert mapping.columns == [Field.TITLE, Field.NOTES, Field.URL]


def test_a_header_row_chosen_by_hand() -> None:
    rows = table(["Lien", "Titre"], ["Adresse", "Nom"], ["https://a.example/", "A"])
    assert guess_mapping("", rows).header_line == 1
    assert guess_mapping("", rows, header_line=2).headers == ["Adresse", "Nom"]
    assert guess_mapping("", rows, header_line=0).header_line is None
