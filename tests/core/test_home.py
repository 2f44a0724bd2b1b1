"""The home page: its query count does not grow with the network's content."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def home_queries(client, count: int) -> int:  # type: ignore[no-untyped-def]
    for _ in range(count):
        EventFactory()
        ArticleFactory()
        UserFactory()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_page_query_count_does_not_grow_with_content(client) -> None:  # type: ignore[no-untyped-def]
    few = home_queries(client, 3)
    many = home_queries(client, 27)
    assert many == few
