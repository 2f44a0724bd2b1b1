"""The dossier of a project: what a librarian brings to a director who says no — summary, key
figures and their charts, chosen quotes, press coverage, timeline, lessons and similar projects
elsewhere, in French or English, with its licence and the date it was made. A printable page,
and the same page as PDF (WeasyPrint)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from maillage.core.licences import licence_for
from maillage.showcase import charts, selectors
from maillage.showcase.models import Project

LANGUAGES = ("fr", "en")
STYLESHEET = "showcase/dossier.css"


@dataclass(frozen=True)
class Chart:
    series: selectors.Series
    svg: str
    description: str


def language_of(requested: str | None) -> str:
    """The language asked for, else the reader's, else the site's."""
    if requested in LANGUAGES:
        return str(requested)
    current = (translation.get_language() or "").split("-")[0]
    return current if current in LANGUAGES else settings.LANGUAGE_CODE


def dossier_context(*, project: Project, viewer: Any, language: str) -> dict[str, Any]:
    """Everything the dossier shows, read for `viewer` (similar projects they may see only),
    with the texts that depend on the language made in that language."""
    with translation.override(language):
        evidence = list(selectors.evidence_for(project))
        series = selectors.figure_series(evidence)
        return {
            "project": project,
            "language": language,
            "charts": [
                Chart(
                    series=one,
                    svg=charts.line_chart(one, chart_id=f"chart-{index}"),
                    description=charts.describe(one),
                )
                for index, one in enumerate(series, start=1)
            ],
            "quotes": selectors.chosen_quotes(evidence),
            "press": selectors.press_coverage(evidence),
            "timeline": selectors.timeline(evidence),
            "similar": selectors.similar_projects(viewer, project),
            "licence": licence_for(project.licence),
            "generated_at": timezone.localtime(),
            "page_url": settings.SITE_URL + project.get_absolute_url(),
            "SITE_NAME": settings.SITE_NAME,
            "has_demo_figures": project.is_demo or any(item.is_demo for item in evidence),
        }


def render_dossier_html(context: dict[str, Any]) -> str:
    """The standalone document WeasyPrint lays out (no site header, no script)."""
    with translation.override(context["language"]):
        return render_to_string("showcase/dossier_document.html", context)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    seconds: float


def render_pdf(context: dict[str, Any]) -> RenderedPdf:
    """The dossier as PDF. WeasyPrint is imported here: only this page needs it."""
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    html = render_dossier_html(context)
    stylesheet = finders.find(STYLESHEET)
    stylesheets = [CSS(filename=str(stylesheet))] if stylesheet else []
    content = HTML(string=html, base_url=settings.SITE_URL).write_pdf(stylesheets=stylesheets)
    return RenderedPdf(content=bytes(content or b""), seconds=time.perf_counter() - started)


def pdf_file_name(project: Project, language: str, when: datetime) -> str:
    return f"dossier-{project.slug}-{language}-{when:%Y-%m-%d}.pdf"
