"""Which models can be reviewed, and how the queue acts on them (each content app registers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Reviewable:
    approve: Callable[[models.Model], None]
    reject: Callable[[models.Model, str], None]
    mark_spam: Callable[[models.Model], None]
    describe: Callable[[models.Model], str]
    url: Callable[[models.Model], str]


_registry: dict[type[models.Model], Reviewable] = {}


def register_reviewable(
    model: type[models.Model],
    *,
    approve: Callable[[models.Model], None],
    reject: Callable[[models.Model, str], None],
    mark_spam: Callable[[models.Model], None],
    describe: Callable[[models.Model], str],
    url: Callable[[models.Model], str],
) -> None:
    """Let the queue act on `model`: the content app changes its own status in these callables."""
    _registry[model] = Reviewable(
        approve=approve, reject=reject, mark_spam=mark_spam, describe=describe, url=url
    )


def unregister_reviewable(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def reviewable_for(model: type[models.Model] | None) -> Reviewable | None:
    if model is None:
        return None
    return _registry.get(model)
