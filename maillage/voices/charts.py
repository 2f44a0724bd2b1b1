"""Small server-side SVG bar charts: geometry computed here, drawn by voices/_bar_chart.html.

Drawn on a 320-unit-wide canvas so that the text stays readable on a phone; each chart comes
with its data table, which is what screen readers read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
LABEL_HEIGHT = 14
BAR_HEIGHT = 12
ROW_HEIGHT = 34
BAR_SPACE = 250  # the rest is kept for the value written after the bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    y: int
    width: float

    @property
    def label_y(self) -> int:
        return self.y + LABEL_HEIGHT - 3

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_HEIGHT + 2

    @property
    def value_x(self) -> float:
        return self.width + 4

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    target_x: float | None = None
    target_label: str = ""

    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    target: float | None = None,
    target_label: str = "",
    decimals: int = 0,
    suffix: str = "",
) -> BarChart:
    """Horizontal bars, one per (label, value); `target` draws a dashed line across them."""
    top = max([value for _label, value in rows] + [target or 0, 1])
    bars = []
    for index, (label, value) in enumerate(rows):
        shown = f"{value:.{decimals}f}".replace(".", ",") + suffix
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                y=index * ROW_HEIGHT,
                width=round(BAR_SPACE * value / top, 1),
            )
        )
    target_x = round(BAR_SPACE * target / top, 1) if target else None
    return BarChart(
        title=title,
        bars=bars,
        height=max(ROW_HEIGHT, len(rows) * ROW_HEIGHT),
        target_x=target_x,
        target_label=target_label,
    )
