"""Projects and the objections of the first steps they answered: chosen in the project form,
listed on the project page, and on each objection's page as projects that overcame it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.showcase.forms import ProjectForm
from maillage.showcase.models import Project
from tests.factories import ObjectionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def form_data(project: Project, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": project.name,
        "summary": project.summary,
        "kind": project.kind,
        "institution": str(project.institution_id),
        "status": "running",
        "budget_band": "unknown",
        "accessibility": "not_assessed",
        "licence": "CC-BY-SA-4.0",
        "visibility": "public",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_form_offers_published_objections_as_checkboxes(curator, museum):
    no_time = ObjectionFactory(title="Je n’ai pas le temps")
    ObjectionFactory(title="Proposé, pas encore lu", state="held", published_at=None)
    ObjectionFactory(title="Caché", hidden=True)
    field = ProjectForm(proposer=curator)["objections"]
    assert [choice.choice_label for choice in field] == ["Je n’ai pas le temps"]
    assert 'type="checkbox"' in str(field)
    assert no_time


def test_the_team_links_its_project_and_keeps_the_coordinators_other_links(client, curator):
    project = ProjectFactory(institution=curator.institution)
    no_time, fear = ObjectionFactory(title="Pas le temps"), ObjectionFactory(title="J’ai peur")
    hidden = ObjectionFactory(title="Caché", hidden=True)
    project.objections.add(hidden)  # a coordinator's link, out of the form's choices
    client.force_login(curator)

    page = client.get(reverse("showcase:edit", args=[project.slug])).content.decode()
    assert "Pas le temps" in page and "Caché" not in page
    response = client.post(
        reverse("showcase:edit", args=[project.slug]),
        form_data(project, objections=[str(no_time.pk), str(fear.pk)]),
    )
    assert response.status_code == 302
    assert set(project.objections.all()) == {no_time, fear, hidden}

    page = client.get(reverse("showcase:edit", args=[project.slug])).content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="objections" value="(\d+)"[^>]* checked', page
    )
    assert sorted(checked) == sorted([str(no_time.pk), str(fear.pk)])
    response = client.post(
        reverse("showcase:edit", args=[project.slug]), form_data(project, objections=[fear.pk])
    )
    assert set(project.objections.all()) == {fear, hidden}


def test_the_project_page_lists_the_objections_lifted_without_a_query_each(client):
    project = ProjectFactory(obstacles="La direction hésitait.")
    project.objections.add(
        ObjectionFactory(title="Pas le temps"),
        ObjectionFactory(title="Une proposition", state="held", published_at=None),
    )
    url = project.get_absolute_url()
    client.get(url)  # caches filled once (content types…)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "Objections lifted:" in html
    first = project.objections.get(title="Pas le temps")
    assert f'<a href="{first.get_absolute_url()}">Pas le temps</a>' in html
    assert "Une proposition" not in html

    project.objections.add(*(ObjectionFactory() for _ in range(5)))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('href="/premiers-pas/freins/') >= 6
    assert len(many) == len(few)


def test_a_project_without_obstacles_nor_objections_shows_neither(client):
    html = client.get(ProjectFactory(obstacles="").get_absolute_url()).content.decode()
    assert "Objections lifted" not in html and 'id="obstacles-title"' not in html


def test_the_objection_page_lists_the_projects_that_overcame_it(client, outsider):
    objection = ObjectionFactory(title="Pas le temps")
    shown = ProjectFactory(name="Le blog de la BU")
    members_only = ProjectFactory(name="Pour les membres", visibility="members")
    held = ProjectFactory(name="Proposé", review_state="held", published_at=None)
    objection.projects.add(shown, members_only, held)
    url = objection.get_absolute_url()

    html = client.get(url).content.decode()
    assert "Projects that overcame this objection" in html
    assert f'<a href="{shown.get_absolute_url()}">Le blog de la BU</a>' in html
    assert "Pour les membres" not in html and "Proposé" not in html

    client.force_login(outsider)
    html = client.get(url).content.decode()
    assert "Pour les membres" in html and "Proposé" not in html

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    objection.projects.add(*(ProjectFactory() for _ in range(5)))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('href="/vitrine/') >= 7
    assert len(many) == len(few)


def test_in_french():
    project = ProjectFactory(obstacles="Peu de temps.")
    objection = ObjectionFactory(title="Pas le temps")
    project.objections.add(objection)
    french = Client(headers={"Accept-Language": "fr"})
    assert "Freins levés\u00a0:" in french.get(project.get_absolute_url()).content.decode()
    assert (
        "Projets qui ont surmonté ce frein"
        in french.get(objection.get_absolute_url()).content.decode()
    )
