"""Open data: the catalogue as JSON-LD (schema.org) and CSV, and the Atom feed of new projects
(valid for feedparser); visibility respected in each, and in the search index."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import feedparser
import pytest
from django.urls import reverse

from maillage.core import search
from tests.factories import InstitutionFactory, PlatformFactory, ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():  # type: ignore[no-untyped-def]
    museum = InstitutionFactory(
        name="Muséum de Toulouse", kind="museum", city="Toulouse", website="https://m.example/"
    )
    public = ProjectFactory(
        name="Les squelettes qui parlent",
        institution=museum,
        region="occ",
        kind="social_media",
        started_on=date(2013, 9, 1),
        url="https://squelettes.example/",
        tags=[TagFactory(name="humour")],
        audiences=["general_public", "children"],
        licence="CC-BY-4.0",
    )
    public.platforms.add(PlatformFactory(name="Facebook"))
    ProjectFactory(name='=HYPERLINK("http://evil")', summary="-2+3")
    ProjectFactory(name="Pour les membres", visibility="members")
    ProjectFactory(name="Privé", visibility="private")
    ProjectFactory(name="En attente", review_state="held", published_at=None)
    return public


def test_json_ld(client, projects):
    response = client.get(reverse("showcase:json_ld"))
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(response.content)
    assert document["@context"] == "https://schema.org"
    names = sorted(item["name"] for item in document["@graph"])
    assert names == ['=HYPERLINK("http://evil")', "Les squelettes qui parlent"]
    item = next(i for i in document["@graph"] if i["name"] == "Les squelettes qui parlent")
    assert item["@type"] == "CreativeWork"
    assert item["additionalType"] == "https://schema.org/Project"
    assert item["@id"].endswith("/vitrine/les-squelettes-qui-parlent/")
    assert item["creator"] == {
        "@type": "Organization",
        "name": "Muséum de Toulouse",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "FR",
            "addressLocality": "Toulouse",
            "addressRegion": "Occitanie",
        },
        "url": "https://m.example/",
    }
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert item["keywords"] == ["humour"] and item["isBasedOn"] == ["Facebook"]
    assert {a["audienceType"] for a in item["audience"]} == {
        "general public",
        "children and families",
    }
    assert item["dateCreated"] == "2013-09-01" and item["temporalCoverage"] == "2013-09-01/.."
    assert item["url"] == "https://squelettes.example/"


def test_json_ld_for_a_member_includes_members_only_projects(client, projects, outsider):
    client.force_login(outsider)
    document = json.loads(client.get(reverse("showcase:json_ld")).content)
    assert "Pour les membres" in {item["name"] for item in document["@graph"]}
    assert "Privé" not in {item["name"] for item in document["@graph"]}


def test_csv(client, projects):
    response = client.get(reverse("showcase:csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="projets-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == [
        '\'=HYPERLINK("http://evil")',  # never a formula in a spreadsheet
        "Les squelettes qui parlent",
    ]
    assert rows[0]["summary"] == "'-2+3"
    row = rows[1]
    assert row["institution"] == "Muséum de Toulouse" and row["region"] == "occ"
    assert row["audiences"] == "children|general_public" and row["platforms"] == "Facebook"
    assert row["started_on"] == "2013-09-01" and row["licence"] == "CC-BY-4.0"


def test_atom_feed(client, projects, outsider):
    client.force_login(outsider)  # the feed is the same for everyone: public projects only
    response = client.get(reverse("showcase:feed"))
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    assert sorted(titles) == ['=HYPERLINK("http://evil")', "Les squelettes qui parlent"]
    entry = next(e for e in parsed.entries if e.title == "Les squelettes qui parlent")
    assert entry.link.endswith("/vitrine/les-squelettes-qui-parlent/")
    assert entry.author == "Muséum de Toulouse"
    assert [tag.term for tag in entry.tags] == ["humour"]
    licences = [link.href for link in entry.links if link.rel == "license"]
    assert licences == ["https://creativecommons.org/licenses/by/4.0/"]


def test_search_finds_what_the_viewer_may_see(projects, outsider):
    from maillage.showcase.models import Project

    for project in Project.objects.all():
        search.index(project)

    def found(text: str, viewer: object) -> set[str]:
        return {hit.url for hit in search.search(viewer=viewer, text=text).hits}

    by_name = {project.name: project.get_absolute_url() for project in Project.objects.all()}
    assert found("squelettes", None) == {by_name["Les squelettes qui parlent"]}
    assert found("membres", None) == set()
    assert found("membres", outsider) == {by_name["Pour les membres"]}
    assert found("privé", outsider) == set()
    assert found("attente", outsider) == set()
    held = Project.objects.get(name="En attente")
    assert found("attente", held.proposed_by) == {by_name["En attente"]}
