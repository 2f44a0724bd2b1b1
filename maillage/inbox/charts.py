"""The figures' charts, drawn by voices' server-side SVG bar charts (voices/_bar_chart.html),
each beside its data table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from maillage.inbox.figures import Figures
from maillage.voices.charts import BarChart, bar_chart


def routing_charts(figures: Figures) -> list[BarChart]:
    """Questions routed directly to an expert against those that went through triage."""
    groups = [group for group in figures.routing if group.questions]
    return [
        bar_chart(
            _("Median first response (hours)"),
            [(group.label, group.median or 0.0) for group in groups],
            decimals=1,
            suffix=" h",
        ),
        bar_chart(
            _("Answered within the deadline (%)"),
            [(group.label, group.in_time_share or 0.0) for group in groups],
            suffix=" %",
        ),
        bar_chart(
            _("Hops per question"),
            [(group.label, group.hops_per_question or 0.0) for group in groups],
            decimals=2,
        ),
    ]


def charts_for(figures: Figures) -> dict[str, Any]:
    return {
        "routing": routing_charts(figures),
        "voices": bar_chart(
            _("Median first response per voice (hours)"),
            [(g.label, g.median or 0.0) for g in figures.by_voice if g.median is not None],
            decimals=1,
            suffix=" h",
        ),
        "months": bar_chart(
            _("Questions per month"),
            [(group.label, float(group.questions)) for group in figures.by_month],
        ),
        "channels": bar_chart(
            _("Questions by channel"),
            [(label, float(count)) for label, count in figures.by_channel],
        ),
    }
