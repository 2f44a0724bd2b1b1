"""Articles pages: list, filters, pagination, query counts, the article page, forms, visibility."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.articles.models import Article, ArticleStatus, FurtherLink, LinkSuggestion
from maillage.articles.selectors import ARTICLE_PAGE_SIZE
from maillage.core.models import Tag
from tests.factories import (
    ArticleFactory,
    EventFactory,
    FurtherLinkFactory,
    LinkSuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("articles:list")


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [article.title for article in response.context["articles"]]


# --- The list ------------------------------------------------------------------------------------


def test_list_shows_published_articles_latest_first(client):
    ArticleFactory(title="Ancien", published_at=timezone.now() - timedelta(days=30))
    ArticleFactory(title="Récent", published_at=timezone.now() - timedelta(hours=1))
    ArticleFactory(title="Brouillon", status="draft", published_at=None)
    ArticleFactory(title="Plus tard", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(title="Pour les membres", visibility="members")
    ArticleFactory(title="Archivé", status="archived")

    response = client.get(LIST)

    assert response.status_code == 200
    page = html(response)
    assert "<title>Articles and reports · " in page
    assert page.count("<h1") == 1
    assert titles(response) == ["Récent", "Ancien"]
    for hidden in ("Brouillon", "Plus tard", "Pour les membres", "Archivé"):
        assert hidden not in page
    assert 'type="application/rss+xml"' in page


def test_filters_by_tag_author_and_kind(client):
    wiki = Tag.objects.create(name="Wikipédia")
    lea = UserFactory(display_name="Léa")
    report = ArticleFactory(title="Compte-rendu", event=EventFactory(), tags=[wiki])
    ArticleFactory(title="Billet de Léa", authors=[lea])

    assert titles(client.get(LIST, {"kind": "report"})) == ["Compte-rendu"]
    assert titles(client.get(LIST, {"kind": "article"})) == ["Billet de Léa"]
    response = client.get(LIST, {"tag": "wikipedia"})
    assert titles(response) == ["Compte-rendu"]
    assert "Articles and reports – Wikipédia" in html(response)
    assert reverse("articles:tag_feed_rss", args=["wikipedia"]) in html(response)
    assert titles(client.get(LIST, {"author": lea.pk})) == ["Billet de Léa"]
    # Unknown values are ignored rather than refused.
    assert len(titles(client.get(LIST, {"tag": "nope", "kind": "x"}))) == 2
    assert report.is_report


def test_htmx_request_gets_only_the_results(client):
    ArticleFactory(title="Un")
    response = client.get(LIST, headers={"HX-Request": "true"})
    assert "<html" not in html(response)
    assert "Un" in html(response)
    assert "HX-Request" in response["Vary"]


def test_pagination(client):
    for index in range(ARTICLE_PAGE_SIZE + 2):
        ArticleFactory(
            title=f"Article {index:02d}", published_at=timezone.now() - timedelta(hours=index + 1)
        )
    first = client.get(LIST)
    assert len(titles(first)) == ARTICLE_PAGE_SIZE
    assert 'rel="next"' in html(first)
    second = client.get(LIST, {"page": 2})
    assert titles(second) == ["Article 10", "Article 11"]
    assert "page 2" in html(second)


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_list_query_count_does_not_grow_with_articles(client, member, as_member):
    if as_member:
        client.force_login(member)
    wiki, archives = Tag.objects.create(name="Wikipédia"), Tag.objects.create(name="Archives")
    people = [UserFactory(), UserFactory()]
    event = EventFactory()

    def create(count: int) -> None:
        for index in range(count):
            ArticleFactory(
                tags=[wiki, archives], authors=people, event=event if index % 2 else None
            )

    create(3)
    few = _queries(client, LIST)
    create(27)
    many = _queries(client, LIST)
    assert many == few, f"{few} queries for 3 articles, {many} for 30"


def test_home_shows_the_latest_articles_and_reports(client):
    ArticleFactory(title="Compte-rendu récent", event=EventFactory())
    ArticleFactory(title="Réservé", visibility="members")
    page = html(client.get(reverse("core:home")))
    assert "Latest reports and articles" in page
    assert "Compte-rendu récent" in page
    assert "Réservé" not in page


def test_articles_link_follows_workshops_in_the_menu(client):
    page = html(client.get(reverse("core:home")))
    nav = page[page.index('class="site-nav"') :]
    links = re.findall(r'<a href="([^"]+)"', nav)
    assert links[:2] == [reverse("events:list"), LIST]


# --- The article page ----------------------------------------------------------------------------


def test_article_page_shows_attribution_licence_canonical_and_reading_time(client):
    lea = UserFactory(display_name="Léa Durand")
    event = EventFactory(title="Atelier du 26 mars")
    article = ArticleFactory(
        title="Compte-rendu",
        authors=[lea],
        event=event,
        body="mot " * 450,
        published_at=datetime(2014, 4, 2, 8, 0, tzinfo=UTC),
    )
    FurtherLinkFactory(article=article, title="Un guide", suggested_by_name="Yann")

    response = client.get(article.get_absolute_url())

    page = html(response)
    assert response.status_code == 200
    assert "<title>Compte-rendu · " in page
    assert page.count("<h1") == 1
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000/articles/{article.slug}/">' in page
        or f'<link rel="canonical" href="{article.canonical_url}">' in page
    )
    text = re.sub(r"<[^>]+>", "", page)
    assert "By Léa Durand, published on 2 April 2014, under the licence CC BY-SA 4.0" in text
    assert 'rel="license"' in page
    assert "3 min read" in text
    assert "Atelier du 26 mars" in text
    assert "Un guide" in text
    assert "(suggested by Yann)" in text
    assert "Suggest a link to go further" in text
    assert 'name="email"' in page  # a guest gives an address


def test_article_page_in_french(client):
    article = ArticleFactory(published_at=datetime(2014, 4, 2, 8, 0, tzinfo=UTC))
    response = client.get(article.get_absolute_url(), headers={"Accept-Language": "fr"})
    text = re.sub(r"<[^>]+>", "", html(response))
    name = article.authors.get().display_name
    assert f"Par {name}, publié le 2 avril 2014, sous licence CC BY-SA 4.0" in text


def test_draft_members_only_and_scheduled_are_404_for_those_who_may_not_see(
    client, member, coordinator
):
    author = UserFactory()
    draft = ArticleFactory(status="draft", published_at=None, authors=[author])
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=3), authors=[author])
    members_only = ArticleFactory(visibility="members")

    for article in (draft, scheduled, members_only):
        assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(members_only.get_absolute_url()).status_code == 200
    client.force_login(author)
    response = client.get(scheduled.get_absolute_url())
    assert response.status_code == 200
    assert "Scheduled for" in html(response)
    assert response["X-Robots-Tag"] == "noindex"
    assert "Draft" in html(client.get(draft.get_absolute_url()))
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_unknown_article_is_404(client):
    assert client.get(reverse("articles:detail", args=["nope"])).status_code == 404


# --- Writing and publishing ----------------------------------------------------------------------


def test_member_writes_a_draft_and_a_coordinator_publishes_it(client, member, coordinator):
    client.force_login(member)
    form = client.get(reverse("articles:create"))
    assert form.status_code == 200
    response = client.post(
        reverse("articles:create"),
        {
            "title": "Nos débuts sur Mastodon",
            "summary": "Un premier bilan.",
            "body": "## Pourquoi\n\nParce que.",
            "tag_names": "mastodon, fédivers",
            "language": "fr",
            "licence": "CC-BY-4.0",
            "visibility": "public",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.status == ArticleStatus.DRAFT
    assert list(article.authors.all()) == [member]
    assert article.licence == "CC-BY-4.0"
    page = html(client.get(article.get_absolute_url()))
    assert "A coordinator of the network publishes it" in page
    # The member cannot publish.
    client.post(reverse("articles:publish", args=[article.slug]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT

    client.force_login(coordinator)
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("articles:publish", args=[article.slug]), {"publish_at": later})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.is_scheduled
    client.post(reverse("articles:publish", args=[article.slug]))
    article.refresh_from_db()
    assert article.is_live
    client.post(reverse("articles:archive", args=[article.slug]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.ARCHIVED


def test_an_image_needs_its_text_alternative(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member)
    data = {
        "title": "Avec image",
        "body": "Texte.",
        "language": "fr",
        "licence": "CC-BY-SA-4.0",
        "visibility": "public",
        "cover_image": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    }
    response = client.post(reverse("articles:create"), data)
    assert response.status_code == 200
    assert "Describe the image" in html(response)
    assert not Article.objects.exists()


def test_others_cannot_edit(client, member):
    article = ArticleFactory()
    client.force_login(member)
    assert client.get(reverse("articles:edit", args=[article.slug])).status_code == 403
    assert client.get(reverse("articles:create")).status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("articles:create"))
    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


# --- Suggestions from the page -------------------------------------------------------------------


def test_a_guest_suggests_a_link_and_the_author_accepts_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory(display_name="Léa")
    article = ArticleFactory(authors=[author])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:suggest_link", args=[article.slug]),
            {
                "url": "exemple.org/guide",
                "title": "Guide",
                "name": "Yann",
                "email": "y@example.org",
            },
        )
    assert response.status_code == 302
    suggestion = LinkSuggestion.objects.get()
    assert suggestion.url == "https://exemple.org/guide"
    assert len(mailoutbox) == 1

    client.force_login(author)
    page = html(client.get(article.get_absolute_url()))
    assert "Suggestions waiting for your answer" in page
    client.post(reverse("articles:suggestion_accept", args=[article.slug, suggestion.pk]))
    link = FurtherLink.objects.get()
    assert link.suggested_by_name == "Yann"


def test_suggestions_are_rate_limited(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    article = ArticleFactory()
    url = reverse("articles:suggest_link", args=[article.slug])
    statuses = [
        client.post(
            url, {"url": f"https://e{n}.org/", "name": "Spam", "email": f"s{n}@example.org"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert LinkSuggestion.objects.count() == 2


def test_a_suggestion_needs_a_name_and_address_from_a_guest(client):
    article = ArticleFactory()
    response = client.post(
        reverse("articles:suggest_link", args=[article.slug]), {"url": "https://e.org/"}
    )
    assert response.status_code == 400
    assert not LinkSuggestion.objects.exists()


def test_no_suggestion_on_an_article_one_cannot_see(client):
    article = ArticleFactory(visibility="members")
    response = client.post(
        reverse("articles:suggest_link", args=[article.slug]),
        {"url": "https://e.org/", "name": "X", "email": "x@example.org"},
    )
    assert response.status_code == 404


def test_others_cannot_answer_suggestions(client, member):
    suggestion = LinkSuggestionFactory()
    client.force_login(member)
    url = reverse("articles:suggestion_accept", args=[suggestion.article.slug, suggestion.pk])
    assert client.post(url).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_author_adds_and_removes_links(client):
    author = UserFactory()
    article = ArticleFactory(authors=[author])
    client.force_login(author)
    client.post(
        reverse("articles:link_add", args=[article.slug]),
        {"title": "Doc", "url": "https://doc.example/", "note": "Utile"},
    )
    link = FurtherLink.objects.get()
    assert (link.title, link.note) == ("Doc", "Utile")
    bad = client.post(
        reverse("articles:link_add", args=[article.slug]), {"title": "X", "url": "javascript:x"}
    )
    assert bad.status_code == 400
    client.post(reverse("articles:link_remove", args=[article.slug, link.pk]))
    assert not FurtherLink.objects.exists()


# --- Cover image ---------------------------------------------------------------------------------


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 3), (29, 95, 116)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()


def _with_cover(**fields: object) -> Article:
    from django.core.files.base import ContentFile

    article = ArticleFactory(cover_alt="Une salle de lecture", **fields)
    article.cover_image.save("photo.png", ContentFile(PNG))
    return article


def test_cover_image_is_served_to_those_who_may_read(client, member):
    public = _with_cover()
    response = client.get(reverse("articles:cover", args=[public.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PNG
    page = html(client.get(public.get_absolute_url()))
    assert 'alt="Une salle de lecture"' in page

    members_only = _with_cover(visibility="members")
    draft = _with_cover(status="draft", published_at=None)
    assert client.get(reverse("articles:cover", args=[members_only.slug])).status_code == 404
    assert client.get(reverse("articles:cover", args=[draft.slug])).status_code == 404
    client.force_login(member)
    response = client.get(reverse("articles:cover", args=[members_only.slug]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert client.get(reverse("articles:cover", args=[draft.slug])).status_code == 404
    assert client.get(reverse("articles:cover", args=[ArticleFactory().slug])).status_code == 404


# --- XSS -----------------------------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_every_field_shown_as_html_is_escaped_or_sanitised(client):
    author = UserFactory(display_name=f"Auteur {PAYLOAD}")
    article = ArticleFactory(
        title=f"Titre {PAYLOAD}",
        summary=f"Résumé {PAYLOAD}",
        body=f'Texte {PAYLOAD}\n\n[clic](javascript:alert(1))\n\n<a href="javascript:x">a</a>',
        authors=[author],
    )
    FurtherLinkFactory(
        article=article, title=f"Lien {PAYLOAD}", note=f"Note {PAYLOAD}", suggested_by_name=PAYLOAD
    )
    LinkSuggestionFactory(article=article, title=f"Suggestion {PAYLOAD}", note=PAYLOAD)
    pages = [
        client.get(article.get_absolute_url()),
        client.get(LIST),
        client.get(reverse("core:home")),
    ]
    client.force_login(author)
    pages.append(client.get(article.get_absolute_url()))
    for response in pages:
        page = html(response)
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
        assert not re.search(r"<a[^>]*href=\"javascript:", page)
    assert "&lt;script&gt;" in html(pages[0])


# --- Titles --------------------------------------------------------------------------------------


def test_every_page_has_its_own_title_and_one_heading(client, coordinator):
    article = ArticleFactory(title="Un article", authors=[coordinator])
    client.force_login(coordinator)
    paths = [
        LIST,
        reverse("articles:create"),
        article.get_absolute_url(),
        reverse("articles:edit", args=[article.slug]),
    ]
    seen: dict[str, str] = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        page = html(response)
        assert page.count("<h1") == 1, path
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title, path
        assert title.group(1) not in seen, (path, seen.get(title.group(1)))
        seen[title.group(1)] = path


def test_author_changes_and_removes_the_cover_image(client):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    author = UserFactory()
    article = ArticleFactory(authors=[author], title="Avec image")
    client.force_login(author)
    data = {
        "title": "Avec image",
        "body": "Texte.",
        "language": "fr",
        "licence": "CC-BY-SA-4.0",
        "visibility": "public",
        "authors": [author.pk],
        "cover_image": SimpleUploadedFile("carte-vitale-lea.png", PNG, content_type="image/png"),
        "cover_alt": "Un carré bleu",
    }
    response = client.post(reverse("articles:edit", args=[article.slug]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    stored = article.cover_image.name
    # A random name, not the uploaded one. (The name is random hex: a substring test on a short
    # uploaded name such as "a.png" failed whenever the hex happened to end in "a".)
    assert re.fullmatch(r"articles/\d{4}/[0-9a-f]{32}\.png", stored), stored
    assert "carte" not in stored and "lea" not in stored
    assert default_storage.exists(stored)
    form = html(client.get(reverse("articles:edit", args=[article.slug])))
    assert 'name="remove_cover"' in form
    del data["cover_image"]
    data["remove_cover"] = "on"
    data["cover_alt"] = ""
    response = client.post(reverse("articles:edit", args=[article.slug]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.cover_image
    assert not default_storage.exists(stored)  # the removed file does not linger in media


def test_archived_article_stays_readable_and_says_so(client):
    article = ArticleFactory(status="archived")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Archived" in html(response)
    assert "Suggest a link" not in html(response)


def test_a_live_article_shows_its_comments_section(client):
    article = ArticleFactory()
    assert 'id="comments"' in html(client.get(article.get_absolute_url()))
    author = UserFactory()
    draft = ArticleFactory(status="draft", published_at=None, authors=[author])
    client.force_login(author)
    assert 'id="comments"' not in html(client.get(draft.get_absolute_url()))
