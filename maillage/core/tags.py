"""Tag names and their folded slugs: "Bibliothèque" and "bibliotheque" are one tag."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

MAX_TAG_LENGTH = 60


def fold(text: str) -> str:
    """Lowercase, without accents or ligatures, for comparing words the way readers do."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tag_slug(name: str) -> str:
    """The identity of a tag: folded, words joined by hyphens, ASCII letters and digits only."""
    folded = fold(name)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:MAX_TAG_LENGTH]


def clean_tag_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lstrip("#")).strip()[:MAX_TAG_LENGTH]


def split_tag_names(raw: str | Iterable[str]) -> list[str]:
    """Split "musée, Bibliothèque;  web" (or a list) into clean names, first spelling wins."""
    parts = re.split(r"[,;\n]", raw) if isinstance(raw, str) else list(raw)
    seen: dict[str, str] = {}
    for part in parts:
        name = clean_tag_name(part)
        slug = tag_slug(name)
        if slug and slug not in seen:
            seen[slug] = name
    return list(seen.values())


def free_slug(
    instance: Any,
    text: str,
    *,
    fallback: str,
    max_length: int = 190,
    reserved: Collection[str] = (),
) -> str:
    """A slug for `instance` made from `text`, unused by other rows of its model and not one of
    the `reserved` words (paths of the app's URLs): "mediatheque", then "mediatheque-2"…"""
    base = tag_slug(text)[:max_length] or fallback
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    slug, number = base, 1
    while slug in reserved or others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
