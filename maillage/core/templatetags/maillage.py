"""Template filters available in every template (registered as builtins in settings)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from maillage.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """{{ article.body|markdown }}: Markdown rendered and sanitised (safe to output)."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3 just above
