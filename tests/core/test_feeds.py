"""core.feeds: parsing RSS and Atom into safe, normalised entries; conditional GET against a real
local server; autodiscovery; many feeds at once without hammering a host; entity bombs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from django.utils import translation

from maillage.core.feeds import (
    FeedRequest,
    NotAFeed,
    backoff,
    discover_feed_links,
    excerpt,
    fetch_feed,
    fetch_feeds,
    find_feeds,
    parse_feed,
)
from maillage.core.fetch import BlockedAddress, FetchFailed, TooLarge
from tests.http_server import LocalHTTPServer

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_TYPE = {"Content-Type": "application/atom+xml; charset=utf-8"}
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule">
<channel>
  <title>Le blog de la médiathèque</title>
  <link>https://mediatheque.example.org/</link>
  <description>Nouvelles &amp; ateliers</description>
  <language>fr</language>
  <creativeCommons:license>https://creativecommons.org/licenses/by-sa/4.0/</creativeCommons:license>
  <item>
    <title>Atelier &lt;em&gt;réseaux sociaux&lt;/em&gt; du 26 mars</title>
    <link>https://mediatheque.example.org/billets/atelier-26-mars</link>
    <guid isPermaLink="false">billet-42</guid>
    <dc:creator>Camille Martin</dc:creator>
    <pubDate>Wed, 26 Mar 2014 18:00:00 +0100</pubDate>
    <category>réseaux sociaux</category>
    <category>Facebook</category>
    <description>&lt;p onclick="steal()"&gt;Quinze personnes
      &lt;script&gt;alert(1)&lt;/script&gt;réunies
      &lt;a href="/compte-rendu"&gt;compte-rendu&lt;/a&gt;.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Un lien piégé</title>
    <link>javascript:alert(document.cookie)</link>
    <guid isPermaLink="false">billet-41</guid>
    <pubDate>Mon, 24 Mar 2014 09:00:00 +0100</pubDate>
    <dc:rights>Tous droits réservés</dc:rights>
    <description>Texte</description>
  </item>
  <item>
    <title>Le même billet, répété</title>
    <guid isPermaLink="false">billet-42</guid>
  </item>
  <item>
    <title>Sans identifiant</title>
    <link>/billets/sans-guid</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Archives municipales</title>
  <link href="/" rel="alternate"/>
  <rights>CC BY 4.0</rights>
  <updated>2014-03-27T10:00:00Z</updated>
  <id>tag:archives.example.org,2014:feed</id>
  <entry>
    <id>tag:archives.example.org,2014:1</id>
    <title type="html">Flickr &amp;amp; les &lt;b&gt;archives&lt;/b&gt;</title>
    <link href="/billets/flickr" rel="alternate"/>
    <link href="https://creativecommons.org/licenses/by/4.0/" rel="license"/>
    <published>2014-03-27T09:00:00+01:00</published>
    <updated>2014-03-28T09:00:00+01:00</updated>
    <author><name>Lou Le Gall</name><email>lou@archives.example.org</email></author>
    <summary type="text">Des photos &lt;anciennes&gt; en ligne.

Deuxième paragraphe.</summary>
    <content type="html" xml:lang="br">&lt;p&gt;Kenavo &lt;img src="/photo.jpg" onerror="x()"&gt;
      &lt;iframe src="https://evil.example"&gt;&lt;/iframe&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>tag:archives.example.org,2014:2</id>
    <title>Demain</title>
    <link href="https://archives.example.org/billets/futur"/>
    <updated>2999-01-01T00:00:00Z</updated>
  </entry>
</feed>
"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- Parsing --------------------------------------------------------------------------------


def test_rss_entries_are_normalised_and_safe() -> None:
    feed = parse_feed(RSS.encode(), url="https://mediatheque.example.org/feed.xml")

    assert feed.title == "Le blog de la médiathèque"
    assert feed.site_url == "https://mediatheque.example.org/"
    assert feed.description == "Nouvelles & ateliers"
    assert feed.language == "fr"
    assert feed.version == "rss20"
    assert feed.warning == ""
    # The repeated guid is one entry; newest first, undated last.
    assert [entry.guid for entry in feed.entries] == ["billet-42", "billet-41", ""]
    first = feed.entries[0]
    assert first.title == "Atelier réseaux sociaux du 26 mars"
    assert first.link == "https://mediatheque.example.org/billets/atelier-26-mars"
    assert first.author == "Camille Martin"
    assert first.published_at == datetime(2014, 3, 26, 17, 0, tzinfo=UTC)
    assert first.tags == ("réseaux sociaux", "Facebook")
    assert "script" not in first.summary and "onclick" not in first.summary
    assert "alert" not in first.summary
    assert 'href="https://mediatheque.example.org/compte-rendu"' in first.summary
    assert first.excerpt == "Quinze personnes réunies compte-rendu."
    assert first.licence_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert first.language == "fr"
    # A javascript: link is dropped, not kept as a link to click.
    trapped = feed.entries[1]
    assert trapped.link == ""
    assert trapped.rights == "Tous droits réservés"
    assert trapped.licence_declarations == (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Tous droits réservés",
    )
    # Without a guid, the (resolved) link identifies the entry.
    undated = feed.entries[2]
    assert undated.link == "https://mediatheque.example.org/billets/sans-guid"
    assert undated.key == undated.link


def test_atom_entries_resolve_links_escape_plain_text_and_sanitise_content() -> None:
    now = datetime(2014, 4, 1, tzinfo=UTC)
    feed = parse_feed(
        ATOM.encode(), url="https://archives.example.org/feed.atom", content_type="", now=now
    )

    assert feed.version == "atom10"
    assert feed.site_url == "https://archives.example.org/"
    assert feed.rights == "CC BY 4.0"
    # The entry dated in the future counts as just published: it comes first.
    future, entry = feed.entries
    assert entry.title == "Flickr & les archives"
    assert entry.link == "https://archives.example.org/billets/flickr"
    assert entry.author == "Lou Le Gall"
    assert entry.published_at == datetime(2014, 3, 27, 8, 0, tzinfo=UTC)
    assert entry.updated_at == datetime(2014, 3, 28, 8, 0, tzinfo=UTC)
    assert entry.summary == (
        "<p>Des photos &lt;anciennes&gt; en ligne.</p><p>Deuxième paragraphe.</p>"
    )
    assert "iframe" not in entry.content and "onerror" not in entry.content
    assert 'src="https://archives.example.org/photo.jpg"' in entry.content
    assert entry.language == "br"
    assert entry.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert entry.rights == "CC BY 4.0"
    # A date in the future cannot be: it is brought back to the time of reading.
    assert future.updated_at == now
    assert future.date == now


def test_entry_digests_are_stable_and_fall_back_to_title_and_date() -> None:
    document = """<rss version="2.0"><channel><title>T</title>
      <item><title>Sans lien ni guid</title><pubDate>Wed, 26 Mar 2014 18:00:00 GMT</pubDate></item>
      <item><description>Seulement un résumé</description></item>
      <item></item>
    </channel></rss>""".encode()
    first = parse_feed(document, url="https://x.example/rss")
    again = parse_feed(document, url="https://x.example/rss")

    assert [entry.digest for entry in first.entries] == [entry.digest for entry in again.entries]
    assert len(first.entries) == 2  # the empty item has nothing to identify it: skipped
    assert first.entries[0].key == "Sans lien ni guid|2014-03-26T18:00:00+00:00"
    assert first.entries[1].key.startswith("summary|")
    assert all(len(entry.digest) == 64 for entry in first.entries)


def test_a_bozo_feed_that_can_be_read_is_kept_with_a_warning() -> None:
    broken = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bricolage</title>
      <item><title>Premier & unique</title><link>https://bricolage.example/1</link></item>
      <item><title>Balise pas ferm\xc3\xa9e<link>https://bricolage.example/2</link></item>
    </channel>"""
    feed = parse_feed(broken, url="https://bricolage.example/rss")

    assert feed.is_bozo
    assert "not well-formed" in feed.warning
    assert feed.entries and feed.entries[0].link == "https://bricolage.example/1"


def test_a_declared_encoding_that_is_wrong_is_no_warning() -> None:
    document = (
        '<?xml version="1.0" encoding="us-ascii"?><rss version="2.0"><channel><title>Café</title>'
        "<item><title>Été</title><link>https://cafe.example/1</link></item></channel></rss>"
    ).encode()
    feed = parse_feed(document, url="https://cafe.example/rss")

    assert feed.warning == ""
    assert feed.entries[0].title == "Été"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (
            b"<!doctype html><html><head><title>Accueil</title></head><body>Bonjour</body></html>",
            "",
        ),
        (b"<p>Une page</p>", "text/html; charset=utf-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "image/png"),
        (b"ceci n'est pas un flux", "text/plain"),
        (b"", "application/rss+xml"),
    ],
)
def test_what_is_not_a_feed_is_refused(content: bytes, content_type: str) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(content, url="https://example.org/x", content_type=content_type)


def test_excerpt_cuts_on_a_word() -> None:
    text = "<p>" + "mot " * 200 + "</p>"
    result = excerpt(text, 30)
    assert result.endswith("…") and len(result) <= 31 and "mo…" not in result


# --- Entity bombs and external entities -----------------------------------------------------


def _billion_laughs() -> bytes:
    declarations = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        declarations.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(declarations) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>Survivant</title><link>https://bomb.example/1</link></item>"
        "</channel></rss>"
    ).encode()


def _quadratic_blowup() -> bytes:
    # One 50 kB entity used 20,000 times: 1 GB once expanded, from a 150 kB document.
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "a" * 50_000 + '">]>'
        '<rss version="2.0"><channel><title>Quadratique</title><item><title>'
        + "&a;" * 20_000
        + "</title><link>https://bomb.example/q</link></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("document", [_billion_laughs(), _quadratic_blowup()])
def test_entity_bombs_are_harmless(document: bytes) -> None:
    started = time.perf_counter()
    feed = parse_feed(document, url="https://bomb.example/rss")
    elapsed = time.perf_counter() - started

    assert elapsed < 2
    assert len(feed.title) < 1000
    assert all(len(entry.title) < 1000 for entry in feed.entries)
    assert "lollol" not in feed.title and "aaaa" not in "".join(e.title for e in feed.entries)


def test_entity_bombs_in_utf16_are_harmless_too() -> None:
    document = _billion_laughs().decode().replace('<?xml version="1.0"?>', "")
    encoded = "\ufeff".encode("utf-16-le") + (
        '<?xml version="1.0" encoding="utf-16"?>' + document
    ).encode("utf-16-le")
    started = time.perf_counter()
    feed = parse_feed(encoded, url="https://bomb.example/rss")

    assert time.perf_counter() - started < 2
    assert "lollol" not in feed.title
    assert feed.entries[0].title == "Survivant"


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mot-de-passe-tres-secret")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>Fuite &xxe;</title>'
        "<item><title>&xxe;</title><link>https://xxe.example/1</link>"
        "<description>&xxe;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(document, url="https://xxe.example/rss")

    everything = feed.title + "".join(e.title + e.summary + e.content for e in feed.entries)
    assert "secret" not in everything


# --- Fetching: conditional GET through core.fetch -------------------------------------------


def test_fetch_feed_uses_the_etag_and_gets_304(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=RSS.encode(), headers=RSS_TYPE, etag='"v1"')

    first = fetch_feed(http_server.url("/feed.xml"))
    assert first.feed is not None and first.etag == '"v1"' and not first.not_modified
    assert first.size == len(RSS.encode())

    second = fetch_feed(http_server.url("/feed.xml"), etag=first.etag)
    assert second.not_modified and second.feed is None
    assert http_server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert "application/rss+xml" in http_server.requests[-1].headers["Accept"]


def test_fetch_feed_uses_last_modified_and_gets_304(http_server: LocalHTTPServer) -> None:
    stamp = "Wed, 26 Mar 2014 18:00:00 GMT"
    http_server.route("/atom", body=ATOM.encode(), headers=ATOM_TYPE, last_modified=stamp)

    first = fetch_feed(http_server.url("/atom"))
    assert first.last_modified == stamp and first.etag is None

    second = fetch_feed(http_server.url("/atom"), last_modified=stamp)
    assert second.not_modified
    assert second.last_modified == stamp
    assert http_server.requests[-1].headers["If-Modified-Since"] == stamp


def test_the_same_bytes_again_are_not_parsed_again(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=RSS.encode(), headers=RSS_TYPE)
    first = fetch_feed(http_server.url("/feed.xml"))

    second = fetch_feed(http_server.url("/feed.xml"), known_digest=first.content_digest)
    assert second.unchanged and second.feed is None
    assert second.content_digest == first.content_digest


def test_a_huge_feed_is_cut_off(http_server: LocalHTTPServer, settings: object) -> None:
    http_server.route("/huge.xml", headers=RSS_TYPE, stream_bytes=3 * 1024 * 1024)
    with pytest.raises(TooLarge):
        fetch_feed(http_server.url("/huge.xml"))
    with pytest.raises(TooLarge):
        fetch_feed(http_server.url("/huge.xml"), max_bytes=1024)


def test_a_feed_on_a_private_address_is_refused_before_any_request(
    http_server: LocalHTTPServer, settings: object
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = False  # type: ignore[attr-defined]
    http_server.route("/feed.xml", body=RSS.encode(), headers=RSS_TYPE)

    with pytest.raises(BlockedAddress):
        fetch_feed(http_server.url("/feed.xml"))
    with pytest.raises(BlockedAddress):
        find_feeds(http_server.url("/"))
    assert http_server.requests == []


def test_a_redirect_to_a_private_address_is_refused(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/feed.xml", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddress):
        fetch_feed(http_server.url("/feed.xml"))


def test_a_server_error_is_a_fetch_error(http_server: LocalHTTPServer) -> None:
    http_server.route("/gone.xml", status=410, body=b"gone")
    with pytest.raises(FetchFailed) as caught:
        fetch_feed(http_server.url("/gone.xml"))
    assert "410" in caught.value.message


# --- Autodiscovery --------------------------------------------------------------------------


SITE = """<!doctype html><html lang="fr"><head><title>Médiathèque &amp; Cie</title>
<link rel="alternate" type="application/rss+xml" title="Billets" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="Commentaires" href="comments.atom">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="text/html" hreflang="en" href="/en/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Bienvenue</p></body></html>"""


def test_discover_feed_links_reads_link_tags() -> None:
    found = discover_feed_links(SITE, base_url="https://mediatheque.example.org/blog/")
    assert [(feed.url, feed.title) for feed in found] == [
        ("https://mediatheque.example.org/feed.xml", "Billets"),
        ("https://mediatheque.example.org/blog/comments.atom", "Commentaires"),
    ]


def test_discover_feed_links_honours_the_base_element() -> None:
    page = (
        '<html><head><base href="https://cdn.example.org/site/">'
        '<link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    )
    found = discover_feed_links(page, base_url="https://example.org/")
    assert [feed.url for feed in found] == ["https://cdn.example.org/site/atom.xml"]


def test_find_feeds_from_a_feed_address(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=RSS.encode(), headers=RSS_TYPE)
    search = find_feeds(http_server.url("/feed.xml"))

    assert search.is_feed
    assert [(feed.url, feed.title) for feed in search.feeds] == [
        (http_server.url("/feed.xml"), "Le blog de la médiathèque")
    ]
    assert search.feed is not None and len(search.feed.entries) == 3


def test_find_feeds_from_a_site_that_announces_several(http_server: LocalHTTPServer) -> None:
    http_server.route("/", body=SITE.encode(), headers=HTML_TYPE)
    search = find_feeds(http_server.url("/"))

    assert not search.is_feed
    assert search.page_title == "Médiathèque & Cie"
    assert [feed.url for feed in search.feeds] == [
        http_server.url("/feed.xml"),
        http_server.url("/comments.atom"),
    ]


def test_find_feeds_tries_the_usual_places(http_server: LocalHTTPServer) -> None:
    http_server.route("/", body=b"<html><head><title>Blog</title></head></html>", headers=HTML_TYPE)
    http_server.route("/atom.xml", body=ATOM.encode(), headers=ATOM_TYPE)
    search = find_feeds(http_server.url("/"))

    assert [(feed.url, feed.title) for feed in search.feeds] == [
        (http_server.url("/atom.xml"), "Archives municipales")
    ]
    assert http_server.paths() == ["/", "/feed/", "/rss.xml", "/atom.xml"]


def test_find_feeds_on_a_site_without_any(http_server: LocalHTTPServer) -> None:
    http_server.route("/", body=b"<html><head><title>Rien</title></head></html>", headers=HTML_TYPE)
    assert find_feeds(http_server.url("/")).feeds == []


def test_find_feeds_on_an_image(http_server: LocalHTTPServer) -> None:
    http_server.route(
        "/logo.png", body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, headers={"Content-Type": "image/png"}
    )
    with pytest.raises(NotAFeed):
        find_feeds(http_server.url("/logo.png"))


def test_backoff_doubles_up_to_the_longest_wait() -> None:
    hour, day = timedelta(hours=1), timedelta(days=1)
    waits = [backoff(failures, interval=hour, longest=day) for failures in range(7)]
    assert waits == [hour, 2 * hour, 4 * hour, 8 * hour, 16 * hour, day, day]
    assert backoff(10_000, interval=hour, longest=day) == day


# --- Many feeds at once ---------------------------------------------------------------------


class ConcurrencyProbe:
    """Counts the requests in flight, per server and in all, while each answers slowly."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.total_now = 0
        self.total_peak = 0

    def handler(self, name: str, body: bytes):  # type: ignore[no-untyped-def]
        def handle(request: BaseHTTPRequestHandler) -> None:
            with self.lock:
                self.now[name] = self.now.get(name, 0) + 1
                self.peak[name] = max(self.peak.get(name, 0), self.now[name])
                self.total_now += 1
                self.total_peak = max(self.total_peak, self.total_now)
            time.sleep(0.05)
            with self.lock:
                self.now[name] -= 1
                self.total_now -= 1
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        return handle


def test_fetch_feeds_is_concurrent_but_polite_to_each_host(http_server: LocalHTTPServer) -> None:
    other = LocalHTTPServer(host="127.0.0.2").start()
    try:
        probe = ConcurrencyProbe()
        requests = []
        for server, name in ((http_server, "a"), (other, "b")):
            for number in range(6):
                server.route(f"/{number}.xml", handler=probe.handler(name, RSS.encode()))
                requests.append(FeedRequest(key=(name, number), url=server.url(f"/{number}.xml")))
        requests.append(FeedRequest(key="broken", url=http_server.url("/missing.xml")))

        outcomes = list(fetch_feeds(requests, workers=8, per_host=2))
    finally:
        other.stop()

    assert sorted(str(outcome.request.key) for outcome in outcomes) == sorted(
        str(request.key) for request in requests
    )
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    assert [outcome.request.key for outcome in failed] == ["broken"]
    assert "404" in failed[0].message
    assert all(o.fetched and o.fetched.feed for o in outcomes if o.error is None)
    # Never more than two at a time on one host, but both hosts at once.
    assert probe.peak == {"a": 2, "b": 2}
    assert probe.total_peak == 4


def test_fetch_feeds_reports_errors_in_the_callers_language(http_server: LocalHTTPServer) -> None:
    http_server.route("/missing.xml", status=404)
    with translation.override("fr"):
        (outcome,) = fetch_feeds([FeedRequest(key=1, url=http_server.url("/missing.xml"))])
        assert "Le serveur a répondu par une erreur" in outcome.message
