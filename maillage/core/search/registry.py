"""What the search index holds: each content app registers its models, one line each.

    search.register(Event, kind=Kind.EVENT, documents=event_documents, queryset=...)

`documents(instance)` returns the Document(s) to index for one instance, or None when it must
not be found at all (a held comment, an inactive member). Several documents for one instance
are the same content as different audiences see it (a member's profile: what everyone sees,
what members see).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """Kinds of content, as the results page groups them. Codes are stored in the index."""

    EVENT = "event", pgettext_lazy("search kind", "Events")
    ARTICLE = "article", pgettext_lazy("search kind", "Articles")
    COMMENT = "comment", pgettext_lazy("search kind", "Comments")
    BOOKMARK = "bookmark", pgettext_lazy("search kind", "Bookmarks")
    MEMBER = "member", pgettext_lazy("search kind", "Members")
    PROJECT = "project", pgettext_lazy("search kind", "Projects")
    POST = "post", pgettext_lazy("search kind", "Posts")
    MESSAGE = "message", pgettext_lazy("search kind", "List messages")
    QUESTION = "question", pgettext_lazy("search kind", "Questions and answers")
    OBJECTION = "objection", pgettext_lazy("search kind", "Objections")


# One result's kind, as its badge says.
KIND_NAMES = {
    Kind.EVENT: pgettext_lazy("search result", "Event"),
    Kind.ARTICLE: pgettext_lazy("search result", "Article"),
    Kind.COMMENT: pgettext_lazy("search result", "Comment"),
    Kind.BOOKMARK: pgettext_lazy("search result", "Bookmark"),
    Kind.MEMBER: pgettext_lazy("search result", "Member"),
    Kind.PROJECT: pgettext_lazy("search result", "Project"),
    Kind.POST: pgettext_lazy("search result", "Post"),
    Kind.MESSAGE: pgettext_lazy("search result", "List message"),
    Kind.QUESTION: pgettext_lazy("search result", "Question and answer"),
    Kind.OBJECTION: pgettext_lazy("search result", "Objection"),
}

# Stored in the SQLite index's row ids (4 bits): never renumber, only add.
KIND_CODES: dict[str, int] = {
    Kind.EVENT: 1,
    Kind.ARTICLE: 2,
    Kind.COMMENT: 3,
    Kind.BOOKMARK: 4,
    Kind.MEMBER: 5,
    Kind.PROJECT: 6,
    Kind.POST: 7,
    Kind.MESSAGE: 8,
    Kind.QUESTION: 9,
    Kind.OBJECTION: 10,
}
KINDS_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}

# What people may type after "type:" (French first, English too).
KIND_ALIASES: dict[str, str] = {
    **{kind.value: kind.value for kind in Kind},
    "evenement": Kind.EVENT,
    "evenements": Kind.EVENT,
    "atelier": Kind.EVENT,
    "ateliers": Kind.EVENT,
    "events": Kind.EVENT,
    "articles": Kind.ARTICLE,
    "commentaire": Kind.COMMENT,
    "commentaires": Kind.COMMENT,
    "comments": Kind.COMMENT,
    "signet": Kind.BOOKMARK,
    "signets": Kind.BOOKMARK,
    "veille": Kind.BOOKMARK,
    "bookmarks": Kind.BOOKMARK,
    "membre": Kind.MEMBER,
    "membres": Kind.MEMBER,
    "members": Kind.MEMBER,
    "projet": Kind.PROJECT,
    "projets": Kind.PROJECT,
    "projects": Kind.PROJECT,
    "posts": Kind.POST,
    "publication": Kind.POST,
    "publications": Kind.POST,
    "messages": Kind.MESSAGE,
    "liste": Kind.MESSAGE,
    "mailing-list": Kind.MESSAGE,
    "questions": Kind.QUESTION,
    "faq": Kind.QUESTION,
    "frein": Kind.OBJECTION,
    "freins": Kind.OBJECTION,
    "objections": Kind.OBJECTION,
}


class Audience(models.TextChoices):
    """Who may find a document: core.visibility's three levels, and one more for content that
    members see more of (the public face of a profile, for people not logged in)."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of the network")
    PRIVATE = "private", _("Its owner")
    ANONYMOUS = "anonymous", _("People not logged in")


# Stored in the SQLite index's row ids (2 bits).
AUDIENCE_CODES: dict[str, int] = {
    Audience.PUBLIC: 0,
    Audience.MEMBERS: 1,
    Audience.PRIVATE: 2,
    Audience.ANONYMOUS: 3,
}


@dataclass(frozen=True)
class Document:
    """One searchable text, as its app describes it.

    `title`, `tags` and `body` are indexed (in that order of weight); `subject` and `byline` are
    only shown ("on “Workshop of 26 March”", "by Camille"). `members` are the ids of the
    members `@name` finds it by (authors, facilitators); `owner_id` alone may see it when its
    audience is private. `visible_from` hides it from everyone else until then (a scheduled
    article).
    """

    title: str
    url: str
    date: datetime
    audience: str
    body: str = ""
    tags: Sequence[str] = ()
    language: str = "fr"
    owner_id: int | None = None
    members: Sequence[int] = ()
    visible_from: datetime | None = None
    subject: str = ""
    byline: str = ""
    variant: str = ""


DocumentsFunction = Callable[[Any], "Document | Iterable[Document] | None"]
# Every object of a model as plain values, (object id, values), in object id order; and the
# document those values make (a pure function: a full reindex may run it in another process).
AllValuesFunction = Callable[[], Iterable[tuple[int, Any]]]
DocumentFromValuesFunction = Callable[[Any], "Document | None"]
# The same plain values for some objects only, by id (what index_many re-indexes).
ValuesForFunction = Callable[[Sequence[int]], Iterable[tuple[int, Any]]]


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    kind: str
    documents: DocumentsFunction
    queryset: Callable[[], models.QuerySet[Any]]
    all_values: AllValuesFunction | None = None
    document_from_values: DocumentFromValuesFunction | None = None
    values_for: ValuesForFunction | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_registry: dict[type[models.Model], Registration] = {}
_dependents: dict[type[models.Model], list[Callable[[Any], Iterable[models.Model]]]] = {}


def register(
    model: type[models.Model],
    *,
    kind: str,
    documents: DocumentsFunction,
    queryset: Callable[[], models.QuerySet[Any]] | None = None,
    all_values: AllValuesFunction | None = None,
    document_from_values: DocumentFromValuesFunction | None = None,
    values_for: ValuesForFunction | None = None,
) -> None:
    """Index `model`: `documents(instance)` says what to index; `queryset()` what a full
    reindex walks (with the select_related/prefetch_related that `documents` needs).

    For models counted in hundreds of thousands, a full reindex can do without model
    instances: `all_values()` reads every object as plain values, (object id, values) in
    batches (values_list), and `document_from_values(values)` makes its Document (or None),
    touching neither the database nor anything but its argument, so that other processes can
    run it. Together they must agree with `documents` (test it).

    `values_for(ids)` reads the same values for the objects of `queryset()` among `ids`, in
    `queryset()`'s order, so that index_many (bulk actions, imports) skips model instances too.
    """
    if (all_values is None) != (document_from_values is None):
        raise ValueError("all_values and document_from_values go together.")
    if values_for is not None and document_from_values is None:
        raise ValueError("values_for needs document_from_values.")
    if kind not in KIND_CODES:
        raise ValueError(f"Unknown search kind {kind!r}: add it to core.search.registry.Kind.")
    _registry[model] = Registration(
        model=model,
        kind=kind,
        documents=documents,
        queryset=queryset or model._default_manager.all,
        all_values=all_values,
        document_from_values=document_from_values,
        values_for=values_for,
    )


def register_dependents(
    model: type[models.Model], dependents: Callable[[Any], Iterable[models.Model]]
) -> None:
    """When an instance of `model` is indexed again, index `dependents(instance)` too (the
    comments of an article follow its visibility)."""
    _dependents.setdefault(model, []).append(dependents)


def unregister(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def registration_for(model: type[models.Model]) -> Registration | None:
    return _registry.get(model) or next(
        (registration for cls, registration in _registry.items() if issubclass(model, cls)), None
    )


def registration_by_label(label: str) -> Registration | None:
    return next((r for r in _registry.values() if r.label == label), None)


def registrations() -> list[Registration]:
    return list(_registry.values())


def has_dependents(model: type[models.Model]) -> bool:
    """Whether indexing an instance of `model` again may index other objects too."""
    return any(issubclass(model, cls) for cls in _dependents)


def dependents_of(instance: models.Model) -> list[models.Model]:
    found: list[models.Model] = []
    for cls, functions in _dependents.items():
        if isinstance(instance, cls):
            for function in functions:
                found.extend(function(instance))
    return found


def documents_for(instance: models.Model) -> list[Document]:
    """What the registration of `instance`'s model says to index for it (maybe nothing)."""
    registration = registration_for(type(instance))
    if registration is None:
        return []
    produced = registration.documents(instance)
    if produced is None:
        return []
    if isinstance(produced, Document):
        return [produced]
    return list(produced)


_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|`+|~~|(?<!\w)_{1,3}|_{1,3}(?!\w))")


@functools.lru_cache(maxsize=64)
def _url_with_marker(name: str, argument: str) -> str:
    return reverse(name, kwargs={argument: _URL_MARKER})


_URL_MARKER = 987654321


def fast_url(name: str, argument: str, value: int) -> str:
    """reverse(name, kwargs={argument: value}) for an integer, without resolving each time (a
    full reindex builds a million addresses)."""
    return _url_with_marker(name, argument).replace(str(_URL_MARKER), str(int(value)), 1)


# Any character the patterns above (or html.unescape) act on: text without one is left as is.
_MARKUP = re.compile(r"[\[<#*`~_&]|^\s{0,3}(?:>|[-+]\s|\d+[.)]\s)", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """The words of a Markdown text without its syntax, for indexing and passages (fast and
    approximate: a page of results shows a few lines, never this as HTML)."""
    if not _MARKUP.search(markdown):
        return markdown
    text = _MARKDOWN_IMAGE.sub(r"\1", markdown)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return html.unescape(text)
