"""The member directory: filters, pagination, htmx partial, query count; institutions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.members.models import Profession
from maillage.members.selectors import DirectoryFilters, directory_for
from tests.factories import InstitutionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


@pytest.fixture
def network(db):  # type: ignore[no-untyped-def]
    library = InstitutionFactory(name="Bibliothèque des Champs Libres")
    school = InstitutionFactory(name="Lycée Chateaubriand")
    wiki, archives = TagFactory(name="Wikipédia"), TagFactory(name="Archives orales")
    return {
        "library": library,
        "school": school,
        "ana": UserFactory(
            display_name="Ana Lefebvre",
            profession=Profession.LIBRARIAN,
            institution=library,
            expertise=[wiki],
            bio="Médiation numérique et ateliers **Wikipédia**.",
        ),
        "bruno": UserFactory(
            display_name="Bruno Kerjean",
            profession=Profession.DOCUMENTALIST,
            institution=school,
            expertise=[archives],
        ),
        "chloe": UserFactory(
            display_name="Chloé Robin",
            profession=Profession.LIBRARIAN,
            institution=school,
            expertise=[wiki, archives],
        ),
        "inactive": UserFactory(
            display_name="Dormant Member", is_active=False, email_confirmed_at=None
        ),
    }


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [profile.display_name for profile in response.context["profiles"]]


def test_lists_active_members_only(client, network):
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert names(response) == ["Ana Lefebvre", "Bruno Kerjean", "Chloé Robin"]
    html = response.content.decode()
    assert "Dormant Member" not in html
    assert html.count("<h1") == 1
    assert "<title>Member directory · " in html
    assert 'role="search"' in html


def test_inactive_member_has_no_profile_page(client, network):
    response = client.get(reverse("members:profile", args=[network["inactive"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"profession": "librarian"}, ["Ana Lefebvre", "Chloé Robin"]),
        ({"profession": "documentalist"}, ["Bruno Kerjean"]),
        ({"expertise": "archives-orales"}, ["Bruno Kerjean", "Chloé Robin"]),
        ({"expertise": "archives-orales", "profession": "librarian"}, ["Chloé Robin"]),
        ({"q": "kerjean"}, ["Bruno Kerjean"]),
        ({"q": "ateliers"}, []),  # Ana's bio is for members by default
        ({"q": "wikip"}, ["Ana Lefebvre", "Chloé Robin"]),  # matches the expertise tag
        ({"q": "chateaubriand"}, ["Bruno Kerjean", "Chloé Robin"]),
        ({"profession": "not-a-profession"}, ["Ana Lefebvre", "Bruno Kerjean", "Chloé Robin"]),
        ({"expertise": "unknown-topic"}, []),
    ],
)
def test_filters(client, network, params, expected):
    assert names(client.get(DIRECTORY, params)) == expected


def test_institution_filter(client, network):
    response = client.get(DIRECTORY, {"institution": network["school"].slug})
    assert names(response) == ["Bruno Kerjean", "Chloé Robin"]


def test_members_also_search_visible_bios(client, network):
    client.force_login(network["bruno"])
    assert names(client.get(DIRECTORY, {"q": "ateliers"})) == ["Ana Lefebvre"]


def test_selector_directly(network):
    filters = DirectoryFilters(profession=Profession.LIBRARIAN, institution=network["school"])
    assert list(directory_for(None, filters)) == [network["chloe"]]


def test_htmx_gets_the_partial_and_plain_get_the_page(client, network):
    full = client.get(DIRECTORY, {"profession": "librarian"})
    partial = client.get(DIRECTORY, {"profession": "librarian"}, HTTP_HX_REQUEST="true")
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body
    assert "<form" not in body
    assert "Ana Lefebvre" in body and "Bruno Kerjean" not in body
    assert partial.templates[0].name == "members/_directory_results.html"
    assert "HX-Request" in partial["Vary"]
    assert "HX-Request" in full["Vary"]


def test_filter_form_enhances_with_htmx(client, network):
    html = client.get(DIRECTORY).content.decode()
    assert 'hx-get="/membres/"' in html
    assert 'hx-target="#directory-results"' in html
    assert 'method="get"' in html  # and still works without JavaScript
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_pagination_keeps_the_filters(client, db):
    for number in range(30):
        UserFactory(display_name=f"Member {number:02d}", profession=Profession.ARCHIVIST)
    UserFactory(display_name="Zed", profession=Profession.STUDENT)
    response = client.get(DIRECTORY, {"profession": "archivist"})
    assert len(response.context["profiles"]) == 24
    html = response.content.decode()
    assert "30 members" in html
    assert "?profession=archivist&amp;page=2" in html
    second = client.get(DIRECTORY, {"profession": "archivist", "page": 2})
    assert len(second.context["profiles"]) == 6
    assert "Page 2 of 2" in second.content.decode()
    assert "– page 2" in second.content.decode()


def count_queries(client, path, params=None):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries)


def populate(count: int) -> None:
    institutions = [InstitutionFactory() for _ in range(3)]
    tags = [TagFactory() for _ in range(3)]
    for number in range(count):
        UserFactory(
            profession=Profession.LIBRARIAN,
            institution=institutions[number % 3],
            expertise=tags[: 1 + number % 3],
        )


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_query_count_does_not_grow_with_members(client, db, logged_in):
    viewer = UserFactory(display_name="Viewer")
    if logged_in:
        client.force_login(viewer)
    populate(3)
    few = count_queries(client, DIRECTORY)
    populate(27)
    many = count_queries(client, DIRECTORY)
    assert few == many
    assert many <= 8
    assert count_queries(client, DIRECTORY, {"profession": "librarian", "q": "membre"}) <= 8


def test_institution_pages_query_count_does_not_grow(client, db):
    populate(3)
    institution = InstitutionFactory(name="Musée de Bretagne")
    UserFactory(institution=institution)
    few = (
        count_queries(client, reverse("members:institutions")),
        count_queries(client, institution.get_absolute_url()),
    )
    populate(27)
    for _ in range(20):
        UserFactory(institution=institution)
    many = (
        count_queries(client, reverse("members:institutions")),
        count_queries(client, institution.get_absolute_url()),
    )
    assert few == many


def test_institution_pages(client, network):
    listing = client.get(reverse("members:institutions")).content.decode()
    assert "Bibliothèque des Champs Libres" in listing
    assert "2 members" in listing  # the school
    page = client.get(network["school"].get_absolute_url())
    assert names(page) == ["Bruno Kerjean", "Chloé Robin"]
    assert "<title>Lycée Chateaubriand · " in page.content.decode()
    assert client.get(reverse("members:institution", args=["nowhere"])).status_code == 404


def test_institutions_with_the_same_name_get_distinct_slugs(db):
    first = InstitutionFactory(name="Médiathèque", city="Rennes")
    second = InstitutionFactory(name="Médiathèque", city="Brest")
    assert (first.slug, second.slug) == ("mediatheque", "mediatheque-2")
