"""The search index is visible, read-only, in the admin."""

from __future__ import annotations

from typing import Any

import pytest

from maillage.core import search
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_documents_read_only(client: Any) -> None:
    search.index(ArticleFactory(title="Marionnettes"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/core/searchdocument/")
    assert page.status_code == 200 and "Marionnettes" in page.content.decode()
    assert client.get("/admin/core/searchdocument/add/").status_code == 403
