"""A partner's article republished under a NoDerivatives licence keeps its words: the edit form
shows them disabled, the service refuses a change; its tags, cover image and status still move."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from maillage.articles import services
from maillage.articles.models import ArticleOrigin, ArticleStatus
from maillage.core.licences import Licence
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = "## Un atelier à Brest\n\nLe texte tel que son autrice l’a publié."


def republication(licence: Licence, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "title": "Un atelier à Brest",
        "summary": "Ce que l’atelier a appris.",
        "body": BODY,
        "licence": licence,
        "origin": ArticleOrigin.REPUBLISHED,
        "original_url": "https://partenaire.example/2014/atelier-brest",
        "original_site_name": "Finistère en communs",
    }
    values.update(overrides)
    return ArticleFactory(**values)


def edit_data(article, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tag_names": "",
        "language": article.language,
        "licence": article.licence,
        "visibility": article.visibility,
        "authors": [author.pk for author in article.authors.all()],
    }
    data.update(overrides)
    return data


def content_of(article, **overrides) -> services.ArticleContent:  # type: ignore[no-untyped-def]
    values = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "licence": article.licence,
        "language": article.language,
        "visibility": article.visibility,
    }
    values.update(overrides)
    return services.ArticleContent(**values)


@pytest.mark.parametrize("licence", [Licence.CC_BY_ND, Licence.CC_BY_NC_ND])
def test_edit_form_of_a_noderivatives_republication_shows_the_words_disabled(
    client, coordinator, licence
):
    article = republication(licence)
    client.force_login(coordinator)
    response = client.get(reverse("articles:edit", args=[article.slug]))
    form = response.context["form"]
    assert [name for name, field in form.fields.items() if field.disabled] == [
        "title",
        "summary",
        "body",
        "licence",
    ]
    page = response.content.decode()
    assert "NoDerivatives licence: the republished text stays as its author published it." in page
    assert page.count(" disabled") == 4  # title, summary, body, licence; not tags nor the image
    assert "Le texte tel que son autrice" in page  # shown, to be read


def test_a_post_changing_the_words_of_a_noderivatives_republication_changes_only_the_rest(
    client, coordinator
):
    article = republication(Licence.CC_BY_ND)
    client.force_login(coordinator)
    response = client.post(
        reverse("articles:edit", args=[article.slug]),
        edit_data(
            article,
            title="Un titre refait",
            body="Un texte réécrit.",
            summary="",
            licence=Licence.CC_BY_SA,
            tag_names="médiation numérique, Brest",
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.summary, article.body, article.licence) == (
        "Un atelier à Brest",
        "Ce que l’atelier a appris.",
        BODY,
        Licence.CC_BY_ND,
    )
    assert sorted(tag.name for tag in article.tags.all()) == ["Brest", "médiation numérique"]


def test_the_service_refuses_a_change_of_the_words_with_a_clear_error(coordinator):
    article = republication(Licence.CC_BY_NC_ND)
    for change in (
        {"body": "Un texte réécrit."},
        {"title": "Un titre refait"},
        {"summary": "Un autre résumé."},
        # Changing the licence first would open the way to changing the words.
        {"licence": Licence.CC_BY_SA},
    ):
        with pytest.raises(services.VerbatimOnly, match="forbids changes"):
            services.update_article(
                article=article, by=coordinator, content=content_of(article, **change)
            )
    article.refresh_from_db()
    assert (article.title, article.body, article.licence) == (
        "Un atelier à Brest",
        BODY,
        Licence.CC_BY_NC_ND,
    )


def test_tags_and_status_of_a_noderivatives_republication_still_change(coordinator):
    article = republication(Licence.CC_BY_ND)
    # The same words, padded as a textarea may send them back: not a change.
    services.update_article(
        article=article,
        by=coordinator,
        content=content_of(article, body=f"{BODY}\n", tag_names="wikipédia"),
    )
    assert [tag.name for tag in article.tags.all()] == ["wikipédia"]
    services.unpublish_article(article=article, by=coordinator)
    assert article.status == ArticleStatus.DRAFT


def test_a_by_sa_republication_stays_editable(client, coordinator):
    article = republication(Licence.CC_BY_SA)
    client.force_login(coordinator)
    response = client.get(reverse("articles:edit", args=[article.slug]))
    assert not any(field.disabled for field in response.context["form"].fields.values())
    assert "NoDerivatives licence" not in response.content.decode()
    response = client.post(
        reverse("articles:edit", args=[article.slug]),
        edit_data(article, body="Un texte adapté pour le réseau."),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Un texte adapté pour le réseau."


def test_our_own_article_under_nd_stays_editable_by_its_author(coordinator):
    # ND binds others; the network's own authors change their own text as they like.
    article = ArticleFactory(licence=Licence.CC_BY_ND)
    assert not article.is_verbatim_only
    services.update_article(
        article=article, by=coordinator, content=content_of(article, body="Une version revue.")
    )
    article.refresh_from_db()
    assert article.body == "Une version revue."


def test_the_explanation_in_french(client, coordinator):
    article = republication(Licence.CC_BY_ND)
    client.force_login(coordinator)
    with translation.override("fr"):
        page = client.get(
            reverse("articles:edit", args=[article.slug]), headers={"Accept-Language": "fr"}
        ).content.decode()
    assert (
        "Licence sans modification\u00a0: le texte repris reste tel que publié par son auteur."
        in page
    )


def test_the_admin_shows_the_words_of_a_noderivatives_republication_read_only(client):
    from maillage.members.models import Role
    from tests.factories import UserFactory

    article = republication(Licence.CC_BY_ND)
    client.force_login(UserFactory(role=Role.COORDINATOR, is_staff=True))
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert not {"title", "summary", "body", "licence"} & set(fields)
    assert "tags" in fields and "cover_image" in fields
