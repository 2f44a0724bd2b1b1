"""What may be commented on: each target kind says who may see it and who wrote it.

A kind has a short key used in addresses (/commentaires/article/3/…). Events are registered
here, and articles (workshop reports among them) when the articles app provides its model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class TargetKind:
    key: str
    model: type[models.Model]
    # May this viewer read the target (and so its comments)?
    visible: Callable[[Any, Any], bool]
    # The ids of targets anyone may read (the public feeds).
    public_ids: Callable[[], Iterable[int]]
    # The people told about new comments (members, with an email address).
    authors: Callable[[Any], Iterable[Any]]
    # Does the target still take new comments? A closed one keeps its comments readable.
    is_open: Callable[[Any], bool] = lambda target: True


_KINDS: dict[str, TargetKind] = {}


def register_target(kind: TargetKind) -> None:
    _KINDS[kind.key] = kind


# What else happens, after the commit, when a comment on a target of this model is published:
# another app adds it here (the inbox takes comments on an institution's posts as questions).
# Each handler is called as handler(comment=..., target=...) and must be idempotent (retried).
PublicationHandler = Callable[..., Any]
_PUBLICATION_HANDLERS: dict[type[models.Model], list[PublicationHandler]] = {}


def add_publication_handler(model: type[models.Model], handler: PublicationHandler) -> None:
    handlers = _PUBLICATION_HANDLERS.setdefault(model, [])
    if handler not in handlers:
        handlers.append(handler)


def publication_handlers(model: type[models.Model] | None) -> list[PublicationHandler]:
    return list(_PUBLICATION_HANDLERS.get(model, [])) if model is not None else []


def kind_by_key(key: str) -> TargetKind | None:
    return _KINDS.get(key)


def kind_of(target: models.Model) -> TargetKind | None:
    for kind in _KINDS.values():
        if isinstance(target, kind.model):
            return kind
    return None


def key_of(target: models.Model) -> str:
    kind = kind_of(target)
    if kind is None:
        raise LookupError(f"{type(target).__name__} is not open to comments")
    return kind.key


def target_by_key(key: str, object_id: int) -> models.Model | None:
    kind = kind_by_key(key)
    if kind is None:
        return None
    return kind.model._default_manager.filter(pk=object_id).first()


def can_see(viewer: Any, target: models.Model) -> bool:
    kind = kind_of(target)
    return kind is not None and kind.visible(viewer, target)


def open_to_comments(target: models.Model) -> bool:
    """New comments, answers and edits are welcome; when closed, the discussion is read-only."""
    kind = kind_of(target)
    return kind is not None and kind.is_open(target)


def public_targets_q() -> Q:
    """A filter on comments (or subscriptions) whose target anyone may read."""
    condition = Q(pk__in=[])
    for kind in _KINDS.values():
        content_type = ContentType.objects.get_for_model(kind.model)
        condition |= Q(content_type=content_type, object_id__in=list(kind.public_ids()))
    return condition


# --- The kinds known today ------------------------------------------------------------------------


def _event_kinds() -> list[TargetKind]:
    from maillage.events import selectors
    from maillage.events.models import Event

    def event_visible(viewer: Any, event: Event) -> bool:
        return selectors.event_for(viewer, event.slug) is not None and event.status != "draft"

    def public_events() -> Iterable[int]:
        return selectors.visible_events(None).exclude(status="draft").values_list("pk", flat=True)

    def event_authors(event: Event) -> Iterable[Any]:
        return event.organisers.filter(is_active=True)

    return [TargetKind("evenement", Event, event_visible, public_events, event_authors)]


def _article_kind() -> TargetKind | None:
    """Articles, once the articles app has its model: its selectors say who may read one."""
    try:
        article_model = apps.get_model("articles", "Article")
        selectors = importlib.import_module("maillage.articles.selectors")
    except (LookupError, ImportError):
        return None
    if not hasattr(selectors, "can_read") or not hasattr(selectors, "public_article_ids"):
        return None

    def authors(article: Any) -> Iterable[Any]:
        return article.authors.filter(is_active=True)

    def open_to_comments(article: Any) -> bool:
        # Published and due; an archived article stays readable with its discussion, closed.
        return bool(article.is_live)

    return TargetKind(
        "article",
        article_model,
        selectors.can_read,
        selectors.public_article_ids,
        authors,
        open_to_comments,
    )


def register_known_targets() -> None:
    for kind in _event_kinds():
        register_target(kind)
    article = _article_kind()
    if article is not None:
        register_target(article)
