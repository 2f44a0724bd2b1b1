"""Published posts take comments on their page, as a showcase project does; drafts and held
posts refuse them; the institution's page and its space point to each other; the post page's
query count stays flat with the comments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from maillage.articles.comments.models import Comment
from maillage.voices.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.voices.conftest import Museum
from tests.voices.test_pages import held, published, url

pytestmark = pytest.mark.django_db


def comment_url(post: Post) -> str:
    return reverse("comments:post", kwargs={"kind": "publication", "object_id": post.pk})


def guest_data() -> dict[str, str]:
    return {
        "comment-name": "Yves",
        "comment-email": "yves@example.org",
        "comment-body": "Où a-t-il été trouvé ?",
        "comment-website": "",
    }


def test_a_published_post_shows_its_comments_and_the_form(client: Client, museum: Museum) -> None:
    post = published(museum)
    CommentFactory(target=post, body="Quelle belle bête !")
    page = client.get(url("post", museum, pk=post.pk)).content.decode()
    section = page[page.index('<section id="comments"') :]
    assert "Comments (1)" in section and "Quelle belle bête" in section
    assert f'action="{comment_url(post)}"' in section and 'name="comment-email"' in section
    feed = reverse("comments:target_feed", kwargs={"kind": "publication", "object_id": post.pk})
    assert feed in page[: page.index("</head>")]
    assert "Quelle belle bête" in client.get(feed).content.decode()

    response = client.post(comment_url(post), guest_data())
    assert response.status_code == 302
    comment = Comment.objects.get(guest_email="yves@example.org")
    assert comment.target == post and comment.status == "pending_email"


def test_drafts_and_held_posts_refuse_comments(client: Client, museum: Museum) -> None:
    draft = PostFactory(voice=museum.camille, text="Un simple brouillon")
    secret = held(museum)
    for post in (draft, secret):
        # The public cannot see them, so cannot comment.
        assert client.post(comment_url(post), guest_data()).status_code == 404
    # A member of the space sees them, without a comment section, and cannot comment either.
    client.force_login(museum.admin)
    for post in (draft, secret):
        page = client.get(url("post", museum, pk=post.pk)).content.decode()
        assert 'id="comments"' not in page and 'id="comment-form"' not in page
        response = client.post(comment_url(post), {"comment-body": "Bravo"})
        assert response.status_code == 302
    assert not Comment.objects.exists()


def test_the_institution_page_links_to_its_space_and_back(client: Client, museum: Museum) -> None:
    institution = museum.space.institution
    space_url = url("space", museum)
    # Nothing public in the space yet: no link.
    PostFactory(voice=museum.camille)
    assert space_url not in client.get(institution.get_absolute_url()).content.decode()
    published(museum)
    page = client.get(institution.get_absolute_url()).content.decode()
    assert f'href="{space_url}"' in page and "The voices of Muséum des Landes" in page
    back = client.get(space_url).content.decode()
    assert f'href="{institution.get_absolute_url()}"' in back

    french = Client(headers={"Accept-Language": "fr"})
    with translation.override("fr"):
        page = french.get(institution.get_absolute_url()).content.decode()
        assert "Les voix de Muséum des Landes</a>\u00a0: leurs publications" in page
        assert "Muséum des Landes dans le réseau" in french.get(space_url).content.decode()


def count_queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", [False, True])
def test_the_post_page_query_count_does_not_grow_with_comments(
    client: Client, museum: Museum, member: bool
) -> None:
    post = published(museum)
    if member:
        client.force_login(museum.admin)
    address = url("post", museum, pk=post.pk)
    first = CommentFactory(target=post, author=UserFactory())
    client.get(address)  # process-wide caches (content types, …) filled once
    few = count_queries(client, address)
    for number in range(6):
        parent = first if number % 2 else None
        CommentFactory(target=post, author=UserFactory(), parent=parent, thread=parent)
    CommentFactory(target=post, author=None, guest_name="Yves", guest_email="yves@example.org")
    many = count_queries(client, address)
    assert many == few, (few, many)
    assert "Comments (8)" in client.get(address).content.decode()
