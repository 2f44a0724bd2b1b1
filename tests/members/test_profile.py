"""Editing one's profile: fields, visibility, expertise tags, links, avatar checks."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from maillage.core.models import Tag
from maillage.members.models import Profession
from tests.factories import InstitutionFactory, ProfileLinkFactory, TagFactory

pytestmark = pytest.mark.django_db

EDIT = reverse("members:profile_edit")


def image_file(
    name="photo.jpg", image_format="JPEG", size=(600, 400), noise=False
) -> SimpleUploadedFile:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, "orange")
    buffer = BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def form_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Camille Martin",
        "profession": Profession.ARCHIVIST,
        "profession_visibility": "public",
        "institution": "",
        "institution_visibility": "public",
        "expertise": "",
        "expertise_visibility": "public",
        "bio": "",
        "bio_visibility": "members",
        "avatar_visibility": "members",
        "links_visibility": "members",
        "email_visibility": "private",
        "links-TOTAL_FORMS": "5",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "5",
    }
    for index in range(5):
        data[f"links-{index}-title"] = ""
        data[f"links-{index}-url"] = ""
    data.update(overrides)
    return data


def test_edit_needs_login(client):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:login"))


def test_edit_page_shows_current_values_and_labels(client, member):
    member.expertise.set([TagFactory(name="Fonds anciens"), TagFactory(name="Wiki")])
    ProfileLinkFactory(user=member, title="Mon blog", url="https://blog.example.org/")
    client.force_login(member)
    response = client.get(EDIT)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Fonds anciens, Wiki"' in html
    assert 'value="https://blog.example.org/"' in html
    assert html.count('name="links-') >= 10  # five rows: no JavaScript needed to add one
    for name in (
        "display_name",
        "profession",
        "profession_visibility",
        "expertise",
        "bio",
        "avatar",
    ):
        assert f'for="id_{name}"' in html
    assert 'aria-describedby="id_expertise_helptext"' in html
    assert html.count("<h1") == 1


def test_edit_profile(client, member):
    institution = InstitutionFactory(name="Archives de Rennes")
    TagFactory(name="Paléographie")
    client.force_login(member)
    response = client.post(
        EDIT,
        form_data(
            display_name="  Camille M.  ",
            institution=str(institution.pk),
            institution_visibility="members",
            expertise="paleographie, Fonds anciens;  fonds ANCIENS, ",
            bio="I *love* old maps. <script>alert(1)</script>",
            bio_visibility="public",
            **{
                "links-0-title": "Blog",
                "links-0-url": "https://camille.example.org",
                "links-1-url": "mastodon.example/@camille",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == reverse("members:profile", args=[member.pk])
    member.refresh_from_db()
    assert member.display_name == "Camille M."
    assert member.institution == institution
    assert member.institution_visibility == "members"
    assert member.bio_visibility == "public"
    # Existing tag reused by its folded slug; duplicates merged.
    assert sorted(tag.name for tag in member.expertise.all()) == ["Fonds anciens", "Paléographie"]
    assert Tag.objects.filter(slug="paleographie").count() == 1
    assert [(link.title, link.url, link.position) for link in member.links.all()] == [
        ("Blog", "https://camille.example.org", 0),
        ("mastodon.example/@camille", "https://mastodon.example/@camille", 1),
    ]
    html = client.get(response.url).content.decode()
    assert "<em>love</em>" in html  # Markdown rendered
    assert "<script>alert(1)</script>" not in html  # and sanitised
    assert "Your profile is saved." in html


def test_links_are_replaced_and_capped(client, member):
    ProfileLinkFactory(user=member, title="Old")
    client.force_login(member)
    data = form_data(
        **{"links-TOTAL_FORMS": "6", "links-5-title": "x", "links-5-url": "https://x.org"}
    )
    for index in range(5):
        data[f"links-{index}-url"] = f"https://site{index}.example.org"
    response = client.post(EDIT, data)
    assert response.status_code == 200  # six links: refused
    assert member.links.get().title == "Old"
    data["links-TOTAL_FORMS"] = "5"
    assert client.post(EDIT, data).status_code == 302
    assert member.links.count() == 5
    assert not member.links.filter(title="Old").exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/"])
def test_links_must_be_web_addresses(client, member, url):
    client.force_login(member)
    response = client.post(EDIT, form_data(**{"links-0-title": "Bad", "links-0-url": url}))
    assert response.status_code == 200
    assert not member.links.exists()


def test_visibility_values_are_checked(client, member):
    client.force_login(member)
    response = client.post(EDIT, form_data(bio_visibility="everybody"))
    assert response.status_code == 200
    assert 'id="id_bio_visibility_error"' in response.content.decode()


def test_avatar_is_re_encoded_and_resized(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    response = client.post(EDIT, form_data(avatar=image_file(size=(1600, 1200))))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/")
    assert "photo" not in member.avatar.name  # random name, not the uploaded one
    with Image.open(member.avatar.path) as stored:
        assert max(stored.size) <= 512
        assert not stored.getexif()
    first_path = member.avatar.path

    # Replacing it deletes the old file once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            EDIT, form_data(avatar=image_file(name="new.png", image_format="PNG"))
        )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.path != first_path
    assert not os.path.exists(first_path)

    # Clearing it removes the avatar.
    response = client.post(EDIT, form_data(**{"avatar-clear": "on"}))
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.avatar


def test_avatar_rejects_a_file_that_is_not_an_image(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = client.post(EDIT, form_data(avatar=fake))
    assert response.status_code == 200
    html = response.content.decode()
    assert "not an image we can read" in html
    assert 'id="id_avatar_error"' in html
    member.refresh_from_db()
    assert not member.avatar


def test_avatar_rejects_an_svg(client, member):
    client.force_login(member)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        EDIT, form_data(avatar=SimpleUploadedFile("a.svg", svg, "image/svg+xml"))
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.avatar


def test_avatar_rejects_an_oversized_image(client, member):
    client.force_login(member)
    big = image_file(name="big.png", image_format="PNG", size=(1000, 1000), noise=True)
    assert big.size > 2 * 1024 * 1024
    response = client.post(EDIT, form_data(avatar=big))
    assert response.status_code == 200
    assert "The image is too large" in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar


def test_rejected_form_keeps_the_header_name(client, member):
    client.force_login(member)
    response = client.post(EDIT, form_data(display_name="New Name", bio_visibility="nope"))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.display_name == "Camille Martin"


def test_owner_sees_who_can_see_each_field(client, member):
    client.force_login(member)
    html = client.get(reverse("members:profile", args=[member.pk])).content.decode()
    assert "Edit my profile" in html
    assert "visible only to you" in html  # the email address, private by default
    assert "visible to everyone" in html


def test_other_members_do_not_see_the_owner_controls(client, member):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get(reverse("members:profile", args=[member.pk])).content.decode()
    assert "Edit my profile" not in html
    assert "visible only to you" not in html
