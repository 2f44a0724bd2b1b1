"""Projects: proposed through the review policy, their institution found or created, edited by
their team only, published or rejected from the moderation queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.review import ReviewRecord, ReviewState
from maillage.core.review.models import ReviewPolicy
from maillage.members.models import Institution
from maillage.showcase import services
from maillage.showcase.models import Project
from maillage.showcase.models import ReviewState as ProjectState
from maillage.showcase.services import NewInstitution, ProjectContent
from tests.factories import InstitutionFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def content(**overrides: object) -> ProjectContent:
    values: dict[str, object] = {
        "name": "Les squelettes qui parlent",
        "summary": "Les squelettes du muséum prennent la parole sur les réseaux sociaux.",
        "kind": "social_media",
        "audiences": ("general_public", "children"),
        "platform_names": "Facebook, Twitter",
        "tag_names": "muséum, humour",
    }
    values.update(overrides)
    return ProjectContent(**values)  # type: ignore[arg-type]


def test_a_trusted_member_publishes_at_once_with_a_review_record(curator, museum):
    ReviewPolicy.objects.create(first_contributions=0)
    project = services.propose_project(by=curator, content=content(institution=museum))

    assert project.review_state == ProjectState.PUBLISHED and project.published_at
    assert project.slug == "les-squelettes-qui-parlent"
    assert sorted(row.audience for row in project.audience_rows.all()) == [
        "children",
        "general_public",
    ]
    assert sorted(p.name for p in project.platforms.all()) == ["Facebook", "Twitter"]
    assert sorted(t.slug for t in project.tags.all()) == ["humour", "museum"]
    record = ReviewRecord.objects.for_content(project).get()
    assert record.kind == "project" and record.state == ReviewState.AUTO_PUBLISHED


def test_a_new_member_is_held_and_a_coordinator_publishes(museum, coordinator):
    newcomer = UserFactory(institution=museum, trust_level=0)
    project = services.propose_project(by=newcomer, content=content(institution=museum))
    assert project.review_state == ProjectState.HELD
    record = ReviewRecord.objects.for_content(project).get()
    assert record.state == ReviewState.PENDING

    record.approve(coordinator)
    project.refresh_from_db()
    assert project.review_state == ProjectState.PUBLISHED and project.published_at


def test_a_coordinator_rejects_a_held_proposal(museum, coordinator):
    newcomer = UserFactory(institution=museum, trust_level=0)
    project = services.propose_project(by=newcomer, content=content(institution=museum))
    ReviewRecord.objects.for_content(project).get().reject(coordinator, "Pas un projet.")
    project.refresh_from_db()
    assert project.review_state == ProjectState.REJECTED


def test_the_institution_is_found_by_name_or_created(curator):
    existing = InstitutionFactory(name="BU Rennes 2", city="Rennes")
    first = services.propose_project(
        by=curator, content=content(new_institution=NewInstitution(name="bu  rennes 2"))
    )
    assert first.institution == existing
    second = services.propose_project(
        by=curator,
        content=content(
            name="Autre",
            new_institution=NewInstitution(name="Archives de Brest", kind="archives", city="Brest"),
        ),
    )
    created = Institution.objects.get(name="Archives de Brest")
    assert second.institution == created and created.kind == "archives"


def test_without_an_institution_the_proposal_is_refused(curator):
    with pytest.raises(services.ProjectError):
        services.propose_project(by=curator, content=content())
    assert not Project.objects.exists()


def test_the_team_edits_and_others_may_not(curator, museum, outsider):
    project = ProjectFactory(institution=museum)
    colleague = UserFactory(institution=museum)
    services.update_project(
        project=project, by=colleague, content=content(name="Nouveau nom", institution=museum)
    )
    project.refresh_from_db()
    assert project.name == "Nouveau nom"
    with pytest.raises(services.ProjectError):
        services.update_project(project=project, by=outsider, content=content(institution=museum))


def test_propose_and_edit_pages(client, curator, museum):
    ReviewPolicy.objects.create(first_contributions=0)
    client.force_login(curator)
    response = client.get(reverse("showcase:propose"))
    assert response.status_code == 200
    assert response.context["form"].initial["institution"] == museum.pk
    data = {
        "name": "Le blog de la BU",
        "summary": "Un blog de bibliothèque universitaire.",
        "kind": "blog",
        "institution": "",
        "new_institution_name": "BU Rennes 2",
        "new_institution_kind": "university_library",
        "new_institution_city": "Rennes",
        "region": "bre",
        "url": "blog-bu.example.org",
        "started_on": "2012-09-01",
        "status": "running",
        "team_size": "4",
        "budget_band": "none",
        "accessibility": "partial",
        "audiences": ["students", "researchers"],
        "platform_names": "WordPress",
        "tag_names": "blog, bibliothèque universitaire",
        "licence": "CC-BY-SA-4.0",
        "content_licence": "CC-BY-4.0",
        "visibility": "public",
        "links-TOTAL_FORMS": "5",
        "links-INITIAL_FORMS": "0",
        "links-0-title": "Twitter",
        "links-0-url": "https://twitter.example/bu",
    }
    response = client.post(reverse("showcase:propose"), data)
    project = Project.objects.get(name="Le blog de la BU")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert (
        project.institution.name == "BU Rennes 2" and project.url == "https://blog-bu.example.org"
    )
    assert [link.title for link in project.links.all()] == ["Twitter"]

    # The proposer edits it (not a member of that institution: still its proposer).
    response = client.get(reverse("showcase:edit", args=[project.slug]))
    assert response.status_code == 200
    data.update(name="Le blog de la BU Rennes 2", institution=str(project.institution_id))
    response = client.post(reverse("showcase:edit", args=[project.slug]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Le blog de la BU Rennes 2"


def test_edit_page_is_refused_to_others(client, outsider):
    project = ProjectFactory()
    client.force_login(outsider)
    assert client.get(reverse("showcase:edit", args=[project.slug])).status_code == 403
    client.logout()
    assert client.get(reverse("showcase:edit", args=[project.slug])).status_code == 302
