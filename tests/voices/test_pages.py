"""The pages: who sees what, drafts and held posts never public (pages, feeds), the editor, the
queue, query counts pinned on list pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.voices.models import Post, PostState
from maillage.voices.services import posts
from tests.factories import DeliveryFactory, PostFactory, UserFactory
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db


def published(museum: Museum, text: str = "Un carabe publié", voice: Any = None) -> Post:
    post = PostFactory(
        voice=voice or museum.camille,
        text=text,
        state=PostState.PUBLISHED,
        scheduled_for=timezone.now(),
        published_at=timezone.now(),
        audience=museum.audience,
    )
    DeliveryFactory(post=post, channel=museum.site, state="published", published_at=timezone.now())
    return post


def held(museum: Museum) -> Post:
    post = PostFactory(
        voice=museum.camille,
        text="Un brouillon retenu",
        state=PostState.HELD,
        scheduled_for=timezone.now(),
    )
    DeliveryFactory(post=post, channel=museum.site)
    return post


def url(name: str, museum: Museum, **kwargs: Any) -> str:
    return reverse(f"voices:{name}", kwargs={"space": museum.space.slug, **kwargs})


def test_public_pages_show_published_posts_only(client: Client, museum: Museum) -> None:
    public = published(museum)
    secret = held(museum)
    draft = PostFactory(voice=museum.camille, text="Un simple brouillon")
    for address in (
        url("space", museum),
        url("voice", museum, voice=museum.camille.slug),
        url("feed_rss", museum),
        url("feed_atom", museum),
        url("voice_feed_rss", museum, voice=museum.camille.slug),
    ):
        content = client.get(address).content.decode()
        assert public.text in content, address
        assert secret.text not in content and draft.text not in content, address
    assert client.get(url("post", museum, pk=public.pk)).status_code == 200
    assert client.get(url("post", museum, pk=secret.pk)).status_code == 404
    assert client.get(url("post", museum, pk=draft.pk)).status_code == 404
    outsider = Client(headers={"Accept-Language": "en"})
    outsider.force_login(UserFactory())
    assert outsider.get(url("post", museum, pk=secret.pk)).status_code == 404
    assert client.get(reverse("voices:spaces")).status_code == 200


def test_inside_pages_need_a_member_and_the_right_role(client: Client, museum: Museum) -> None:
    inside = ["home", "strategy", "channels", "calendar", "figures", "team", "training"]
    for name in inside:
        response = client.get(url(name, museum))
        assert response.status_code == 302 and "/connexion/" in response["Location"], name
    client.force_login(UserFactory())
    for name in inside:
        assert client.get(url(name, museum)).status_code == 403, name
    client.force_login(museum.camille.user)
    for name in inside:
        assert client.get(url(name, museum)).status_code == 200, name
    assert client.get(url("queue", museum)).status_code == 403
    assert client.get(url("settings", museum)).status_code == 403
    client.force_login(museum.reviewer)
    assert client.get(url("queue", museum)).status_code == 200
    client.force_login(museum.admin)
    assert client.get(url("settings", museum)).status_code == 200
    assert client.get(url("figures_csv", museum)).status_code == 200


def test_a_voice_writes_and_submits_from_the_editor(client: Client, museum: Museum) -> None:
    client.force_login(museum.camille.user)
    page = client.get(url("post_new", museum))
    content = page.content.decode()
    assert 'data-limit="5000"' in content
    assert "Le muséum se visite en famille" in content  # the strategy beside the editor
    response = client.post(
        url("post_new", museum),
        {
            "text": "Les phasmes ont mué cette nuit.",
            "tone": "humorous",
            "tags": "minéralogie",
            "channels": [museum.site.pk],
            "audience": museum.audience.pk,
            "key_message": museum.message.pk,
            "submit": "1",
        },
    )
    post = Post.objects.get(text="Les phasmes ont mué cette nuit.")
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.state == PostState.HELD
    detail = client.get(post.get_absolute_url()).content.decode()
    assert "outside the author’s declared expertise" in detail

    client.force_login(museum.reviewer)
    queue = client.get(url("queue", museum)).content.decode()
    assert "Les phasmes ont mué cette nuit." in queue


def test_the_editor_refuses_an_image_without_alt_text(client: Client, museum: Museum) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    client.force_login(museum.camille.user)
    response = client.post(
        url("post_new", museum),
        {
            "text": "Une photo",
            "tone": "warm",
            "channels": [museum.site.pk],
            "image": SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png"),
            "image_alt": "",
        },
    )
    assert response.status_code == 200
    assert not Post.objects.filter(text="Une photo").exists()


def test_the_channels_page_explains_strategy_first(client: Client, museum: Museum) -> None:
    museum.message.delete()
    client.force_login(museum.admin)
    content = client.get(url("channels", museum)).content.decode()
    assert "Strategy before the tool." in content
    assert "at least one key message" in content
    assert 'name="kind"' not in content


def test_a_reviewer_approves_from_the_queue(client: Client, museum: Museum) -> None:
    post = posts.save_draft(
        voice=museum.camille,
        by=museum.camille.user,
        text="Un minéral",
        channels=[museum.site],
        tags="minéralogie",
    )
    posts.submit(post=post, by=museum.camille.user)
    from maillage.core.review import ReviewRecord

    record = ReviewRecord.objects.for_content(post).get()
    client.force_login(museum.reviewer)
    response = client.post(url("approve", museum, pk=record.pk), {"note": "Bien vu."})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state in (PostState.SCHEDULED, PostState.PUBLISHED)
    assert post.decision_note == "Bien vu."


def count_queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["space", "home", "feed_rss", "queue", "calendar"])
def test_list_pages_have_a_pinned_query_count(client: Client, museum: Museum, name: str) -> None:
    client.force_login(museum.admin)
    published(museum)
    held(museum)
    address = url(name, museum)
    client.get(address)  # process-wide caches (content types, …) filled once
    few = count_queries(client, address)
    for number in range(6):
        published(museum, f"Encore un carabe {number}", voice=museum.yann if number % 2 else None)
        held(museum)
    assert count_queries(client, address) == few
