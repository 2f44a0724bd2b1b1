"""The inbox on the voices' pages: a way to ask, and the latest questions answered in public."""

from __future__ import annotations

from typing import Any

from django import template

from maillage.inbox import selectors
from maillage.inbox.deadlines import settings_or_default

register = template.Library()

LATEST = 5


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("inbox/_ask_block.html", takes_context=True)
def inbox_block(context: Any, space: Any, voice: Any = None) -> dict[str, Any]:
    """ "Ask us a question" and the latest questions and answers (of the voice, on their page)."""
    return {
        "space": space,
        "voice": voice,
        "accepts": settings_or_default(space).accepts_questions,
        "latest": list(selectors.public_questions(space, voice=voice)[:LATEST]),
        "request": context.get("request"),
    }


@register.filter
def hours(value: float | None) -> str:
    """A duration in hours as people read it: « 3 h 20 », « 2 j 4 h », « — »."""
    from maillage.inbox.figures import hours_text

    return hours_text(value)


@register.filter
def quoted(text: str) -> str:
    """Each line of a plain-text email quoted with "> "."""
    return "\n".join(f"> {line}".rstrip() for line in (text or "").splitlines())
