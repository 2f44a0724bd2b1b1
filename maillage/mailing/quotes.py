"""What a person wrote in an email reply, without what they quoted and their signature.

Only what is shown changes: the email itself is kept whole. Quotes interleaved with answers stay
(they are Markdown blockquotes and read well); a quote that only trails the answer goes, with
its attribution line ("Le 26 mars 2014, Léa a écrit :"), and so does everything under a
forwarded or "original message" separator, a signature ("-- ") and "Sent from my phone".
"""

from __future__ import annotations

import re

# Top-posting: everything from one of these lines on is the message answered.
_SEPARATORS = [
    re.compile(r"^-{2,}\s*(original message|message d'origine|message d’origine)\s*-{2,}", re.I),
    re.compile(r"^-{2,}\s*(message original|forwarded message|message transféré)\s*-{2,}", re.I),
    re.compile(r"^_{10,}\s*$"),
    # Outlook's header block: "De : …" then "Envoyé : …" (or From:/Sent:).
    re.compile(r"^\*?(de|from)\s?:\s?\*?\s.+\n\*?(envoyé|sent|date)\s?:", re.I | re.M),
]
# "On Wed, 26 Mar 2014 at 18:00, Léa <lea@…> wrote:" / "Le 26 mars 2014 à 18:00, Léa a écrit :"
# (mail clients may fold it onto two lines).
_ATTRIBUTION = re.compile(
    r"^(on\b.{0,200}\bwrote|le\b.{0,200}\ba écrit|am\b.{0,200}\bschrieb|el\b.{0,200}\bescribió)"
    r"\s?:?\s*$",
    re.I | re.S,
)
_SIGNATURE = re.compile(r"^-- ?$")
_SENT_FROM = re.compile(
    r"^(sent from my|envoyé de mon|envoyé depuis mon|get outlook for|obtenir outlook pour)\b",
    re.I,
)


def _cut_at_separator(lines: list[str]) -> list[str]:
    for index in range(len(lines)):
        window = "\n".join(lines[index : index + 2])
        if any(pattern.match(window) for pattern in _SEPARATORS):
            return lines[:index]
    return lines


def _cut_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line):
            lines = lines[:index]
            break
    return [line for line in lines if not _SENT_FROM.match(line.strip())]


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _drop_trailing_quote(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and (not lines[end - 1].strip() or _is_quoted(lines[end - 1])):
        end -= 1
    if end == len(lines) or not any(_is_quoted(line) for line in lines[end:]):
        return lines
    kept = lines[:end]
    # The attribution line just above the quote, on one line or folded onto two.
    for size in (1, 2):
        if len(kept) >= size and _ATTRIBUTION.match(" ".join(kept[-size:]).strip()):
            kept = kept[:-size]
            break
    return kept


def visible_text(text: str) -> str:
    """The person's own words; the whole text when nothing else would be left."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = _cut_at_separator(lines)
    kept = _cut_signature(kept)
    kept = _drop_trailing_quote(kept)
    result = "\n".join(kept).strip()
    return result or text.strip()
