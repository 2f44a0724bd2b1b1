"""Actions on articles: writing (members), publishing for the network (coordinators), archiving,
links to go further and readers' suggestions of links.

The status moves only through the named transitions below: draft → published (now, or scheduled
for a later date) → archived; a coordinator may take a published article back to draft. Emails
leave through tasks once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.articles.models import (
    Article,
    ArticleAttachment,
    ArticleOrigin,
    ArticleStatus,
    ArticleVisibility,
    FurtherLink,
    LinkSuggestion,
    SuggestionStatus,
)
from maillage.core import search
from maillage.core.db import write_transaction
from maillage.core.models import Tag
from maillage.events.models import Event
from maillage.members.models import User


class ArticleError(Exception):
    """An action on an article that cannot be done; str() says why, to a person."""

    default_message: str | Promise = _("This action is not possible.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class InvalidTransition(ArticleError):
    default_message = _("The article cannot go to that state from its current one.")


class InvalidArticle(ArticleError):
    default_message = _("Some information is missing or wrong.")


class VerbatimOnly(ArticleError):
    default_message = _(
        "The licence of this article forbids changes: its title, summary, text and licence stay "
        "as its author published them. Tags, cover image and status can still change."
    )


class NotAllowed(ArticleError, PermissionDenied):
    default_message = _("Only the article's authors and the coordinators can do this.")


# --- Who may do what -----------------------------------------------------------------------------


def _is_member(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_write(user: Any) -> bool:
    """Every member may write articles (they stay drafts until a coordinator publishes them)."""
    return _is_member(user)


def can_publish(user: Any) -> bool:
    return _is_member(user) and bool(user.is_coordinator)


def is_author(user: Any, article: Article) -> bool:
    if not _is_member(user) or article.pk is None:
        return False
    return article.authors.filter(pk=user.pk).exists()


def can_report_on(user: Any, event: Event) -> bool:
    """An event's team (its organisers, facilitators and creator) and the coordinators write its
    report: the events app's rule for who manages an event."""
    from maillage.events.services import can_manage_event

    return _is_member(user) and can_manage_event(user, event)


def can_edit(user: Any, article: Article) -> bool:
    """Coordinators, the authors, and for a report the event's team (as when it was closed)."""
    if can_publish(user) or is_author(user, article):
        return True
    event = article.event if article.event_id is not None else None
    return event is not None and can_report_on(user, event)


def _require(allowed: bool, message: str | Promise | None = None) -> None:
    if not allowed:
        raise NotAllowed(message)


COORDINATORS_PUBLISH = _("Only the network's coordinators publish articles.")


# --- Writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleSource:
    """Where an article taken from a partner comes from (the syndication app fills it in)."""

    origin: ArticleOrigin
    url: str
    site_name: str
    site_url: str = ""
    author: str = ""
    published_at: datetime | None = None
    licence_url: str = ""


@dataclass(frozen=True)
class ArticleContent:
    title: str
    body: str
    summary: str = ""
    tag_names: str = ""
    licence: str = ""
    language: str = "fr"
    visibility: str = "public"
    event: Event | None = None
    cover_image: UploadedFile | None = None
    cover_alt: str = ""
    remove_cover: bool = False
    authors: tuple[User, ...] = ()
    # None leaves the article's origin as it is (editing never changes where it comes from).
    source: ArticleSource | None = None


def _changes_verbatim_fields(article: Article, content: ArticleContent) -> bool:
    """Whether `content` would change what a NoDerivatives licence keeps (compared as _apply
    stores them: stripped; an empty licence leaves the article's own)."""
    return (
        content.title.strip() != article.title.strip()
        or content.summary.strip() != article.summary.strip()
        or content.body.strip() != article.body.strip()
        or bool(content.licence and content.licence != article.licence)
    )


def _apply(article: Article, content: ArticleContent) -> None:
    if not content.title.strip() or not content.body.strip():
        raise InvalidArticle(_("An article needs a title and a text."))
    article.title = content.title.strip()
    article.summary = content.summary.strip()
    article.body = content.body.strip()
    if content.licence:
        article.licence = content.licence
    article.language = content.language or "fr"
    article.visibility = content.visibility
    article.event = content.event
    article.cover_alt = content.cover_alt.strip()
    if content.remove_cover and article.cover_image:
        article.cover_image.delete(save=False)
        article.cover_image = ""
    if content.cover_image is not None:
        article.cover_image = content.cover_image
    if article.cover_image and not article.cover_alt:
        raise InvalidArticle(_("Describe the image for people who cannot see it."))
    if content.source is not None:
        _apply_source(article, content.source)


def _apply_source(article: Article, source: ArticleSource) -> None:
    if source.origin != ArticleOrigin.OWN and not source.url.strip():
        raise InvalidArticle(_("An article taken from a partner needs the original's address."))
    article.origin = source.origin
    article.original_url = source.url.strip()
    article.original_site_name = source.site_name.strip()[:200]
    article.original_site_url = source.site_url.strip()
    article.original_author = source.author.strip()[:200]
    article.original_published_at = source.published_at
    article.original_licence_url = source.licence_url.strip()


def create_article(*, by: User, content: ArticleContent) -> Article:
    """A new draft written by `by` (and the co-authors named)."""
    _require(can_write(by))
    with write_transaction():
        article = Article(created_by=by, status=ArticleStatus.DRAFT)
        _apply(article, content)
        article.save()
        article.authors.set({by, *content.authors})
        article.tags.set(Tag.objects.for_names(content.tag_names))
        search.index(article)
    return article


def update_article(*, article: Article, by: User, content: ArticleContent) -> Article:
    """Change what an article says; its status stays (see the transitions). The words of an
    article republished under a NoDerivatives licence are refused, not silently kept."""
    _require(can_edit(by, article))
    if article.is_verbatim_only and _changes_verbatim_fields(article, content):
        raise VerbatimOnly()
    with write_transaction():
        _apply(article, content)
        article.save()
        if content.authors:
            article.authors.set(content.authors)
        article.tags.set(Tag.objects.for_names(content.tag_names))
        search.index(article)
    return article


# --- Transitions ---------------------------------------------------------------------------------


def _reread(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _copy_state(target: Article, source: Article) -> None:
    for name in ("status", "published_at", "published_by_id", "archived_at", "updated_at"):
        setattr(target, name, getattr(source, name))


def publish_article(*, article: Article, by: User, at: datetime | None = None) -> Article:
    """draft → published, now or from `at` (a later date schedules it: it shows only then).

    An archived article comes back with its first publication date unless `at` is given.
    """
    _require(can_publish(by), COORDINATORS_PUBLISH)
    with write_transaction():
        locked = _reread(article)
        now = timezone.now()
        scheduled = locked.published_at is not None and locked.published_at > now
        if locked.status == ArticleStatus.PUBLISHED and at is None and not scheduled:
            raise InvalidTransition(_("This article is already published."))
        if locked.status != ArticleStatus.ARCHIVED or at is not None:
            locked.published_at = at or now
        locked.status = ArticleStatus.PUBLISHED
        locked.published_by = by
        locked.archived_at = None
        locked.save(
            update_fields=["status", "published_at", "published_by", "archived_at", "updated_at"]
        )
        search.index(locked)
    _copy_state(article, locked)
    return article


def unpublish_article(*, article: Article, by: User) -> Article:
    """published → draft (a coordinator takes it back for changes)."""
    _require(can_publish(by), COORDINATORS_PUBLISH)
    with write_transaction():
        locked = _reread(article)
        if locked.status != ArticleStatus.PUBLISHED:
            raise InvalidTransition(_("Only a published article can go back to draft."))
        locked.status = ArticleStatus.DRAFT
        locked.published_at = None
        locked.save(update_fields=["status", "published_at", "updated_at"])
        search.index(locked)
    _copy_state(article, locked)
    return article


def archive_article(*, article: Article, by: User) -> Article:
    """published → archived: still readable at its address, out of lists and feeds."""
    _require(can_edit(by, article))
    with write_transaction():
        locked = _reread(article)
        if locked.status != ArticleStatus.PUBLISHED:
            raise InvalidTransition(_("Only a published article can be archived."))
        locked.status = ArticleStatus.ARCHIVED
        locked.archived_at = timezone.now()
        locked.save(update_fields=["status", "archived_at", "updated_at"])
        search.index(locked)
    _copy_state(article, locked)
    return article


# --- Links to go further -------------------------------------------------------------------------


def _next_position(article: Article) -> int:
    last = article.further_links.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def add_further_link(
    *, article: Article, by: User, title: str, url: str, note: str = ""
) -> FurtherLink:
    _require(can_edit(by, article))
    with write_transaction():
        return FurtherLink.objects.create(
            article=article,
            title=(title.strip() or url)[:200],
            url=url.strip(),
            note=note.strip()[:300],
            position=_next_position(article),
        )


def remove_further_link(*, link: FurtherLink, by: User) -> None:
    _require(can_edit(by, link.article))
    with write_transaction():
        link.delete()


def suggest_link(
    *,
    article: Article,
    url: str,
    title: str = "",
    note: str = "",
    user: User | None = None,
    name: str = "",
    email: str = "",
) -> LinkSuggestion:
    """Any reader proposes a link: a member as themselves, a guest with a name and an address.
    The authors are told by email."""
    if user is not None:
        name, email = user.display_name, user.email
    if not url.strip() or not name.strip():
        raise InvalidArticle()
    with write_transaction():
        suggestion = LinkSuggestion.objects.create(
            article=article,
            url=url.strip(),
            title=(title.strip() or url.strip())[:200],
            note=note.strip()[:300],
            user=user,
            name=name.strip()[:120],
            email=email.strip().lower(),
        )
        _queue_email(suggestion, "suggestion_received")
    return suggestion


def _pending(suggestion: LinkSuggestion) -> LinkSuggestion:
    locked = (
        LinkSuggestion.objects.select_for_update().select_related("article").get(pk=suggestion.pk)
    )
    if locked.status != SuggestionStatus.PENDING:
        raise InvalidTransition(_("This suggestion has already been answered."))
    return locked


def accept_suggestion(*, suggestion: LinkSuggestion, by: User) -> FurtherLink:
    """The suggestion becomes a link to go further, credited to the person who suggested it."""
    _require(can_edit(by, suggestion.article))
    with write_transaction():
        locked = _pending(suggestion)
        link = FurtherLink.objects.create(
            article=locked.article,
            title=locked.title,
            url=locked.url,
            note=locked.note,
            position=_next_position(locked.article),
            suggested_by=locked.user,
            suggested_by_name=locked.name,
        )
        locked.status = SuggestionStatus.ACCEPTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.link = link
        locked.save()
        _queue_email(locked, "suggestion_accepted")
    suggestion.status, suggestion.link = locked.status, link
    return link


def decline_suggestion(*, suggestion: LinkSuggestion, by: User, reason: str = "") -> None:
    _require(can_edit(by, suggestion.article))
    with write_transaction():
        locked = _pending(suggestion)
        locked.status = SuggestionStatus.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.reason = reason.strip()[:500]
        locked.save()
        _queue_email(locked, "suggestion_declined")
    suggestion.status = locked.status


def _queue_email(suggestion: LinkSuggestion, kind: str) -> None:
    from maillage.articles import tasks

    suggestion_id = suggestion.pk
    transaction.on_commit(lambda: tasks.send_suggestion_email(suggestion_id, kind))


def authors_to_notify(article: Article) -> Iterable[User]:
    return article.authors.filter(is_active=True)


# --- Attachments ---------------------------------------------------------------------------------


def _attach(
    article: Article, attachments: Sequence[tuple[str, UploadedFile]]
) -> list[ArticleAttachment]:
    return [
        ArticleAttachment.objects.create(
            article=article, title=(title.strip() or upload.name or "")[:200], file=upload
        )
        for title, upload in attachments
    ]


def add_attachment(
    *, article: Article, by: User, title: str, file: UploadedFile
) -> ArticleAttachment:
    """A file for the article's readers (slides, photos); an untitled one takes the file's name."""
    _require(can_edit(by, article))
    with write_transaction():
        [attachment] = _attach(article, [(title, file)])
    return attachment


def remove_attachment(*, attachment: ArticleAttachment, by: User) -> None:
    """The row goes, and the stored file once the transaction has committed."""
    _require(can_edit(by, attachment.article))
    file = attachment.file
    with write_transaction():
        attachment.delete()
        transaction.on_commit(lambda: file.delete(save=False))


# --- Workshop reports ----------------------------------------------------------------------------


def report_visibility(event: Event) -> str:
    """A public event's report is public; any other is for members, and the selectors also keep a
    report to the people who may see its event (a private workshop's report stays with them)."""
    return ArticleVisibility.PUBLIC if event.visibility == "public" else ArticleVisibility.MEMBERS


def publish_event_report(
    *,
    event: Event,
    by: User,
    title: str,
    body: str,
    summary: str = "",
    links: Sequence[tuple[str, str]] = (),
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> Article:
    """The report an event's team writes when closing the event: an article attached to it,
    published at once under the event's licence and topics, written by `by`, with its links to go
    further and its attachments. Closing the event is the team's decision to publish: no
    coordinator needs to publish it (the events app calls this while closing)."""
    _require(can_report_on(by, event), _("Only the event's team writes its report."))
    content = ArticleContent(
        title=title,
        summary=summary,
        body=body,
        licence=event.licence,
        visibility=report_visibility(event),
        event=event,
    )
    with write_transaction():
        now = timezone.now()
        article = Article(
            created_by=by, status=ArticleStatus.PUBLISHED, published_at=now, published_by=by
        )
        _apply(article, content)
        article.save()
        article.authors.set([by])
        article.tags.set(event.tags.all())
        given = [(link_title.strip(), url.strip()) for link_title, url in links if url.strip()]
        FurtherLink.objects.bulk_create(
            FurtherLink(
                article=article, title=(text or url)[:200], url=url, position=index, added_at=now
            )
            for index, (text, url) in enumerate(given)
        )
        _attach(article, attachments)
        search.index(article)
    return article
