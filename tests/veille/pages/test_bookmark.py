"""One bookmark: its page, adding it (form, bookmarklet, several addresses), editing, deleting,
its icon; every POST needs its CSRF token."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Tag
from maillage.veille.models import Bookmark
from maillage.veille.services import PASTE_MAX_LINES
from maillage.veille.views.bookmarks import bookmarklet_code
from tests.factories import BookmarkFactory

pytestmark = pytest.mark.django_db

ADD = reverse("veille:add")
PASTE = reverse("veille:paste")
# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["messages"]]


# --- The bookmark's page -------------------------------------------------------------------------


def test_bookmark_page_shows_everything_about_it(client, camille, yann):
    archives = Tag.objects.create(name="Archives")
    bookmark = BookmarkFactory(
        owner=camille,
        url="https://www.archives.example.fr/fonds?utm_medium=mail",
        title="Les fonds d’archives en ligne",
        notes="À lire avant l’atelier :\n\n- la partie *licences*",
        tags=[archives],
        visibility="public",
        created_at=timezone.make_aware(timezone.datetime(2014, 3, 26, 18, 0)),
        page_description="Le portail des archives municipales.",
        site_name="Archives de Rennes",
    )
    BookmarkFactory(owner=yann, url="https://www.archives.example.fr/fonds", visibility="members")

    response = client.get(bookmark.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert "<title>Les fonds d’archives en ligne · " in page
    assert 'href="https://www.archives.example.fr/fonds?utm_medium=mail"' in page
    assert "Camille Martin" in page and reverse("veille:member", args=[camille.pk]) in page
    assert "26 March 2014" in page
    assert "<em>licences</em>" in page
    assert reverse("veille:tag", args=["archives"]) in page
    assert "Archives de Rennes" in page and "Le portail des archives" in page
    # Yann's bookmark of the same page is members-only: the public is not told of it.
    assert "Also kept by" not in page
    assert response.get("X-Robots-Tag") is None

    client.force_login(yann)
    page = html(client.get(bookmark.get_absolute_url()))
    assert "Also kept by" in page and "Yann Le Goff" in page
    # Yann may keep it too (the add form, prefilled), not edit Camille's.
    assert f"{ADD}?url=" in page
    assert reverse("veille:edit", args=[bookmark.pk]) not in page
    assert client.get(reverse("veille:edit", args=[bookmark.pk])).status_code == 403
    assert client.get(reverse("veille:delete", args=[bookmark.pk])).status_code == 403


def test_owner_sees_actions_and_the_reading_state(client, camille):
    bookmark = BookmarkFactory(
        owner=camille, visibility="private", fetch_status="failed", fetch_error="HTTP 404"
    )
    client.force_login(camille)
    response = client.get(bookmark.get_absolute_url())
    page = html(response)
    assert reverse("veille:edit", args=[bookmark.pk]) in page
    assert reverse("veille:delete", args=[bookmark.pk]) in page
    assert "The page could not be read: HTTP 404" in page
    assert "Only me" in page
    assert response["X-Robots-Tag"] == "noindex"


def test_favicon_is_served_by_us_to_those_who_may_see_the_bookmark(client, camille, yann):
    bookmark = BookmarkFactory(owner=camille, visibility="members")
    bookmark.favicon.save("icone.png", ContentFile(PNG))
    icon_url = reverse("veille:favicon", args=[bookmark.pk])

    assert client.get(icon_url).status_code == 404
    client.force_login(yann)
    response = client.get(icon_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert "private" in response["Cache-Control"]
    page = html(client.get(reverse("veille:shared")))
    assert f'<img class="favicon" src="{icon_url}"' in page

    without = BookmarkFactory(owner=camille, visibility="public")
    assert client.get(reverse("veille:favicon", args=[without.pk])).status_code == 404


def test_unknown_bookmark_is_404(client):
    assert client.get(reverse("veille:bookmark", args=[999999])).status_code == 404


# --- Adding --------------------------------------------------------------------------------------


def test_add_page_needs_logging_in_and_keeps_the_bookmarklet_parameters(client):
    query = "?source=bookmarklet&url=https%3A%2F%2Fexample.org%2Fa&title=Une+page"
    response = client.get(ADD + query)
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert parse_qs(login.query)["next"] == [ADD + query]


def test_add_form_defaults(client, camille):
    client.force_login(camille)
    response = client.get(ADD)
    page = html(response)
    assert "<title>Add a bookmark · " in page
    assert re.search(r'<input type="radio" name="visibility" value="members"[^>]* checked', page)
    for field in ("url", "title", "notes", "tags", "to_read"):
        assert f'for="id_{field}"' in page, field
    assert "<script>" not in page.split("<main", 1)[1]


def test_add_a_bookmark_from_the_form(client, camille):
    client.force_login(camille)
    response = client.post(
        ADD,
        {
            "url": "https://Example.org/guide?utm_source=lettre",
            "title": "Guide du community manager",
            "notes": "Très **pratique**",
            "tags": "community management, Réseaux sociaux",
            "visibility": "public",
            "to_read": "on",
        },
        follow=True,
    )
    bookmark = Bookmark.objects.get()
    assert response.redirect_chain[-1][0] == bookmark.get_absolute_url()
    assert messages_of(response) == ["The page is kept in your bookmarks."]
    assert bookmark.owner == camille
    assert bookmark.normalised_url == "https://example.org/guide"
    assert bookmark.visibility == "public" and bookmark.to_read
    assert bookmark.source == "manual"
    assert sorted(bookmark.tags.values_list("name", flat=True)) == [
        "Réseaux sociaux",
        "community management",
    ]


def test_saving_a_page_again_says_what_was_merged(client, camille):
    client.force_login(camille)
    first = {"url": "https://example.org/a", "tags": "musées", "visibility": "members"}
    client.post(ADD, first, follow=True)  # its message is shown (and used) on the next page
    response = client.post(
        ADD,
        {
            "url": "https://example.org/a#haut",
            "tags": "musées, archives",
            "notes": "Une nouvelle note",
            "visibility": "members",
        },
        follow=True,
    )
    assert messages_of(response) == [
        "You had already kept this page: the tags archives and your new notes were added to it."
    ]
    response = client.post(
        ADD,
        {"url": "https://example.org/a", "tags": "musées", "visibility": "members"},
        follow=True,
    )
    assert messages_of(response) == [
        "You had already kept this page, with these tags and notes: nothing changed."
    ]
    response = client.post(
        ADD, {"url": "https://example.org/a", "tags": "web", "visibility": "members"}, follow=True
    )
    assert messages_of(response) == [
        "You had already kept this page: the tags web were added to it."
    ]
    assert Bookmark.objects.count() == 1


def test_add_refuses_what_is_not_a_web_address(client, camille):
    client.force_login(camille)
    for address in ("javascript:alert(1)", "ftp://example.org/", "pas une adresse"):
        response = client.post(ADD, {"url": address, "visibility": "members"})
        assert response.status_code == 200
        assert response.context["form"].errors["url"], address
    assert not Bookmark.objects.exists()


def test_bookmarklet_prefills_the_add_form_and_marks_the_source(client, camille):
    client.force_login(camille)
    response = client.get(
        ADD,
        {
            "source": "bookmarklet",
            "url": "https://musee.example.org/expo?utm_campaign=x",
            "title": "  L’exposition   en ligne ",
            "text": "Une phrase choisie\nsur deux lignes",
        },
    )
    form = response.context["form"]
    assert form["url"].value() == "https://musee.example.org/expo?utm_campaign=x"
    assert form["title"].value() == "L’exposition en ligne"
    assert form["notes"].value() == "> Une phrase choisie\n> sur deux lignes"
    assert form["source"].value() == "bookmarklet"
    assert form["visibility"].value() == "members"
    page = html(response)
    assert 'name="source" value="bookmarklet"' in page
    assert "The page you were reading" in page

    client.post(
        ADD,
        {
            "url": form["url"].value(),
            "title": form["title"].value(),
            "notes": form["notes"].value(),
            "visibility": "members",
            "source": "bookmarklet",
        },
    )
    bookmark = Bookmark.objects.get()
    assert bookmark.source == "bookmarklet"
    assert bookmark.notes == "> Une phrase choisie\n> sur deux lignes"
    # Only manual or bookmarklet can be claimed from the form.
    client.post(ADD, {"url": "https://example.org/b", "visibility": "members", "source": "import"})
    assert not Bookmark.objects.filter(normalised_url="https://example.org/b").exists()


def test_bookmarklet_help_page(client):
    response = client.get(reverse("veille:bookmarklet"))
    page = html(response)
    assert response.status_code == 200
    assert "<title>The bookmarklet · " in page
    code = bookmarklet_code("http://testserver" + ADD)
    assert code.startswith("javascript:")
    assert 'var u="http://testserver/veille/ajouter/?source=bookmarklet"' in code
    for parameter in ("&url=", "&title=", "&text="):
        assert parameter in code
    # The link and its code are on the page (escaped for HTML, decoded by the browser).
    assert 'href="javascript:(function(){' in page
    assert "e(location.href,2000)" in page
    # Our page itself runs no inline script (the CSP forbids it).
    assert "<script>" not in page and "onclick" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- Several addresses at once -------------------------------------------------------------------


def test_paste_several_addresses_gives_a_summary(client, camille):
    client.force_login(camille)
    BookmarkFactory(owner=camille, url="https://deja.example.org/")
    text = "\n".join(
        [
            "https://un.example.org/page  La première page",
            "",
            "deux.example.org/page",
            "https://deja.example.org/?utm_source=x",
            "ftp://trois.example.org/",
            "pas une adresse",
            "https://un.example.org/page#encore",
            "https://" + "a" * 2100 + ".example.org/",
        ]
    )
    response = client.post(
        PASTE, {"urls": text, "tags": "à trier", "visibility": "private", "to_read": "on"}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert [b.display_title for b in summary.added] == [
        "La première page",
        "https://deux.example.org/page",
    ]
    assert [saved.bookmark.normalised_url for saved in summary.merged] == [
        "https://deja.example.org/"
    ]
    assert summary.merged[0].added_tags == ("à trier",)
    assert [(line.line_number, line.reason) for line in summary.refused] == [
        (5, "Not a web address (http:// or https://)."),
        (6, "Not a web address (http:// or https://)."),
        (7, "Same page as line 1."),
        (8, "Longer than 2000 characters."),
    ]
    for bookmark in summary.added:
        assert bookmark.visibility == "private" and bookmark.to_read
        assert list(bookmark.tags.values_list("name", flat=True)) == ["à trier"]
    page = html(response)
    assert "Line 5:" in page and "Same page as line 1." in page
    assert "merged into a bookmark you had" in page
    assert Bookmark.objects.filter(owner=camille).count() == 3


def test_paste_caps_the_number_of_lines(client, camille):
    client.force_login(camille)
    text = "\n".join(f"https://example.org/{index}" for index in range(PASTE_MAX_LINES + 2))
    summary = client.post(PASTE, {"urls": text, "visibility": "members"}).context["summary"]
    assert len(summary.added) == PASTE_MAX_LINES
    assert [line.line_number for line in summary.refused] == [
        PASTE_MAX_LINES + 1,
        PASTE_MAX_LINES + 2,
    ]
    assert "Beyond the first 200 addresses" in summary.refused[0].reason


def test_paste_needs_logging_in(client):
    assert client.get(PASTE).status_code == 302
    assert client.post(PASTE, {"urls": "https://example.org/"}).status_code == 302
    assert not Bookmark.objects.exists()


# --- Editing and deleting ------------------------------------------------------------------------


def test_edit_a_bookmark(client, camille):
    old = Tag.objects.create(name="Ancien")
    bookmark = BookmarkFactory(
        owner=camille, url="https://example.org/a", tags=[old], page_title="Titre lu"
    )
    BookmarkFactory(owner=camille, url="https://example.org/deja")
    client.force_login(camille)
    page = html(client.get(reverse("veille:edit", args=[bookmark.pk])))
    assert 'value="Ancien"' in page
    assert "<title>Edit the bookmark – " in page

    data = {
        "url": "https://example.org/deja#x",
        "title": "Nouveau titre",
        "notes": "",
        "tags": "neuf",
        "visibility": "public",
    }
    response = client.post(reverse("veille:edit", args=[bookmark.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [
        "You have already kept this address in another bookmark."
    ]

    data["url"] = "https://example.org/b"
    response = client.post(reverse("veille:edit", args=[bookmark.pk]), data)
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.title == "Nouveau titre"
    assert bookmark.normalised_url == "https://example.org/b"
    assert bookmark.visibility == "public" and not bookmark.to_read
    assert list(bookmark.tags.values_list("name", flat=True)) == ["neuf"]
    # A new address: what was read of the old page is forgotten, the new one is to be read.
    assert bookmark.fetch_status == "pending" and bookmark.page_title == ""


def test_delete_a_bookmark(client, camille, yann):
    bookmark = BookmarkFactory(owner=camille)
    url = reverse("veille:delete", args=[bookmark.pk])
    client.force_login(yann)
    assert client.post(url).status_code == 403
    client.force_login(camille)
    assert "<title>Delete the bookmark – " in html(client.get(url))
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("veille:mine")
    assert not Bookmark.objects.exists()


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_post_needs_its_csrf_token(camille):
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(camille)
    bookmark = BookmarkFactory(owner=camille)
    posts = [
        (ADD, {"url": "https://example.org/x", "visibility": "members"}),
        (PASTE, {"urls": "https://example.org/y", "visibility": "members"}),
        (reverse("veille:edit", args=[bookmark.pk]), {"url": "https://example.org/z"}),
        (reverse("veille:delete", args=[bookmark.pk]), {}),
        (reverse("veille:mine"), {"ids": [bookmark.pk], "action": "delete", "confirm": "on"}),
        (reverse("veille:shared"), {"ids": [bookmark.pk], "action": "delete", "confirm": "on"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
    assert Bookmark.objects.count() == 1


def test_visitors_cannot_post_bulk_actions(client):
    bookmark = BookmarkFactory(visibility="public")
    response = client.post(
        reverse("veille:shared"), {"ids": [bookmark.pk], "action": "delete", "confirm": "on"}
    )
    assert response.status_code == 403
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
