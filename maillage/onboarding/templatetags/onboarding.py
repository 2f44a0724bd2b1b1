"""Template filters of the first steps."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from maillage.core.licences import licence_for

register = template.Library()


@register.filter(name="deed_url")
def deed_url(code: str) -> str:
    """The Creative Commons deed of a licence, in the reader's language ("" for none)."""
    licence = licence_for(code)
    if licence is None:
        return ""
    return licence.deed_url_in(get_language()) or ""
