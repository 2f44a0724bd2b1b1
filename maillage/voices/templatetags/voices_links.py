"""{% voices_space_link institution %}: the institution's page points to its space, once the
space has something public to read."""

from __future__ import annotations

from typing import Any

from django import template

from maillage.voices import selectors

register = template.Library()


@register.inclusion_tag("voices/_institution_link.html")
def voices_space_link(institution: Any) -> dict[str, Any]:
    return {"space": selectors.public_space_of(institution)}
