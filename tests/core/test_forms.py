"""The links formset shared by profiles and event reports."""

from __future__ import annotations

from django.utils import translation

from maillage.core.forms import MAX_LINKS, link_formset_class


def data(*rows: tuple[str, str]) -> dict[str, str]:
    fields = {"links-TOTAL_FORMS": str(MAX_LINKS), "links-INITIAL_FORMS": "0"}
    for index, (title, url) in enumerate(rows):
        fields[f"links-{index}-title"] = title
        fields[f"links-{index}-url"] = url
    return fields


def test_untitled_links_are_named_after_their_address_and_empty_rows_dropped() -> None:
    formset = link_formset_class(title_max_length=10)(
        data(("", "https://example.org/page/"), ("Docs", "example.net")), prefix="links"
    )
    assert formset.is_valid()
    assert formset.links() == [
        ("example.or", "https://example.org/page/"),
        ("Docs", "https://example.net"),
    ]


def test_always_five_rows_and_a_title_needs_an_address_in_french() -> None:
    formset_class = link_formset_class(title_max_length=120)
    assert (
        len(formset_class(prefix="links", initial=[{"title": "A", "url": "https://a.fr"}]).forms)
        == 5
    )
    with translation.override("fr"):
        formset = formset_class(data(("Un titre", "")), prefix="links")
        assert not formset.is_valid()
        assert formset.errors[0] == {"url": ["Indiquez l’adresse de ce lien."]}
        assert formset.forms[0]["title"].label == "Titre"
        assert formset.forms[0]["url"].label == "Adresse"
