"""Which models can be reviewed, and how the queue acts on them (each content app registers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Reviewable:
    approve: Callable[[models.Model], None]
    reject: Callable[[models.Model, str], None]
    mark_spam: Callable[[models.Model], None]
    describe: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    # Who may review this content when not the network's coordinators (an institution's own
    # reviewers): such content has its own queue and deadlines, outside the network's.
    can_review: Callable[[models.Model, Any], bool] | None = None


_registry: dict[type[models.Model], Reviewable] = {}


def register_reviewable(
    model: type[models.Model],
    *,
    approve: Callable[[models.Model], None],
    reject: Callable[[models.Model, str], None],
    mark_spam: Callable[[models.Model], None],
    describe: Callable[[models.Model], str],
    url: Callable[[models.Model], str],
    can_review: Callable[[models.Model, Any], bool] | None = None,
) -> None:
    """Let the queue act on `model`: the content app changes its own status in these callables.

    With `can_review`, the app decides who reviews each piece (not the coordinators) and keeps
    its own queue and deadlines: the network's queue and "silence means yes" leave it alone."""
    _registry[model] = Reviewable(
        approve=approve,
        reject=reject,
        mark_spam=mark_spam,
        describe=describe,
        url=url,
        can_review=can_review,
    )


def unregister_reviewable(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def models_with_own_reviewers() -> list[type[models.Model]]:
    return [model for model, reviewable in _registry.items() if reviewable.can_review]


def reviewable_for(model: type[models.Model] | None) -> Reviewable | None:
    if model is None:
        return None
    return _registry.get(model)
