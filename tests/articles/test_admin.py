"""The articles' admin pages open for coordinators; statuses move only through the actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.articles.models import ArticleStatus
from maillage.members.models import Role
from tests.factories import (
    ArticleAttachmentFactory,
    ArticleFactory,
    FurtherLinkFactory,
    LinkSuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_coordinator():  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.COORDINATOR, is_staff=True)


def test_every_admin_page_opens(client, staff_coordinator):
    article = ArticleFactory()
    link = FurtherLinkFactory(article=article)
    suggestion = LinkSuggestionFactory(article=article)
    attachment = ArticleAttachmentFactory(article=article)
    client.force_login(staff_coordinator)
    for name, obj in (
        ("article", article),
        ("furtherlink", link),
        ("linksuggestion", suggestion),
        ("articleattachment", attachment),
    ):
        assert client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 200
        url = reverse(f"admin:articles_{name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200


def test_publish_action(client, staff_coordinator):
    draft = ArticleFactory(status="draft", published_at=None)
    client.force_login(staff_coordinator)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
