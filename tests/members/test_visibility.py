"""Each profile field, at each visibility level, for each kind of viewer: on the profile page,
in the directory's results and through the directory's filters."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from maillage.core.visibility import Visibility
from maillage.members.models import Profession
from tests.factories import InstitutionFactory, ProfileLinkFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

LEVELS = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]
VIEWERS = ["anonymous", "member", "owner"]
FIELDS = ["profession", "institution", "expertise", "bio", "avatar", "links", "email"]

# What each field shows when visible (and must not show otherwise).
MARKERS = {
    "profession": "rchivist",
    "institution": "Zorglub Institute",
    "expertise": "Zorglubology",
    "bio": "Zorglub bio sentence",
    "avatar": "/avatar/?v=",
    "links": "Zorglub link",
    "email": "owner.zorglub@example.org",
}


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def make_owner(field: str, level: str):  # type: ignore[no-untyped-def]
    """A member with every field filled in, `field` at `level` and every other field private."""
    visibility = {f"{name}_visibility": Visibility.PRIVATE for name in FIELDS}
    visibility[f"{field}_visibility"] = level
    owner = UserFactory(
        email="owner.zorglub@example.org",
        display_name="Owner Zorglub",
        profession=Profession.ARCHIVIST,
        institution=InstitutionFactory(name="Zorglub Institute"),
        bio="Zorglub bio sentence",
        expertise=[TagFactory(name="Zorglubology")],
        **visibility,
    )
    owner.avatar.save("face.png", ContentFile(png_bytes()), save=True)
    ProfileLinkFactory(user=owner, title="Zorglub link", url="https://zorglub.example.org/")
    return owner


def expected(level: str, viewer: str) -> bool:
    return {
        Visibility.PUBLIC: True,
        Visibility.MEMBERS: viewer in {"member", "owner"},
        Visibility.PRIVATE: viewer == "owner",
    }[level]


def as_viewer(client, viewer: str, owner):  # type: ignore[no-untyped-def]
    if viewer == "member":
        client.force_login(UserFactory(display_name="Someone Else", profession=Profession.OTHER))
    elif viewer == "owner":
        client.force_login(owner)
    return client


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("field", FIELDS)
def test_profile_page(client, field, level, viewer):
    owner = make_owner(field, level)
    html = (
        as_viewer(client, viewer, owner)
        .get(reverse("members:profile", args=[owner.pk]))
        .content.decode()
    )
    assert "Owner Zorglub" in html  # the display name is always shown
    assert (MARKERS[field] in html) is expected(level, viewer), (field, level, viewer)
    # Every other field is private: only the owner sees them.
    for other in FIELDS:
        if other != field:
            assert (MARKERS[other] in html) is (viewer == "owner"), other


CARD_FIELDS = ["profession", "institution", "expertise", "avatar"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("field", CARD_FIELDS)
def test_directory_results(client, field, level, viewer):
    owner = make_owner(field, level)
    response = as_viewer(client, viewer, owner).get(
        reverse("members:directory"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Owner Zorglub" in html
    assert (MARKERS[field] in html) is expected(level, viewer), (field, level, viewer)
    assert "Zorglub bio sentence" not in html  # cards never show the bio
    assert "owner.zorglub@example.org" not in html


def directory_filters(owner):  # type: ignore[no-untyped-def]
    return {
        "profession": {"profession": Profession.ARCHIVIST},
        "institution": {"institution": owner.institution.slug},
        "expertise": {"expertise": "zorglubology"},
        "bio": {"q": "bio sentence"},
        "institution-text": {"q": "zorglub institute"},
        "expertise-text": {"q": "zorglubolo"},
    }


FILTERS = {
    "profession": "profession",
    "institution": "institution",
    "expertise": "expertise",
    "bio": "bio",
    "institution-text": "institution",
    "expertise-text": "expertise",
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("filter_name", FILTERS)
def test_directory_filters_only_match_what_the_viewer_may_see(client, filter_name, level, viewer):
    field = FILTERS[filter_name]
    owner = make_owner(field, level)
    as_viewer(client, viewer, owner)
    params = directory_filters(owner)[filter_name]
    html = client.get(reverse("members:directory"), params, HTTP_HX_REQUEST="true").content.decode()
    found = "Owner Zorglub" in html
    assert found is expected(level, viewer), (filter_name, level, viewer)


def test_name_search_finds_anyone_active(client):
    make_owner("profession", Visibility.PRIVATE)
    html = client.get(reverse("members:directory"), {"q": "owner zorg"}).content.decode()
    assert "Owner Zorglub" in html


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
def test_expertise_choices_do_not_reveal_hidden_expertise(client, level, viewer):
    owner = make_owner("expertise", level)
    as_viewer(client, viewer, owner)
    html = client.get(reverse("members:directory")).content.decode()
    assert ('value="zorglubology"' in html) is expected(level, viewer)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
def test_institution_page_lists_only_members_who_show_it(client, level, viewer):
    owner = make_owner("institution", level)
    as_viewer(client, viewer, owner)
    html = client.get(owner.institution.get_absolute_url()).content.decode()
    assert ("Owner Zorglub" in html) is expected(level, viewer)
    listing = client.get(reverse("members:institutions")).content.decode()
    count = "1 member" if expected(level, viewer) else "0 members"
    assert count in listing


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("level", LEVELS)
def test_the_avatar_file_itself_follows_its_visibility(client, level, viewer):
    owner = make_owner("avatar", level)
    response = as_viewer(client, viewer, owner).get(reverse("members:avatar", args=[owner.pk]))
    if expected(level, viewer):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert ("private" in response["Cache-Control"]) is (level != Visibility.PUBLIC)
    else:
        assert response.status_code == 404


def test_no_open_route_serves_the_media_folder(client, settings):
    owner = make_owner("avatar", Visibility.PRIVATE)
    assert client.get(f"{settings.MEDIA_URL}{owner.avatar.name}").status_code == 404
