"""Template filters and tags available in every template (registered as builtins in settings)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from maillage.core.licences import Licence
from maillage.core.licences import licence_badge as render_licence_badge
from maillage.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """{{ article.body|markdown }}: Markdown rendered and sanitised (safe to output)."""
    return mark_safe(render_markdown(str(text) if text else ""))  # noqa: S308 - sanitised by nh3


@register.simple_tag(name="licence_badge")
def licence_badge_tag(code: str | Licence | None) -> SafeString:
    """{% licence_badge article.licence %}: the licence's short label linking to its deed."""
    return render_licence_badge(code)
