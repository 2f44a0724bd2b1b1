"""The showcase demo: the seed's two projects and a handful more, each with evidence; loads
twice the same."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from maillage.showcase.models import Evidence, Project

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = list(
        Project.objects.order_by("slug").values_list("slug", "name", "kind", "institution__name")
    )
    rows += list(
        Evidence.objects.order_by("project__slug", "date", "kind", "metric", "title").values_list(
            "project__slug", "kind", "date", "metric", "value", "title", "status"
        )
    )
    # The objections of the first steps each project answered (the onboarding demo links them).
    rows += list(
        Project.objects.filter(objections__isnull=False)
        .order_by("slug", "objections__slug")
        .values_list("slug", "objections__slug")
    )
    return rows


def test_the_demo_loads_twice_the_same(client):
    assert "showcase" in load()
    first = snapshot()
    load()
    assert snapshot() == first

    skeletons = Project.objects.get(slug="les-squelettes-qui-parlent")
    blog = Project.objects.get(slug="le-blog-de-la-bu-rennes-2")
    assert skeletons.institution.kind == "museum" and skeletons.kind == "social_media"
    assert blog.institution.kind == "university_library" and blog.kind == "blog"
    assert Project.objects.count() >= 6
    assert len(set(Project.objects.values_list("kind", flat=True))) >= 5
    assert {objection.slug for objection in skeletons.objections.all()} >= {"j-ai-peur"}
    assert "je-n-ai-pas-le-temps" in {objection.slug for objection in blog.objections.all()}
    page = client.get(skeletons.get_absolute_url()).content.decode()
    assert 'href="/premiers-pas/freins/j-ai-peur/"' in page
    for project in Project.objects.all():
        assert project.is_demo and project.evidence.exists(), project.slug
        assert all(item.is_demo for item in project.evidence.all())
    # The dossier says the figures are invented.
    response = client.get(f"/vitrine/{skeletons.slug}/dossier/")
    assert response.status_code == 200
    assert "Demonstration data" in response.content.decode() or "démonstration" in (
        response.content.decode()
    )
