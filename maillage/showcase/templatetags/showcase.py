"""Template helpers of the showcase: facet links and figures as people read them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from maillage.showcase.charts import format_value

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context: Any, param: str, value: str = "") -> str:
    """The catalogue's address with `param` set to `value` (removed when empty), back to the
    first page; the other filters and the sort stay."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value:
        query[param] = value
    else:
        query.pop(param, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def figure(value: Decimal | None) -> str:
    return "" if value is None else format_value(value)
