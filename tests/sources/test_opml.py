"""OPML: folders and categories become tags, an export imports back as it was, a bad file
imports nothing and says why, and an export holds only what its reader may see."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from maillage.members.models import User
from maillage.veille.sources import opml
from maillage.veille.sources.models import Entry, Subscription
from maillage.veille.sources.opml import OpmlError, export_opml, import_opml, parse_opml
from tests.factories import FeedFactory, SourceSubscriptionFactory, TagFactory
from tests.http_server import LocalHTTPServer
from tests.sources.conftest import RSS_HEADERS, items, rss

pytestmark = pytest.mark.django_db

Committed = Callable[[], AbstractContextManager[Any]]

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Abonnements de Camille</title></head>
  <body>
    <outline text="Bibliothèques">
      <outline text="Bretagne">
        <outline type="rss" text="Médiathèque de Rennes" xmlUrl="https://mediatheque.example.org/feed.xml"
                 htmlUrl="https://mediatheque.example.org/"/>
      </outline>
      <outline type="rss" title="Le blog des BU" text="BU" xmlurl="https://bu.example.org/rss"
               category="/Numérique,/Formation/Usagers"/>
    </outline>
    <outline type="rss" text="Sans dossier" xmlUrl="https://seul.example.org/atom.xml"/>
    <outline type="link" text="Un lien, pas un flux" url="https://lien.example.org/"/>
    <outline type="rss" text="Pas web" xmlUrl="ftp://vieux.example.org/feed"/>
  </body>
</opml>
"""


def test_nested_outlines_and_categories_become_tags() -> None:
    document = parse_opml(NESTED.encode())

    assert document.title == "Abonnements de Camille"
    assert [(feed.url, feed.title, feed.tags) for feed in document.feeds] == [
        (
            "https://mediatheque.example.org/feed.xml",
            "Médiathèque de Rennes",
            ("Bibliothèques", "Bretagne"),
        ),
        (
            "https://bu.example.org/rss",
            "Le blog des BU",
            ("Bibliothèques", "Numérique", "Formation", "Usagers"),
        ),
        ("https://seul.example.org/atom.xml", "Sans dossier", ()),
        ("ftp://vieux.example.org/feed", "Pas web", ()),
    ]
    assert document.feeds[0].site_url == "https://mediatheque.example.org/"


def test_importing_subscribes_with_tags_and_lists_refused_lines(member: User) -> None:
    result = import_opml(user=member, content=NESTED.encode())

    assert (result.added, result.already) == (3, 0)
    assert [(line.number, line.url) for line in result.refused] == [
        (4, "ftp://vieux.example.org/feed")
    ]
    subscription = Subscription.objects.get(feed__url="https://mediatheque.example.org/feed.xml")
    assert subscription.member == member
    assert subscription.feed.title == "Médiathèque de Rennes"
    assert {tag.name for tag in subscription.tags.all()} == {"Bibliothèques", "Bretagne"}

    again = import_opml(user=member, content=NESTED.encode())
    assert (again.added, again.already) == (0, 3)
    assert Subscription.objects.count() == 3


def test_an_export_imports_back_as_it_was(member: User, other: User) -> None:
    museums, web, training = (TagFactory(name=name) for name in ("musées", "web", "formation"))
    SourceSubscriptionFactory(member=member, title="Musée & Cie", tags=[museums, web, training])
    SourceSubscriptionFactory(member=member, tags=[web])
    SourceSubscriptionFactory(member=member)
    exported = export_opml(
        Subscription.objects.filter(member=member).prefetch_related("tags").select_related("feed"),
        title="Mes sources",
    )

    import_opml(user=other, content=exported)

    def described(user: User) -> set[tuple[str, str, frozenset[str]]]:
        return {
            (s.feed.url, s.display_title, frozenset(tag.name for tag in s.tags.all()))
            for s in Subscription.objects.filter(member=user)
        }

    mine = described(member)
    assert len(mine) == 3
    # Titles come back as the feeds' (a renamed one keeps the name it was exported under).
    assert {(url, frozenset(tags)) for url, _title, tags in described(other)} == {
        (url, frozenset(tags)) for url, _title, tags in mine
    }
    assert b"Mus\xc3\xa9e &amp; Cie" in exported


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ceci n'est pas du XML", "not valid OPML"),
        (b"<html><body>page</body></html>", "not OPML"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (b'<opml version="2.0"><body><outline text="vide"/></body></opml>', "lists no feed"),
        (b'<opml version="2.0"><body><outline xmlUrl="https://a.example/f"', "not valid OPML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/f"/>'
            b"</body></opml>",
            "declares XML entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/f"/>'
            b"</body></opml>",
            "declares XML entities",
        ),
    ],
)
def test_a_bad_file_imports_nothing_and_says_why(
    member: User, content: bytes, message: str
) -> None:
    with pytest.raises(OpmlError) as caught:
        import_opml(user=member, content=content)
    assert message in str(caught.value)
    assert not Subscription.objects.exists()


def test_too_many_feeds_imports_nothing(member: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opml, "MAX_OPML_FEEDS", 2)
    with pytest.raises(OpmlError, match="more than 2 feeds"):
        import_opml(user=member, content=NESTED.encode())
    assert not Subscription.objects.exists()


def test_the_import_page_shows_the_result_and_fetches_the_new_feeds(
    client: Client, member: User, http_server: LocalHTTPServer, committed: Committed
) -> None:
    http_server.route("/a.xml", body=rss("A", items(2)), headers=RSS_HEADERS)
    http_server.route("/b.xml", body=rss("B", items(1, prefix="b")), headers=RSS_HEADERS)
    document = (
        '<opml version="2.0"><body><outline text="Veille">'
        f'<outline type="rss" text="A" xmlUrl="{http_server.url("/a.xml")}"/>'
        f'<outline type="rss" text="B" xmlUrl="{http_server.url("/b.xml")}"/>'
        '</outline><outline type="rss" text="Mauvais" xmlUrl="mailto:x@example.org"/>'
        "</body></opml>"
    ).encode()
    client.force_login(member)

    with committed():
        response = client.post(
            reverse("sources:opml_import"),
            {"file": SimpleUploadedFile("abonnements.opml", document, "text/x-opml")},
        )

    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> sources added" in text
    assert "mailto:x@example.org" in text and "not a web address" in text
    assert Entry.objects.count() == 3
    assert set(Subscription.objects.values_list("tags__name", flat=True)) == {"Veille"}


def test_the_import_page_explains_a_bad_file(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.post(
        reverse("sources:opml_import"),
        {"file": SimpleUploadedFile("photo.opml", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert response.status_code == 400
    assert "not valid OPML" in response.content.decode()
    assert not Subscription.objects.exists()


def test_only_coordinators_import_for_the_network(client: Client, member: User) -> None:
    with pytest.raises(Exception, match="coordinators"):
        import_opml(user=member, content=NESTED.encode(), for_network=True)
    client.force_login(member)
    client.post(
        reverse("sources:opml_import"),
        {"file": SimpleUploadedFile("a.opml", NESTED.encode()), "for_network": "on"},
    )
    assert not Subscription.objects.filter(for_network=True).exists()


def test_exports_hold_only_what_their_reader_may_see(
    client: Client, member: User, other: User, coordinator: User
) -> None:
    SourceSubscriptionFactory(member=member, feed=FeedFactory(url="https://mine.example/f"))
    SourceSubscriptionFactory(member=other, feed=FeedFactory(url="https://private.example/f"))
    SourceSubscriptionFactory(
        member=None, for_network=True, feed=FeedFactory(url="https://network.example/f")
    )
    client.force_login(member)

    mine = client.get(reverse("sources:opml_export"))
    network = client.get(reverse("sources:opml_export_network"))

    assert mine["Content-Type"] == "text/x-opml; charset=utf-8"
    assert "attachment" in mine["Content-Disposition"]
    assert [feed.url for feed in parse_opml(mine.content).feeds] == ["https://mine.example/f"]
    assert [feed.url for feed in parse_opml(network.content).feeds] == ["https://network.example/f"]
    assert b"private.example" not in mine.content + network.content
