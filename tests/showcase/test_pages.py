"""The catalogue (facets, sorting, pages, query counts), a project's page, similar projects,
visibility, and comments on a project."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.articles.comments.models import Comment
from maillage.showcase import selectors
from maillage.showcase.models import Project
from tests.factories import (
    EvidenceFactory,
    InstitutionFactory,
    PlatformFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def make_projects(count: int) -> list[Project]:
    museum = InstitutionFactory(kind="museum", city="Toulouse")
    humour, museums = TagFactory(name="humour"), TagFactory(name="musées")
    facebook = PlatformFactory(name="Facebook")
    projects = []
    for index in range(count):
        project = ProjectFactory(
            kind="social_media" if index % 2 else "blog",
            institution=museum if index % 3 == 0 else InstitutionFactory(),
            region="occ" if index % 3 == 0 else "bre",
            tags=[humour, museums] if index % 2 else [museums],
            audiences=["general_public", "children"] if index % 2 else ["students"],
        )
        project.platforms.add(facebook)
        EvidenceFactory(project=project)
        projects.append(project)
    return projects


def catalogue_queries(client, query: str = "") -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("showcase:catalogue") + query)
    assert response.status_code == 200
    return len(captured)


def test_catalogue_query_count_does_not_grow(client):
    make_projects(2)
    few = catalogue_queries(client)
    make_projects(14)
    many = catalogue_queries(client)
    assert few == many
    assert many <= 14
    assert catalogue_queries(client, "?type=blog&public=students&page=2") == many


def test_catalogue_query_count_for_a_member_does_not_grow(client):
    member = UserFactory()
    client.force_login(member)
    make_projects(2)
    few = catalogue_queries(client)
    make_projects(14)
    assert catalogue_queries(client) == few


def test_facets_count_and_filter(client):
    make_projects(6)
    response = client.get(reverse("showcase:catalogue"))
    facets = response.context["facets"]
    assert {facet.value: facet.count for facet in facets.kinds} == {"blog": 3, "social_media": 3}
    assert {f.value: f.count for f in facets.audiences} == {
        "general_public": 3,
        "children": 3,
        "students": 3,
    }
    assert {f.value: f.count for f in facets.regions} == {"occ": 2, "bre": 4}
    assert {f.value: f.count for f in facets.institution_kinds} == {"museum": 2, "media_library": 4}
    assert [f.value for f in facets.cities] == ["Rennes", "Toulouse"]
    assert {f.value: f.count for f in facets.tags} == {"musees": 6, "humour": 3}
    assert [f.label for f in facets.platforms] == ["Facebook"]

    response = client.get(reverse("showcase:catalogue") + "?type=social_media&mot-cle=humour")
    assert response.context["page"].paginator.count == 3
    response = client.get(reverse("showcase:catalogue") + "?institution=museum&region=occ")
    assert response.context["page"].paginator.count == 2
    response = client.get(reverse("showcase:catalogue") + "?ville=Toulouse&outil=facebook")
    assert response.context["page"].paginator.count == 2
    # A selected facet's link removes it, keeping the others.
    html = response.content.decode()
    assert 'href="?outil=facebook"' in html and 'aria-current="true"' in html
    # An unknown value is ignored rather than emptying the list.
    response = client.get(reverse("showcase:catalogue") + "?type=nonsense")
    assert response.context["page"].paginator.count == 6


def test_sorting_and_pages(client):
    for name in ["Bravo", "Alpha", "Charlie"]:
        ProjectFactory(name=name)
    most = ProjectFactory(name="Delta")
    EvidenceFactory.create_batch(3, project=most)
    names = lambda sort: [p.name for p in client.get(f"/vitrine/?tri={sort}").context["projects"]]  # noqa: E731
    assert names("name") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert names("evidence")[0] == "Delta"
    assert names("recent")[0] == "Delta"
    ProjectFactory.create_batch(selectors.PAGE_SIZE, name="Zulu")
    second = client.get("/vitrine/?tri=name&page=2")
    assert [p.name for p in second.context["projects"]] == ["Zulu"] * 4


def test_visibility_in_the_catalogue_and_on_pages(client, curator, museum, outsider):
    public = ProjectFactory(name="Public", institution=museum)
    members = ProjectFactory(name="Membres", visibility="members")
    private = ProjectFactory(name="Privé", visibility="private", institution=museum)
    held = ProjectFactory(
        name="En attente", review_state="held", published_at=None, institution=museum
    )
    listed = lambda: {p.name for p in client.get("/vitrine/").context["page"].object_list}  # noqa: E731

    assert listed() == {"Public"}
    for project in (members, private, held):
        assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert listed() == {"Public", "Membres"}
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(held.get_absolute_url()).status_code == 404
    client.force_login(curator)
    assert listed() == {"Public", "Membres", "Privé"}
    response = client.get("/vitrine/")
    assert [p.name for p in response.context["proposals"]] == ["En attente"]
    assert client.get(held.get_absolute_url()).status_code == 200
    assert public.get_absolute_url()


def test_project_page_shows_evidence_details_and_links(client):
    project = ProjectFactory(
        name="Les squelettes qui parlent",
        obstacles="La direction craignait le ton.",
        lessons="Laisser parler les agents.",
        url="https://museum.example/squelettes",
        accessibility="partial",
        accessibility_statement_url="https://museum.example/accessibilite",
    )
    EvidenceFactory(project=project, quote="Hilarant et instructif.", publication="Un lecteur")
    EvidenceFactory(
        project=project,
        kind="figure",
        metric="Abonnés Facebook",
        value=1240,
        period="mars 2014",
        quote="",
    )
    EvidenceFactory(project=project, status="pending", title="Pas encore accepté")
    response = client.get(project.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hilarant et instructif." in html and "Pas encore accepté" not in html
    assert "1,240" in html and "<svg" in html
    assert "La direction craignait le ton." in html and "Laisser parler les agents." in html
    assert "accessibility statement" in html
    assert response.context["charts"][0].series.metric == "Abonnés Facebook"


def test_similar_projects_are_scored_and_the_query_count_is_pinned():
    tags = [TagFactory(name="humour"), TagFactory(name="muséum")]
    project = ProjectFactory(kind="social_media", tags=tags, audiences=["general_public"])
    same_kind_and_tags = ProjectFactory(
        name="Proche", kind="social_media", tags=tags, audiences=["general_public"]
    )
    same_kind = ProjectFactory(name="Même type", kind="social_media")
    one_tag = ProjectFactory(name="Un mot-clé", kind="blog", tags=tags[:1])
    ProjectFactory(name="Rien en commun", kind="podcast")
    ProjectFactory(name="Caché", kind="social_media", visibility="private")
    loaded = selectors.project_for(None, project.slug)
    assert loaded is not None
    with CaptureQueriesContext(connection) as few:
        found = selectors.similar_projects(None, loaded)
    assert [p.name for p in found] == ["Proche", "Même type", "Un mot-clé"]
    assert (found[0].similarity, found[1].similarity, found[2].similarity) == (3 + 2 + 2, 3, 1)
    for _index in range(10):
        ProjectFactory(kind="social_media", tags=tags, audiences=["general_public", "children"])
    with CaptureQueriesContext(connection) as many:
        selectors.similar_projects(None, loaded)
    assert len(few) == len(many) <= 5
    assert same_kind_and_tags and same_kind and one_tag


def test_comments_on_a_project(client, outsider):
    project = ProjectFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("comments:post", args=["projet", project.pk]),
        {"comment-body": "Bravo, nous voudrions faire pareil."},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.target == project
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Bravo, nous voudrions faire pareil." in page
    # The comments of a private project are not for others.
    hidden = ProjectFactory(visibility="private")
    response = client.post(
        reverse("comments:post", args=["projet", hidden.pk]), {"comment-body": "Je ne devrais pas."}
    )
    assert response.status_code == 404


def test_pages_in_french(client):
    project = ProjectFactory(team_size=3)
    EvidenceFactory(project=project, kind="figure", metric="Abonnés", value=1240, quote="")
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    html = client.get("/vitrine/", **french).content.decode()
    assert "Vitrine des projets réussis" in html and "Proposer un projet" not in html
    assert "Type d’établissement" in html
    html = client.get(project.get_absolute_url(), **french).content.decode()
    assert "Chiffres clés" in html and "1\u00a0240" in html
    assert "Vous avez écrit sur ce projet\u202f?" in html
    assert "3 personnes" in html
