"""A link given in a comment becomes a link to go further: offered to the article's authors and
the coordinators only, credited to the comment's author, once per address."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.articles.comments import links, services
from maillage.articles.comments.models import Comment
from maillage.articles.models import FurtherLink, LinkSuggestion
from maillage.members.models import Role
from tests.factories import ArticleFactory, CommentFactory, LinkSuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Pour compléter, le [guide de l'ABF](https://abf.example.org/guide) sur les réseaux "
    "sociaux, et aussi https://wiki.example.org/Rennes"
)
BUTTON = "Propose as a link to go further"


@pytest.fixture
def author(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="lea@example.org", display_name="Léa Autrice")


@pytest.fixture
def article(author):  # type: ignore[no-untyped-def]
    return ArticleFactory(title="Les réseaux sociaux en bibliothèque", authors=[author])


def propose(client, comment: Comment, url: str, *, htmx: bool = False):  # type: ignore[no-untyped-def]
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("comments:propose_link", kwargs={"pk": comment.pk}), {"url": url}, headers=headers
    )


# --- Reading the links of a comment ---------------------------------------------------------------


def test_links_of_a_comment_with_their_text_and_an_excerpt():
    comment = Comment(
        body=f"> Citation avec [un lien cité](https://cite.example.org/)\n\n{BODY}\n\n"
        "[courriel](mailto:a@example.org) [script](javascript:alert(1)) "
        "[encore](https://abf.example.org/guide)"
    )
    found = links.links_in(comment)
    assert [(link.url, link.title) for link in found] == [
        ("https://abf.example.org/guide", "guide de l'ABF"),
        ("https://wiki.example.org/Rennes", "https://wiki.example.org/Rennes"),
    ]
    excerpt = links.excerpt_of(comment)
    assert excerpt.startswith("Pour compléter, le guide de l'ABF sur les réseaux sociaux, et aussi")
    assert "wiki.example.org" not in excerpt  # a bare address says nothing more than the link
    assert "Citation" not in excerpt  # quoted words are someone else's
    assert len(links.excerpt_of(Comment(body="mot " * 200))) <= links.NOTE_LENGTH


# --- The author turns a link ----------------------------------------------------------------------


def test_the_author_turns_a_members_link_into_a_link_to_go_further(
    client, article, author, trusted, smtp, committed
):
    comment = services.post_comment(target=article, author=trusted, body=BODY)
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count(BUTTON) == 2
    assert 'value="https://abf.example.org/guide"' in page

    with committed():
        response = propose(client, comment, "https://abf.example.org/guide")

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#further-title"
    link = FurtherLink.objects.get(article=article)
    assert (link.url, link.title) == ("https://abf.example.org/guide", "guide de l'ABF")
    assert link.suggested_by == trusted and link.suggested_by_name == "Yann Le Goff"
    assert link.note.startswith("Pour compléter, le guide de l'ABF")
    suggestion = LinkSuggestion.objects.get(article=article)
    assert suggestion.status == "accepted" and suggestion.decided_by == author
    assert suggestion.link == link
    # The commenter hears that their link is there; the authors get no "link suggested" email
    # for what they did themselves.
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["yann@example.org"]
    assert "Votre lien a été ajouté" in mail.message["Subject"]  # emails: the site language
    page = client.get(article.get_absolute_url()).content.decode()
    assert "(suggested by Yann Le Goff)" in page
    assert "guide de l&#x27;ABF" in page.split('id="further-title"')[1].split("</section>")[0]
    assert page.count(BUTTON) == 1  # the other address is still offered
    assert "among the links to go further" in page


def test_turning_the_same_address_twice_says_so(client, article, author, trusted):
    comment = services.post_comment(target=article, author=trusted, body=BODY)
    client.force_login(author)
    propose(client, comment, "https://abf.example.org/guide")
    response = propose(client, comment, "https://abf.example.org/guide")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#{comment.anchor}"
    page = client.get(response["Location"]).content.decode()
    assert "This link is already among the links to go further." in page
    assert FurtherLink.objects.count() == 1 and LinkSuggestion.objects.count() == 1

    # The same address given in another comment, or already waiting as a reader's suggestion.
    other = services.post_comment(
        target=article, author=trusted, body="Voir https://abf.example.org/guide"
    )
    response = propose(client, other, "https://abf.example.org/guide", htmx=True)
    assert response.status_code == 200
    assert "This link is already among the links to go further." in response.content.decode()
    LinkSuggestionFactory(article=article, url="https://wiki.example.org/Rennes")
    response = propose(client, comment, "https://wiki.example.org/Rennes", htmx=True)
    assert "already suggested" in response.content.decode()
    assert FurtherLink.objects.count() == 1


def test_with_htmx_the_comment_is_swapped_in_place(client, article, author, trusted):
    comment = services.post_comment(target=article, author=trusted, body=BODY)
    client.force_login(author)
    response = propose(client, comment, "https://wiki.example.org/Rennes", htmx=True)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<article id="{comment.anchor}"')
    assert "<html" not in fragment
    assert "is added to the links to go further, credited to Yann Le Goff" in fragment
    assert fragment.count(BUTTON) == 1  # the guide is left to turn; Rennes is done
    assert 'href="#further-title"' in fragment


def test_a_guests_link_is_credited_to_the_name_they_signed_with(
    client, article, author, smtp, committed
):
    comment = CommentFactory(
        target=article,
        author=None,
        guest_name="Anne Bénévole",
        guest_email="anne@example.org",
        body="Il y a https://zotero.example.org/groupes pour partager une bibliographie.",
    )
    client.force_login(author)
    with committed():
        propose(client, comment, "https://zotero.example.org/groupes")
    link = FurtherLink.objects.get()
    assert link.suggested_by is None and link.suggested_by_name == "Anne Bénévole"
    assert link.title == "https://zotero.example.org/groupes"
    assert link.note == "Il y a pour partager une bibliographie."
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["anne@example.org"]


def test_a_coordinator_may_too_and_is_not_emailed_about_their_own_link(
    client, article, smtp, committed
):
    coordinator = UserFactory(email="claire@example.org", role=Role.COORDINATOR)
    comment = CommentFactory(target=article, author=coordinator, body="Voir https://a.example.org/")
    client.force_login(coordinator)
    with committed():
        response = propose(client, comment, "https://a.example.org/")
    assert response.status_code == 302
    assert FurtherLink.objects.get().suggested_by == coordinator
    assert smtp.messages == []


# --- Who may, and which comments ------------------------------------------------------------------


def test_only_authors_and_coordinators_see_and_use_the_action(client, article, trusted):
    comment = services.post_comment(target=article, author=trusted, body=BODY)
    url = "https://abf.example.org/guide"
    assert BUTTON not in client.get(article.get_absolute_url()).content.decode()
    response = propose(client, comment, url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    for person in (trusted, UserFactory()):  # the commenter, another member
        client.force_login(person)
        assert BUTTON not in client.get(article.get_absolute_url()).content.decode()
        assert propose(client, comment, url).status_code == 403
    assert not FurtherLink.objects.exists() and not LinkSuggestion.objects.exists()


def test_held_deleted_and_foreign_addresses_are_refused(client, article, author, trusted):
    held = CommentFactory(target=article, status="held", body="Voir https://a.example.org/")
    deleted = CommentFactory(target=article, body="Voir https://b.example.org/")
    services.delete_comment(comment=deleted, user=deleted.author)
    shown = CommentFactory(target=article, body="Voir https://c.example.org/")
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count(BUTTON) == 1
    assert propose(client, held, "https://a.example.org/").status_code == 404
    assert propose(client, deleted, "https://b.example.org/").status_code == 404
    response = propose(client, shown, "https://evil.example.org/", htmx=True)
    assert "This address is not in the comment." in response.content.decode()
    # A held comment's own author (here also the article's author) cannot turn it either.
    own_held = CommentFactory(target=article, author=author, status="held", body=held.body)
    response = propose(client, own_held, "https://a.example.org/", htmx=True)
    assert "Only the links of a published comment can go further." in response.content.decode()
    assert not FurtherLink.objects.exists()


def test_nothing_to_turn_on_an_archived_article(client, article, author):
    comment = CommentFactory(target=article, body="Voir https://a.example.org/")
    article.status = "archived"
    article.save(update_fields=["status"])
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Voir" in page and BUTTON not in page
    response = propose(client, comment, "https://a.example.org/", htmx=True)
    assert "The discussion is closed" in response.content.decode()
    assert not FurtherLink.objects.exists()


def test_comments_on_an_event_offer_nothing(client, event, organiser):
    comment = CommentFactory(target=event, body="Voir https://a.example.org/")
    client.force_login(organiser)
    assert BUTTON not in client.get(event.get_absolute_url()).content.decode()
    response = propose(client, comment, "https://a.example.org/", htmx=True)
    assert "Only links in comments on an article can go further." in response.content.decode()


def test_a_link_title_cannot_inject_markup(client, article, author):
    CommentFactory(
        target=article,
        body='[<img src=x onerror=alert(1)>"><script>x</script>](https://a.example.org/?q="><b>)',
    )
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert BUTTON in page
    assert "<script>x" not in page and "<img src=x" not in page and '"><b>' not in page


def test_the_authors_page_costs_the_same_queries_for_few_or_many_comments(client, article, author):
    client.force_login(author)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    CommentFactory(target=article, body="Voir https://a.example.org/")
    few = count()
    for number in range(8):
        CommentFactory(target=article, body=f"Voir https://{number}.example.org/")
    assert count() == few


def test_the_action_reads_in_french(article, author, trusted):
    comment = services.post_comment(target=article, author=trusted, body=BODY)
    french = Client(headers={"Accept-Language": "fr"})
    french.force_login(author)
    page = french.get(article.get_absolute_url()).content.decode()
    assert page.count("Proposer comme lien pour aller plus loin") == 2
    assert "Liens de ce commentaire (visibles des seuls auteurs et coordinateurs)\u00a0:" in page
    response = french.post(
        reverse("comments:propose_link", kwargs={"pk": comment.pk}),
        {"url": "https://abf.example.org/guide"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert "«\u00a0guide de l&#x27;ABF\u00a0» rejoint les liens pour aller plus loin" in fragment
    assert "au nom de Yann Le Goff." in fragment
