"""The fixed corpus, created and indexed once per test module (tests only read it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from maillage.core import search
from tests.search import corpus

Find = Callable[..., list[str]]


@pytest.fixture(scope="module")
def indexed_corpus(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        made = corpus.build()
        search.rebuild()
        try:
            yield made
        finally:
            _delete_everything()


def _delete_everything() -> None:
    from maillage.articles.comments.models import Comment
    from maillage.articles.models import Article
    from maillage.core.models import Tag
    from maillage.core.search.backends import backend
    from maillage.events.models import Event
    from maillage.members.models import Institution, User
    from maillage.veille.models import Bookmark

    backend().clear()
    for model in (Comment, Bookmark, Article, Event, User, Institution, Tag):
        model._default_manager.all().delete()


@pytest.fixture
def made(indexed_corpus: dict[str, Any], db: None) -> dict[str, Any]:
    return indexed_corpus


@pytest.fixture
def find(made: dict[str, Any]) -> Find:
    """find("query", viewer=None, **filters) → the keys of the results, best first."""
    keys = corpus.url_keys(made)

    def run(text: str, viewer: Any = None, **filters: Any) -> list[str]:
        results = search.search(viewer=viewer, text=text, page_size=50, **filters)
        return [keys.get(hit.url, hit.url) for hit in results.hits]

    return run
