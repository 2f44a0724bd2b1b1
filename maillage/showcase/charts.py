"""Charts of a figure over time, drawn on the server as SVG: readable without JavaScript, in
print and in the PDF, named by <title> and described by <desc>; the page shows the same values
in a table beside it (the text alternative)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from maillage.showcase.selectors import Point, Series

WIDTH = 560
HEIGHT = 240
LEFT = 64
RIGHT = 20
TOP = 16
BOTTOM = 44
TICKS = 4
INK = "#1f2430"
SOFT = "#4a5160"
LINE = "#dcd8cf"
ACCENT = "#1d5f74"


def format_value(value: Decimal) -> str:
    """1240.00 → "1 240" in French, "1,240" in English; decimals only when there are some."""
    integral = value == value.to_integral_value()
    return formats.number_format(
        int(value) if integral else value,
        decimal_pos=None if integral else 2,
        use_l10n=True,
        force_grouping=True,
    )


def format_when(point: Point) -> str:
    """The period as the figure gives it ("mars 2014"), else its date."""
    return point.period or formats.date_format(point.when, "DATE_FORMAT")


def nice_ceiling(value: float) -> float:
    """The round number at or above `value` that the axis ends on (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _x_positions(days: list[date]) -> list[float]:
    span = WIDTH - LEFT - RIGHT
    if len(days) == 1:
        return [LEFT + span / 2]
    first, last = days[0].toordinal(), days[-1].toordinal()
    if first == last:
        step = span / (len(days) - 1)
        return [LEFT + index * step for index in range(len(days))]
    return [LEFT + span * (day.toordinal() - first) / (last - first) for day in days]


def describe(series: Series) -> str:
    """The chart in one sentence, for <desc> and for people who do not see it."""
    count = len(series.points)
    unit = f" {series.unit}" if series.unit else ""
    if count == 1:
        return _("One value: %(value)s%(unit)s (%(when)s).") % {
            "value": format_value(series.first.value),
            "unit": unit,
            "when": format_when(series.first),
        }
    return _(
        "%(count)s values, from %(first)s%(unit)s (%(first_when)s) to %(last)s%(unit)s "
        "(%(last_when)s)."
    ) % {
        "count": count,
        "first": format_value(series.first.value),
        "first_when": format_when(series.first),
        "last": format_value(series.latest.value),
        "last_when": format_when(series.latest),
        "unit": unit,
    }


def line_chart(series: Series, *, chart_id: str) -> SafeString:
    """An SVG line chart of `series` (values on the vertical axis from 0, dates across)."""
    points = series.points
    top_value = nice_ceiling(float(max(point.value for point in points)))
    plot_height = HEIGHT - TOP - BOTTOM
    xs = _x_positions([point.when for point in points])
    ys = [TOP + plot_height * (1 - float(point.value) / top_value) for point in points]
    title = series.metric + (f" ({series.unit})" if series.unit else "")
    parts = [
        f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif"'
        ' font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(series))}</desc>',
    ]
    for tick in range(TICKS + 1):
        value = top_value * tick / TICKS
        y = TOP + plot_height * (1 - tick / TICKS)
        label = format_value(Decimal(str(round(value, 2))))
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"'
            f' stroke="{LINE}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{SOFT}">'
            f"{escape(label)}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}"'
        f' y2="{TOP + plot_height}" stroke="{INK}" stroke-width="1"/>'
    )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5"'
            ' stroke-linejoin="round"/>'
        )
    for x, y, point in zip(xs, ys, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT}">'
            f"<title>{escape(format_when(point))}: {escape(format_value(point.value))}</title>"
            "</circle>"
        )
    # The first and last dates under the axis (every date when there are few).
    labelled = range(len(points)) if len(points) <= 4 else (0, len(points) - 1)
    for index in labelled:
        anchor = "middle"
        if len(points) > 1 and index == 0:
            anchor = "start"
        elif len(points) > 1 and index == len(points) - 1:
            anchor = "end"
        parts.append(
            f'<text x="{xs[index]:.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="{anchor}"'
            f' fill="{SOFT}">{escape(format_when(points[index]))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
