"""The watch's demo data: about 200 bookmarks over 2013–2014, two lists, loaded twice the same,
never fetched from the network."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maillage.core.visibility import Visibility
from maillage.veille import demo
from maillage.veille.models import Bookmark, BookmarkList, ListItem, PageFetchStatus

pytestmark = pytest.mark.django_db

# The real sites the demo points to (their home pages or well-known pages); everything else is
# on example.org.
REAL_HOSTS = {
    "a-brest.net", "abf.asso.fr", "archimag.com", "archive.org", "artsandculture.google.com",
    "bbf.enssib.fr", "bm-lyon.fr", "bnf.fr", "bpi.fr", "britishmuseum.org", "bu.univ-rennes2.fr",
    "buffer.com", "canva.com", "centrepompidou.fr", "clemi.fr", "cnil.fr", "commons.wikimedia.org",
    "creativecommons.org", "data.gouv.fr", "diigo.com", "docarennes.wordpress.com",
    "eduscol.education.fr", "enssib.fr", "europeana.eu", "facebook.com", "feedly.com",
    "flickr.com", "fr.wikipedia.org", "fr.wordpress.org", "framasoft.org",
    "francearchives.gouv.fr", "gallica.bnf.fr", "hootsuite.com", "ifla.org", "inoreader.com",
    "instagram.com", "legifrance.gouv.fr", "leschampslibres.fr", "louvre.fr", "metmuseum.org",
    "mozilla.org", "museum.toulouse.fr", "netvibes.com", "openstreetmap.org", "pearltrees.com",
    "pinboard.in", "pinterest.com", "reseau-canope.fr", "rijksmuseum.nl", "scoop.it",
    "slideshare.net", "twitter.com", "w3.org", "wikimedia.fr", "wordpress.org", "zotero.org",
    "april.org", "culture.gouv.fr",
}  # fmt: skip


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "bookmarks": Bookmark.objects.count(),
        "lists": BookmarkList.objects.count(),
        "items": ListItem.objects.count(),
        "tags": Bookmark.tags.through.objects.count(),
    }


def test_loading_twice_creates_nothing_more() -> None:
    assert "bookmarks" in load()
    first = counts()
    load()
    assert counts() == first
    assert 180 <= first["bookmarks"] <= 230
    assert first["lists"] == 2


def test_a_watch_shared_by_many_members_over_2013_and_2014() -> None:
    load()
    bookmarks = Bookmark.objects.all()
    assert bookmarks.values("owner").distinct().count() >= 15
    years = {moment.year for moment in bookmarks.values_list("created_at", flat=True)}
    assert years == {2013, 2014}
    levels = set(bookmarks.values_list("visibility", flat=True))
    assert levels == {Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE}
    assert bookmarks.filter(to_read=True).exists()
    assert bookmarks.filter(source="import").exists()
    # The same page kept by several members.
    assert bookmarks.values("url_digest").distinct().count() < bookmarks.count()
    assert Bookmark.objects.filter(tags__name="Creative Commons").count() >= 5
    assert Bookmark.objects.filter(tags__name="community management").count() >= 5


def test_no_page_is_waiting_to_be_fetched() -> None:
    load()
    assert not Bookmark.objects.exclude(fetch_status=PageFetchStatus.DONE).exists()
    assert not Bookmark.objects.filter(fetched_at=None).exists()
    assert not Bookmark.objects.filter(page_description="").exists()


def test_addresses_are_real_sites_or_example_org() -> None:
    for page in demo.PAGES:
        host = (urlsplit(page.url).hostname or "").removeprefix("www.")
        assert host in REAL_HOSTS or host.endswith(".example.org"), page.url
        assert page.url.startswith("https://")


def test_the_two_lists_in_order_and_readable_by_anyone(client: Client) -> None:
    load()
    workshop = BookmarkList.objects.get(slug=demo.WORKSHOP_LIST_SLUG)
    assert workshop.title == "Liens pour aller plus loin — atelier du 26 mars 2014"
    assert workshop.is_network_list
    community = BookmarkList.objects.get(slug=demo.COMMUNITY_LIST_SLUG)
    assert community.title == "Ressources pour community managers"
    assert not community.is_network_list
    assert {workshop.updated_at.year, community.updated_at.year} == {2014}
    for bookmark_list, entries in (
        (community, demo.COMMUNITY_LIST[5]),
        (workshop, demo.WORKSHOP_LIST[5]),
    ):
        items = list(bookmark_list.items.select_related("bookmark").order_by("position"))
        assert [item.bookmark.url for item in items] == [url for url, _note in entries]
        assert all(item.bookmark.visibility == Visibility.PUBLIC for item in items)
        response = client.get(bookmark_list.get_absolute_url(), headers={"Accept-Language": "en"})
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('class="card bookmark-card list-item"') == len(entries)
        feed = feedparser.parse(
            client.get(reverse("veille:list_feed_rss", args=[bookmark_list.slug])).content
        )
        assert not feed.bozo and len(feed.entries) == len(entries)


def test_private_demo_bookmarks_stay_out_of_the_public_feed(client: Client) -> None:
    load()
    feed = feedparser.parse(client.get(reverse("veille:feed_atom")).content)
    public_ids = set(
        Bookmark.objects.filter(visibility=Visibility.PUBLIC).values_list("pk", flat=True)
    )
    ids = {int(entry.id.rstrip("/").rsplit("/", 1)[-1]) for entry in feed.entries}
    assert ids and ids <= public_ids
