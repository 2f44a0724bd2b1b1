"""Reading a bookmarked page in the background, against a real local HTTP server."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from huey.contrib.djhuey import HUEY
from PIL import Image

from maillage.core import search
from maillage.veille import reading, tasks
from maillage.veille.models import Bookmark, PageFetchStatus
from maillage.veille.services import save_bookmark
from tests.factories import BookmarkFactory, UserFactory
from tests.http_server import LocalHTTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Reasons are stored in the language active when the task runs; these tests read English."""
    with translation.override("en"):
        yield


HTML = {"Content-Type": "text/html; charset=utf-8"}

PAGE = """<!doctype html>
<html lang="fr-FR">
<head>
  <meta charset="utf-8">
  <title>Les bibliothèques sur les réseaux sociaux</title>
  <meta name="description" content="Comment les bibliothèques conversent avec leurs publics.">
  <meta property="og:site_name" content="Bibliothèques en ligne">
  <meta property="og:image" content="/images/apercu.png">
  <link rel="icon" type="image/png" href="/static/icone.png">
</head>
<body>
  <nav><a href="/">Accueil</a> <a href="/blog">Blog</a></nav>
  <article>
    <h1>Les bibliothèques sur les réseaux sociaux</h1>
    <p>Depuis quelques années, de nombreuses bibliothèques ouvrent une page ou un compte pour
    converser avec leurs lecteurs : annonces, coulisses, questions, conseils de lecture.</p>
    <p>Ce qui marche le mieux tient en peu de mots : publier régulièrement, répondre vite,
    montrer les personnes qui font vivre la maison, et garder un ton chaleureux.</p>
    <script>document.title = "piégé"; alert("xss");</script>
  </article>
  <footer>Mentions légales</footer>
</body>
</html>
"""


def png_bytes(size: tuple[int, int] = (32, 32), colour: str = "teal", fmt: str = "PNG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=fmt)
    return output.getvalue()


def read(bookmark: Bookmark, **options: bool) -> Bookmark:
    reading.read_bookmark_page(bookmark_id=bookmark.pk, **options)
    bookmark.refresh_from_db()
    return bookmark


@pytest.fixture
def bookmark_at(http_server: LocalHTTPServer) -> Callable[..., Bookmark]:
    def make(path: str, *, host: str | None = None, **fields: object) -> Bookmark:
        url = http_server.url(path, host=host)
        return BookmarkFactory(url=url, fetch_status=PageFetchStatus.PENDING, **fields)

    return make


def test_reads_title_description_language_text_image_and_site_name(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    http_server.route("/static/icone.png", body=png_bytes(), headers={"Content-Type": "image/png"})
    bookmark = read(bookmark_at("/article"))

    assert bookmark.fetch_status == PageFetchStatus.DONE
    assert bookmark.fetch_error == ""
    assert bookmark.fetched_at is not None
    assert bookmark.page_title == "Les bibliothèques sur les réseaux sociaux"
    assert bookmark.page_description == "Comment les bibliothèques conversent avec leurs publics."
    assert bookmark.page_language == "fr-FR"
    assert bookmark.site_name == "Bibliothèques en ligne"
    assert bookmark.preview_image_url == http_server.url("/images/apercu.png")
    assert "publier régulièrement, répondre vite" in bookmark.page_text
    # Scripts, navigation and footer are not main text.
    assert "alert" not in bookmark.page_text and "piégé" not in bookmark.page_text
    assert "Mentions légales" not in bookmark.page_text
    # The title the person gave is kept; the page's own title is stored beside it.
    assert bookmark.title.startswith("Signet")


def test_the_site_icon_is_redrawn_as_a_small_png(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    http_server.route(
        "/static/icone.png",
        body=png_bytes((128, 128)) + b"<script>trailing bytes</script>",
        headers={"Content-Type": "image/png"},
    )
    bookmark = read(bookmark_at("/article"))

    assert bookmark.favicon.name.startswith("veille/favicons/")
    assert bookmark.favicon.name.endswith(".png")
    with bookmark.favicon.open("rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (64, 64)


def test_without_a_declared_icon_favicon_ico_is_tried(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    page = "<html><head><title>Sans icône</title></head><body><p>Un texte.</p></body></html>"
    http_server.route("/page", body=page.encode(), headers=HTML)
    http_server.route(
        "/favicon.ico",
        body=png_bytes((16, 16), fmt="ICO"),
        headers={"Content-Type": "image/x-icon"},
    )
    bookmark = read(bookmark_at("/page"))
    assert bookmark.fetch_status == PageFetchStatus.DONE
    assert bookmark.favicon
    assert "/favicon.ico" in http_server.paths()


def test_an_icon_that_is_not_an_image_is_not_kept(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    http_server.route(
        "/static/icone.png", body=b"<html>not an icon</html>", headers={"Content-Type": "image/png"}
    )
    http_server.route("/favicon.ico", body=b"GIF89a broken", headers={"Content-Type": "image/gif"})
    bookmark = read(bookmark_at("/article"))
    assert bookmark.fetch_status == PageFetchStatus.DONE
    assert not bookmark.favicon


def test_an_icon_claiming_a_huge_image_is_refused_before_decoding() -> None:
    assert reading.normalised_icon(png_bytes((2000, 2000))) is None
    assert reading.normalised_icon(png_bytes((32, 32))) is not None
    assert reading.normalised_icon(b"") is None


def test_icons_are_stored_once_per_site_and_once_per_picture(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    http_server.route("/autre", body=PAGE.encode(), headers=HTML)
    http_server.route("/static/icone.png", body=png_bytes(), headers={"Content-Type": "image/png"})
    first = read(bookmark_at("/article"))
    second = read(bookmark_at("/autre"))
    assert second.favicon.name == first.favicon.name
    # The second page of the same site reused the icon without asking for it again.
    assert http_server.paths().count("/static/icone.png") == 1

    # Another site (another host name) serving the very same picture: the same file.
    third = read(bookmark_at("/article", host="localhost"))
    assert http_server.paths().count("/static/icone.png") == 2
    assert third.favicon.name == first.favicon.name


@pytest.mark.parametrize(
    ("body", "headers", "reason"),
    [
        (png_bytes(), {"Content-Type": "text/html"}, "binary file"),
        (b"%PDF-1.4 some pdf", {"Content-Type": "application/pdf"}, "application/pdf"),
        (b"just words, no markup", {}, "does not lead to a web page"),
        (b"   ", HTML, "empty"),
        (b"<html><head></head><body></body></html>", HTML, "Nothing readable"),
    ],
    ids=["png-as-html", "pdf", "plain-text", "empty", "no-content"],
)
def test_what_is_not_a_web_page_fails_with_a_reason(
    http_server: LocalHTTPServer,
    bookmark_at: Callable[..., Bookmark],
    body: bytes,
    headers: dict[str, str],
    reason: str,
) -> None:
    http_server.route("/thing", body=body, headers=headers)
    bookmark = read(bookmark_at("/thing"))
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    assert reason in bookmark.fetch_error
    assert bookmark.page_text == ""
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()


def test_a_huge_page_is_not_read_past_the_cap(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route(
        "/huge", headers={"Content-Type": "text/html"}, stream_bytes=reading.PAGE_MAX_BYTES * 3
    )
    bookmark = read(bookmark_at("/huge"))
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    assert "larger than" in bookmark.fetch_error


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.7/admin", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/"],
)
def test_a_redirect_to_a_private_address_is_refused(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark], target: str
) -> None:
    http_server.redirect("/go", target)
    bookmark = read(bookmark_at("/go"))
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    assert "Refused to fetch" in bookmark.fetch_error
    assert http_server.paths() == ["/go"]


def test_the_reason_is_stored_in_french_in_a_french_worker(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/doc.pdf", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    bookmark = bookmark_at("/doc.pdf")
    with translation.override("fr"):
        read(bookmark)
    assert bookmark.fetch_error == (
        "L’adresse mène à un fichier de type application/pdf, pas à une page web."
    )


def test_broken_html_is_read_as_well_as_it_can_be(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    broken = (
        "<title>Page cassée</title><p>Un premier paragraphe <b>jamais fermé <div>et une "
        "division qui raconte l’histoire d’un musée en ligne, ouvert à tous les publics<p>fin"
    )
    http_server.route("/broken", body=broken.encode(), headers=HTML)
    bookmark = read(bookmark_at("/broken"))
    assert bookmark.fetch_status == PageFetchStatus.DONE
    assert "musée en ligne" in bookmark.page_text


def test_a_latin_1_page_is_decoded(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    page = "<html><head><title>Médiathèque</title></head><body><p>Été à la médiathèque.</p>"
    http_server.route(
        "/latin", body=page.encode("latin-1"), headers={"Content-Type": "text/html; charset=latin1"}
    )
    bookmark = read(bookmark_at("/latin"))
    assert bookmark.page_title == "Médiathèque"


def test_a_missing_page_fails_at_once(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    bookmark = bookmark_at("/missing")
    reading.read_bookmark_page(bookmark_id=bookmark.pk, final_attempt=False)
    bookmark.refresh_from_db()
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    assert "HTTP 404" in bookmark.fetch_error


def test_a_server_error_is_tried_again_then_fails(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/busy", status=503, body=b"later", headers=HTML)
    bookmark = bookmark_at("/busy")
    with pytest.raises(reading.TryAgainLater, match="HTTP 503"):
        reading.read_bookmark_page(bookmark_id=bookmark.pk, final_attempt=False)
    bookmark.refresh_from_db()
    assert bookmark.fetch_status == PageFetchStatus.PENDING

    bookmark = read(bookmark, final_attempt=True)
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    assert "HTTP 503" in bookmark.fetch_error


def test_the_task_schedules_a_retry_with_backoff_on_a_network_error(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/busy", status=503, body=b"later", headers=HTML)
    bookmark = bookmark_at("/busy")
    HUEY.flush()
    tasks.read_bookmark_page(bookmark.pk)
    scheduled = HUEY.scheduled()
    assert [task.args[0] for task in scheduled] == [bookmark.pk]
    assert scheduled[0].retries == tasks.READ_RETRIES - 1
    assert scheduled[0].retry_delay == 120  # 60 s doubled for the next one
    bookmark.refresh_from_db()
    assert bookmark.fetch_status == PageFetchStatus.PENDING
    HUEY.flush()


def test_reading_twice_does_not_fetch_twice_unless_forced(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    bookmark = read(bookmark_at("/article"))
    assert reading.read_bookmark_page(bookmark_id=bookmark.pk) == PageFetchStatus.DONE
    assert http_server.paths().count("/article") == 1
    read(bookmark, force=True)
    assert http_server.paths().count("/article") == 2


def test_a_deleted_bookmark_is_nothing_to_do() -> None:
    assert reading.read_bookmark_page(bookmark_id=987654) == ""


def test_saving_a_bookmark_reads_its_page_after_commit(
    http_server: LocalHTTPServer, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        saved = save_bookmark(owner=owner, url=http_server.url("/article"), tags="bibliothèques")
    bookmark = Bookmark.objects.get(pk=saved.bookmark.pk)
    assert bookmark.fetch_status == PageFetchStatus.DONE
    assert bookmark.page_title == "Les bibliothèques sur les réseaux sociaux"


def test_saving_again_a_page_that_failed_reads_it_again(
    http_server: LocalHTTPServer, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    owner = UserFactory()
    url = http_server.url("/later")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        save_bookmark(owner=owner, url=url)
    bookmark = Bookmark.objects.get(owner=owner)
    assert bookmark.fetch_status == PageFetchStatus.FAILED
    http_server.route("/later", body=PAGE.encode(), headers=HTML)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        save_bookmark(owner=owner, url=url)
    bookmark.refresh_from_db()
    assert bookmark.fetch_status == PageFetchStatus.DONE


def test_the_stored_icon_is_served_only_to_those_who_see_the_bookmark(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark], client: Client
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    http_server.route("/static/icone.png", body=png_bytes(), headers={"Content-Type": "image/png"})
    bookmark = read(bookmark_at("/article", visibility="public"))
    url = reverse("veille:favicon", args=[bookmark.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    Bookmark.objects.filter(pk=bookmark.pk).update(visibility="private")
    assert client.get(url).status_code == 404
    client.force_login(bookmark.owner)
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_text_of_the_page_makes_the_bookmark_findable(
    http_server: LocalHTTPServer, bookmark_at: Callable[..., Bookmark]
) -> None:
    http_server.route("/article", body=PAGE.encode(), headers=HTML)
    bookmark = read(bookmark_at("/article", visibility="public"))
    # Words found only in the page's main text, not in the bookmark's title or notes.
    results = search.search(viewer=None, text="chaleureux coulisses")
    assert [hit.url for hit in results.hits] == [bookmark.get_absolute_url()]
