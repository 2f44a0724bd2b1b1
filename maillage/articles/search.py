"""What the search index holds of articles (core.search): published ones as their visibility
(and their event's) says, from their publication date; drafts for their creator only."""

from __future__ import annotations

from django.db.models import QuerySet

from maillage.articles.models import Article, ArticleStatus
from maillage.core import search
from maillage.events.models import Event, EventStatus

# From the widest audience to the narrowest: a report is read by whom both allow.
_NARROWING = [search.Audience.PUBLIC, search.Audience.MEMBERS, search.Audience.PRIVATE]


def article_documents(article: Article) -> search.Document | None:
    owner = article.created_by_id
    event = article.event
    if article.status == ArticleStatus.DRAFT or (event and event.status == EventStatus.DRAFT):
        if owner is None:
            return None
        audience = search.Audience.PRIVATE
    else:
        audience = search.Audience(article.visibility)
        if event is not None:
            audience = max(audience, search.Audience(event.visibility), key=_NARROWING.index)
            if audience == search.Audience.PRIVATE:
                owner = event.created_by_id
    authors = list(article.authors.all())
    published_at = article.published_at if article.status != ArticleStatus.DRAFT else None
    return search.Document(
        title=article.title,
        body="\n".join(part for part in (article.summary, search.plain_text(article.body)) if part),
        tags=[tag.name for tag in article.tags.all()],
        language=article.language,
        audience=audience,
        owner_id=owner,
        members=[person.pk for person in authors],
        date=published_at or article.created_at,
        visible_from=published_at,
        url=article.get_absolute_url(),
        subject=event.title if event is not None else "",
        byline=", ".join(person.display_name for person in authors),
    )


def indexed_articles() -> QuerySet[Article]:
    return Article.objects.select_related("event").prefetch_related("tags", "authors")


def reports_of(event: Event) -> QuerySet[Article]:
    return indexed_articles().filter(event=event)


search.register(
    Article, kind=search.Kind.ARTICLE, documents=article_documents, queryset=indexed_articles
)
# A report follows its event's visibility: index it again when the event changes.
search.register_dependents(Event, reports_of)
