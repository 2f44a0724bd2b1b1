"""Queries that read articles, always on behalf of a viewer.

Who sees what: a published article whose date has come follows its visibility (public, or
members of the network); an archived one stays readable at its address but leaves lists and
feeds; drafts and scheduled articles are seen by their authors and the coordinators only.
Lists prefetch authors and tags, so a page costs the same few queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from maillage.articles import services
from maillage.articles.models import (
    Article,
    ArticleQuerySet,
    ArticleStatus,
    FurtherLink,
    LinkSuggestion,
    SuggestionStatus,
)
from maillage.core.models import Tag
from maillage.core.visibility import levels_visible_to
from maillage.events.models import Event
from maillage.members.models import User

ARTICLE_PAGE_SIZE = 10
HOME_ARTICLE_COUNT = 4
FEED_ITEM_COUNT = 30


class Kind:
    ARTICLE = "article"
    REPORT = "report"


def _authored_by(viewer: Any) -> Q:
    return Q(Exists(Article.authors.through.objects.filter(article=OuterRef("pk"), user=viewer.pk)))


def _readable(viewer: Any, now: Any) -> Q:
    """Published or archived, its date come, at a level the viewer may read."""
    return Q(
        status__in=[ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED],
        published_at__lte=now,
        visibility__in=levels_visible_to(viewer),
    )


def _event_seen_by(viewer: Any) -> Q:
    """A report is read only by people who may see its event: a private workshop's report stays
    with the people of that workshop, whatever the article's own level says."""
    from maillage.events.selectors import visible_events

    return Q(event__isnull=True) | Q(event__in=visible_events(viewer).values("pk"))


def visible_articles(viewer: Any) -> ArticleQuerySet:
    """Every article the viewer may open, drafts included for those allowed to see them."""
    articles = Article.objects.all()
    if services.can_publish(viewer):
        return articles
    readable = _readable(viewer, timezone.now()) & _event_seen_by(viewer)
    if services.can_write(viewer):
        return articles.filter(readable | _authored_by(viewer))
    return articles.filter(readable)


def _with_card_data(articles: ArticleQuerySet) -> ArticleQuerySet:
    return articles.select_related("event").prefetch_related(
        Prefetch("authors", queryset=User.objects.order_by("display_name", "pk")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    )


def _listed(viewer: Any) -> ArticleQuerySet:
    return (
        visible_articles(viewer)
        .filter(status=ArticleStatus.PUBLISHED, published_at__lte=timezone.now())
        .filter(visibility__in=levels_visible_to(viewer))
        .filter(_event_seen_by(viewer))
    )


def listed_articles(viewer: Any) -> ArticleQuerySet:
    """What lists show: published and due, visible to the viewer, latest first."""
    return _with_card_data(_listed(viewer).order_by("-published_at", "-pk"))


@dataclass(frozen=True)
class ArticleFilters:
    tag: str = ""  # a tag's slug
    author: int | None = None  # a member's id
    kind: str = ""  # Kind.ARTICLE or Kind.REPORT


def _filtered(articles: ArticleQuerySet, filters: ArticleFilters | None) -> ArticleQuerySet:
    if filters is None:
        return articles
    if filters.tag:
        articles = articles.filter(
            Exists(
                Article.tags.through.objects.filter(article=OuterRef("pk"), tag__slug=filters.tag)
            )
        )
    if filters.author:
        articles = articles.filter(
            Exists(
                Article.authors.through.objects.filter(article=OuterRef("pk"), user=filters.author)
            )
        )
    if filters.kind == Kind.REPORT:
        articles = articles.reports()
    elif filters.kind == Kind.ARTICLE:
        articles = articles.not_reports()
    return articles


def articles_for(viewer: Any, filters: ArticleFilters | None = None) -> ArticleQuerySet:
    return _filtered(listed_articles(viewer), filters)


def drafts_of(viewer: Any) -> ArticleQuerySet:
    """The viewer's own articles not (yet) shown to readers: drafts and scheduled ones."""
    if not services.can_write(viewer):
        return Article.objects.none()
    waiting = Q(status=ArticleStatus.DRAFT) | Q(
        status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now()
    )
    return Article.objects.filter(waiting).filter(_authored_by(viewer)).order_by("-updated_at")


def latest_articles_for(viewer: Any, count: int = HOME_ARTICLE_COUNT) -> list[Article]:
    """The home page's latest articles and reports."""
    return list(listed_articles(viewer)[:count])


def tags_in_use_for(viewer: Any) -> QuerySet[Tag]:
    """Tags of the articles the viewer can find in the list (the filter's choices)."""
    return Tag.objects.filter(Exists(listed_articles(viewer).filter(tags=OuterRef("pk")))).order_by(
        "name"
    )


def authors_in_use_for(viewer: Any) -> QuerySet[User]:
    return User.objects.filter(
        Exists(listed_articles(viewer).filter(authors=OuterRef("pk")))
    ).order_by("display_name", "pk")


def article_for(viewer: Any, slug: str) -> Article | None:
    """One article's page, or None when it does not exist or the viewer may not see it."""
    return (
        _with_card_data(visible_articles(viewer))
        .prefetch_related(
            "attachments",
            Prefetch(
                "further_links",
                queryset=FurtherLink.objects.select_related("suggested_by").order_by(
                    "position", "pk"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def can_read(viewer: Any, article: Article) -> bool:
    """visible_articles' rule for one article already loaded (comments ask it of their target)."""
    return visible_articles(viewer).filter(pk=article.pk).exists()


def public_article_ids() -> list[int]:
    """Articles anyone may read now (archived ones included: they keep their address)."""
    return list(visible_articles(None).values_list("pk", flat=True))


def pending_suggestions(article: Article) -> QuerySet[LinkSuggestion]:
    return article.suggestions.filter(status=SuggestionStatus.PENDING).order_by("created_at")


def reports_for_event(event: Event, viewer: Any) -> list[Article]:
    """The published reports of an event that the viewer may read, first published first."""
    return list(listed_articles(viewer).filter(event=event).order_by("published_at", "pk"))


def first_report(event: Event, viewer: Any) -> Article | None:
    """The event's first report the viewer may read in lists (the one its page shows)."""
    return _listed(viewer).filter(event=event).order_by("published_at", "pk").first()


def first_report_slug(viewer: Any) -> Subquery:
    """For annotating events: the slug of the first report of each event that the viewer may read
    in lists (the one the event's page and cards link to), or None."""
    reports = _listed(viewer).filter(event=OuterRef("pk")).order_by("published_at", "pk")
    return Subquery(reports.values("slug")[:1])


def open_to_everyone(article: Article) -> bool:
    """Anyone may read it (its files may then be cached by anyone, and search engines index it)."""
    event = article.event
    event_public = event is None or (event.visibility == "public" and event.status != "draft")
    return article.is_live and article.is_public and event_public


def feed_articles(*, tag: str = "", author: int | None = None) -> ArticleQuerySet:
    """Public, published articles (a feed reader is nobody: what anyone may read)."""
    return articles_for(None, ArticleFilters(tag=tag, author=author))[:FEED_ITEM_COUNT]


def events_to_report_on(viewer: Any) -> QuerySet[Event]:
    """Events an article may be attached to: announced ones, the viewer may see, latest first."""
    from maillage.events.selectors import visible_events

    return visible_events(viewer).exclude(status="draft").order_by("-starts_at")
