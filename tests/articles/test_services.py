"""Articles engine: writing, named transitions, scheduling, links to go further, suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.articles import selectors, services
from maillage.articles.models import (
    Article,
    ArticleStatus,
    FurtherLink,
    LinkSuggestion,
    SuggestionStatus,
)
from maillage.core.licences import Licence
from tests.factories import ArticleFactory, EventFactory, LinkSuggestionFactory

pytestmark = pytest.mark.django_db


def content(**fields: object) -> services.ArticleContent:
    values: dict[str, object] = {"title": "Ouvrir un compte", "body": "Un **texte**."}
    values.update(fields)
    return services.ArticleContent(**values)  # type: ignore[arg-type]


# --- Writing -------------------------------------------------------------------------------------


def test_a_member_writes_a_draft_with_defaults(author):
    article = services.create_article(
        by=author, content=content(tag_names="Wikipédia, wikipedia, musées")
    )
    assert article.status == ArticleStatus.DRAFT
    assert article.published_at is None
    assert article.licence == Licence.CC_BY_SA
    assert article.language == "fr"
    assert list(article.authors.all()) == [author]
    assert sorted(tag.name for tag in article.tags.all()) == ["Wikipédia", "musées"]
    assert article.slug == "ouvrir-un-compte"
    assert str(article) == "Ouvrir un compte"


def test_slugs_are_unique_and_never_shadow_pages(author):
    first = services.create_article(by=author, content=content(title="Nouveau"))
    second = services.create_article(by=author, content=content(title="Nouveau"))
    assert first.slug == "nouveau-2"
    assert second.slug == "nouveau-3"


def test_a_title_and_a_text_are_required(author):
    with pytest.raises(services.InvalidArticle):
        services.create_article(by=author, content=content(body="  "))


def test_anonymous_cannot_write():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.NotAllowed):
        services.create_article(by=AnonymousUser(), content=content())  # type: ignore[arg-type]


def test_only_authors_and_coordinators_edit(author, member, coordinator):
    article = services.create_article(by=author, content=content())
    with pytest.raises(services.NotAllowed):
        services.update_article(article=article, by=member, content=content(title="Volé"))
    services.update_article(article=article, by=coordinator, content=content(title="Relu"))
    article.refresh_from_db()
    assert article.title == "Relu"
    assert list(article.authors.all()) == [author]


def test_a_cover_image_needs_its_text_alternative_in_the_database(author):
    article = services.create_article(by=author, content=content())
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(cover_image="articles/x.png", cover_alt="")


def test_reading_time():
    article = Article(title="t", summary="", body="mot " * 401)
    assert article.reading_minutes == 3
    assert Article(title="t", body="court").reading_minutes == 1


# --- Transitions ---------------------------------------------------------------------------------


def test_only_coordinators_publish(author, coordinator):
    article = services.create_article(by=author, content=content())
    with pytest.raises(services.NotAllowed):
        services.publish_article(article=article, by=author)
    services.publish_article(article=article, by=coordinator)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert article.is_live
    with pytest.raises(services.InvalidTransition):
        services.publish_article(article=article, by=coordinator)


def test_scheduled_article_shows_only_from_its_date(author, coordinator, member):
    article = services.create_article(by=author, content=content())
    later = timezone.now() + timedelta(days=2)
    services.publish_article(article=article, by=coordinator, at=later)
    assert article.is_scheduled and not article.is_live
    assert selectors.article_for(None, article.slug) is None
    assert selectors.article_for(member, article.slug) is None
    assert selectors.article_for(author, article.slug) is not None
    assert list(selectors.articles_for(None)) == []
    assert article in selectors.drafts_of(author)
    # Once its date has come, everybody reads it.
    assert list(Article.objects.published(now=later + timedelta(seconds=1))) == [
        Article.objects.get(pk=article.pk)
    ]
    # A scheduled article can be published at once.
    services.publish_article(article=article, by=coordinator)
    assert article.is_live


def test_archive_and_back(author, coordinator):
    article = services.create_article(by=author, content=content())
    with pytest.raises(services.InvalidTransition):
        services.archive_article(article=article, by=author)
    services.publish_article(article=article, by=coordinator)
    first_date = article.published_at
    services.archive_article(article=article, by=author)
    assert article.status == ArticleStatus.ARCHIVED
    # Readable at its address, out of lists.
    assert selectors.article_for(None, article.slug) is not None
    assert list(selectors.articles_for(None)) == []
    services.publish_article(article=article, by=coordinator)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at == first_date


def test_unpublish_takes_it_back_to_draft(author, coordinator):
    article = services.create_article(by=author, content=content())
    with pytest.raises(services.InvalidTransition):
        services.unpublish_article(article=article, by=coordinator)
    services.publish_article(article=article, by=coordinator)
    with pytest.raises(services.NotAllowed):
        services.unpublish_article(article=article, by=author)
    services.unpublish_article(article=article, by=coordinator)
    assert article.status == ArticleStatus.DRAFT
    assert selectors.article_for(None, article.slug) is None


# --- Visibility ----------------------------------------------------------------------------------


def test_members_only_articles_are_for_members(member):
    article = ArticleFactory(visibility="members")
    assert selectors.article_for(None, article.slug) is None
    assert selectors.article_for(member, article.slug) == article
    assert list(selectors.articles_for(None)) == []
    assert list(selectors.articles_for(member)) == [article]


def test_drafts_are_seen_by_their_authors_and_coordinators(author, member, coordinator):
    article = ArticleFactory(status="draft", published_at=None, authors=[author])
    assert selectors.article_for(None, article.slug) is None
    assert selectors.article_for(member, article.slug) is None
    assert selectors.article_for(author, article.slug) == article
    assert selectors.article_for(coordinator, article.slug) == article
    for viewer in (None, member, author, coordinator):
        assert list(selectors.articles_for(viewer)) == []


def test_reports_for_event(member):
    event = EventFactory()
    report = ArticleFactory(event=event, title="Compte-rendu")
    ArticleFactory(event=event, visibility="members", title="Pour les membres")
    ArticleFactory(event=event, status="draft", published_at=None)
    ArticleFactory(title="Autre chose")
    assert selectors.reports_for_event(event, None) == [report]
    assert {a.title for a in selectors.reports_for_event(event, member)} == {
        "Compte-rendu",
        "Pour les membres",
    }


def test_filters(author, member):
    from maillage.core.models import Tag

    wiki = Tag.objects.create(name="Wikipédia")
    report = ArticleFactory(event=EventFactory(), tags=[wiki], authors=[author])
    article = ArticleFactory(authors=[member])
    by_kind = selectors.ArticleFilters(kind=selectors.Kind.REPORT)
    assert list(selectors.articles_for(None, by_kind)) == [report]
    by_kind = selectors.ArticleFilters(kind=selectors.Kind.ARTICLE)
    assert list(selectors.articles_for(None, by_kind)) == [article]
    assert list(selectors.articles_for(None, selectors.ArticleFilters(tag="wikipedia"))) == [report]
    by_author = selectors.ArticleFilters(author=member.pk)
    assert list(selectors.articles_for(None, by_author)) == [article]


# --- Links to go further and suggestions ---------------------------------------------------------


def test_links_are_appended_in_order_and_only_by_editors(author, member):
    article = ArticleFactory(authors=[author])
    services.add_further_link(article=article, by=author, title="Un", url="https://un.example/")
    services.add_further_link(article=article, by=author, title="", url="https://deux.example/")
    assert [(link.title, link.position) for link in article.further_links.all()] == [
        ("Un", 0),
        ("https://deux.example/", 1),
    ]
    with pytest.raises(services.NotAllowed):
        services.add_further_link(article=article, by=member, title="X", url="https://x.example/")
    with pytest.raises(services.NotAllowed):
        services.remove_further_link(link=article.further_links.first(), by=member)
    services.remove_further_link(link=article.further_links.first(), by=author)
    assert article.further_links.count() == 1


def test_a_guest_suggestion_is_accepted_with_credit(author, committed):
    article = ArticleFactory(authors=[author], title="Nos freins")
    with committed():
        suggestion = services.suggest_link(
            article=article,
            url="https://exemple.org/guide",
            title="Un guide",
            note="Très concret.",
            name="Yann Lecteur",
            email="Yann@Example.org",
        )
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.email == "yann@example.org"
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "Yann Lecteur" in mail.outbox[0].body
    assert "Nos freins" in mail.outbox[0].subject
    mail.outbox.clear()

    with committed():
        link = services.accept_suggestion(suggestion=suggestion, by=author)
    assert (link.title, link.url, link.note) == (
        "Un guide",
        "https://exemple.org/guide",
        "Très concret.",
    )
    assert link.suggested_by_name == "Yann Lecteur"
    assert link.suggested_by is None
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.link == link
    assert suggestion.decided_by == author
    assert [message.to for message in mail.outbox] == [["yann@example.org"]]
    with pytest.raises(services.InvalidTransition):
        services.decline_suggestion(suggestion=suggestion, by=author)


def test_a_member_suggestion_credits_the_member(author, member):
    article = ArticleFactory(authors=[author])
    suggestion = services.suggest_link(article=article, url="https://a.example/", user=member)
    assert (suggestion.name, suggestion.email, suggestion.title) == (
        member.display_name,
        member.email,
        "https://a.example/",
    )
    link = services.accept_suggestion(suggestion=suggestion, by=author)
    assert link.suggested_by == member
    assert link.suggested_by_name == member.display_name


def test_a_suggestion_is_declined_with_a_note(author, coordinator, member, committed):
    suggestion = LinkSuggestionFactory(article=ArticleFactory(authors=[author]))
    with pytest.raises(services.NotAllowed):
        services.decline_suggestion(suggestion=suggestion, by=member)
    with committed():
        services.decline_suggestion(suggestion=suggestion, by=coordinator, reason="Hors sujet.")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECLINED
    assert suggestion.reason == "Hors sujet."
    assert FurtherLink.objects.count() == 0
    assert [message.to for message in mail.outbox] == [[suggestion.email]]
    assert "Hors sujet." in mail.outbox[0].body


def test_an_email_that_no_longer_applies_is_not_sent(author):
    from maillage.articles.notifications import send_suggestion_email

    suggestion = LinkSuggestionFactory(article=ArticleFactory(authors=[author]))
    services.decline_suggestion(suggestion=suggestion, by=author)
    suggestion.refresh_from_db()
    assert send_suggestion_email(suggestion, "suggestion_received") == 0
    assert send_suggestion_email(suggestion, "suggestion_accepted") == 0


def test_models_have_readable_names():
    suggestion = LinkSuggestionFactory(title="Guide", name="Yann")
    assert str(suggestion) == "Guide (Yann)"
    link = FurtherLink(title="Lien")
    assert str(link) == "Lien"
    assert LinkSuggestion.objects.count() == 1


def test_can_read_and_public_ids_follow_the_same_rule(author, member):
    public = ArticleFactory()
    archived = ArticleFactory(status="archived")
    members_only = ArticleFactory(visibility="members")
    draft = ArticleFactory(status="draft", published_at=None, authors=[author])
    assert sorted(selectors.public_article_ids()) == sorted([public.pk, archived.pk])
    assert selectors.can_read(None, public)
    assert not selectors.can_read(None, members_only)
    assert selectors.can_read(member, members_only)
    assert not selectors.can_read(member, draft)
    assert selectors.can_read(author, draft)


def test_published_visible_to_is_the_readers_rule(member):
    public = ArticleFactory()
    members_only = ArticleFactory(visibility="members")
    ArticleFactory(status="draft", published_at=None)
    assert list(Article.objects.published().visible_to(None)) == [public]
    assert set(Article.objects.published().visible_to(member)) == {public, members_only}
