"""Passages: the searched words marked in the original text, whatever their accents, case,
ligatures or endings; a window around the most searched words; everything escaped."""

from __future__ import annotations

import time

from maillage.core.search import analysis, snippets


def stems(*words: str) -> frozenset[str]:
    return frozenset(analysis.term_of(word) for word in words)


def test_every_form_of_a_searched_word_is_marked() -> None:
    terms = stems("oeuvre", "bibliotheque", "social", "payer")
    text = "Les Œuvres des BIBLIOTHÈQUES, réseaux sociaux ; l'œuvre sociale ; payant, payer."
    assert str(snippets.highlight(text, terms)) == (
        "Les <mark>Œuvres</mark> des <mark>BIBLIOTHÈQUES</mark>, réseaux <mark>sociaux</mark> ;"
        " l&#x27;<mark>œuvre</mark> <mark>sociale</mark> ; <mark>payant</mark>, <mark>payer</mark>."
    )


def test_words_that_only_start_alike_are_not_marked() -> None:
    terms = stems("musee")
    assert "<mark>" not in snippets.highlight("La musique et les muses", terms)


def test_decomposed_accents_are_composed_first() -> None:
    text = "Les bibliothe\u0300ques"
    assert "<mark>bibliothèques</mark>" in snippets.highlight(text, stems("bibliothèque"))


def test_the_passage_is_where_most_searched_words_are() -> None:
    text = " ".join(
        ["Un musée."] + ["autre"] * 80 + ["Le musée et sa bibliothèque."] + ["fin"] * 80
    )
    passage = str(snippets.excerpt(text, stems("musee", "bibliotheque")))
    assert passage.startswith("…") and passage.endswith("…")
    assert "<mark>musée</mark> et sa <mark>bibliothèque</mark>" in passage
    assert len(passage) < 400


def test_without_a_searched_word_the_start_is_shown() -> None:
    passage = str(snippets.excerpt("mot " * 200, stems("absent")))
    assert passage.startswith("mot mot") and passage.endswith("…") and len(passage) < 260
    assert str(snippets.excerpt("  Court\n  texte ", stems("absent"))) == "Court texte"


def test_everything_is_escaped() -> None:
    passage = str(snippets.excerpt("<b>musée</b> & <i>", stems("musee")))
    assert passage == "&lt;b&gt;<mark>musée</mark>&lt;/b&gt; &amp; &lt;i&gt;"


def test_a_long_text_costs_little() -> None:
    text = ("Une phrase sans rapport, assez longue pour compter. " * 400) + "Le musée."
    terms = stems("musee")
    started = time.process_time()
    for _ in range(20):
        passage = str(snippets.excerpt(text, terms))
    assert "<mark>musée</mark>" in passage
    assert (time.process_time() - started) / 20 < 0.005  # 20,000 characters in under 5 ms
