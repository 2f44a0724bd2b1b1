"""The catalogue as open data: JSON-LD (schema.org CreativeWork, marked as a Project, made by an
Organization) and CSV. Only what the viewer may see, as the catalogue shows it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from maillage.core.licences import licence_for
from maillage.showcase.models import Project


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def project_json_ld(project: Project) -> dict[str, Any]:
    institution = project.institution
    licence = licence_for(project.licence)
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "FR"}
    if institution.city:
        address["addressLocality"] = institution.city
    if project.region:
        address["addressRegion"] = project.get_region_display()
    organization: dict[str, Any] = {
        "@type": "Organization",
        "name": institution.name,
        "address": address,
    }
    if institution.website:
        organization["url"] = institution.website
    item: dict[str, Any] = {
        "@type": "CreativeWork",
        "additionalType": "https://schema.org/Project",
        "@id": _absolute(project.get_absolute_url()),
        "name": project.name,
        "description": project.summary,
        "genre": project.get_kind_display(),
        "creator": organization,
        "audience": [
            {"@type": "Audience", "audienceType": row.get_audience_display()}
            for row in project.audience_rows.all()
        ],
        "keywords": [tag.name for tag in project.tags.all()],
        "isBasedOn": [platform.name for platform in project.platforms.all()],
        "creativeWorkStatus": project.get_status_display(),
        "inLanguage": "fr",
        "mainEntityOfPage": _absolute(project.get_absolute_url()),
    }
    if project.url:
        item["url"] = project.url
    if project.started_on:
        ended = project.ended_on.isoformat() if project.ended_on else ".."
        item["dateCreated"] = project.started_on.isoformat()
        item["temporalCoverage"] = f"{project.started_on.isoformat()}/{ended}"
    if project.published_at:
        item["datePublished"] = project.published_at.isoformat()
    if licence is not None:
        item["license"] = licence.deed_url or licence.label
    item["accessibilitySummary"] = project.get_accessibility_display()
    return item


def catalogue_json_ld(projects: Iterable[Project]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@graph": [project_json_ld(project) for project in projects],
    }


CSV_COLUMNS = (
    "name",
    "url",
    "page",
    "institution",
    "institution_kind",
    "city",
    "region",
    "kind",
    "status",
    "started_on",
    "ended_on",
    "audiences",
    "platforms",
    "tags",
    "team_size",
    "budget",
    "accessibility",
    "licence",
    "summary",
)


def _row(project: Project) -> list[str]:
    return [
        project.name,
        project.url,
        _absolute(project.get_absolute_url()),
        project.institution.name,
        project.institution.kind,
        project.institution.city,
        project.region,
        project.kind,
        project.status,
        project.started_on.isoformat() if project.started_on else "",
        project.ended_on.isoformat() if project.ended_on else "",
        "|".join(row.audience for row in project.audience_rows.all()),
        "|".join(platform.name for platform in project.platforms.all()),
        "|".join(tag.name for tag in project.tags.all()),
        "" if project.team_size is None else str(project.team_size),
        project.budget_band,
        project.accessibility,
        project.licence,
        project.summary,
    ]


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def catalogue_csv(projects: Iterable[Project]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for project in projects:
        writer.writerow([_safe_cell(cell) for cell in _row(project)])
    return buffer.getvalue()
