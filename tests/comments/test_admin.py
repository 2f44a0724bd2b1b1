"""The comments admin opens for coordinators; a comment's status is read-only there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommentFactory, CommentSubscriptionFactory

pytestmark = pytest.mark.django_db


def test_every_comments_admin_page_opens_for_a_coordinator(organiser, report):
    organiser.is_staff = True
    organiser.save()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(organiser)
    comment = CommentFactory(target=report, body="Un avis")
    subscription = CommentSubscriptionFactory(target=report)
    for name, obj in (("comment", comment), ("commentsubscription", subscription)):
        assert client.get(reverse(f"admin:comments_{name}_changelist")).status_code == 200
        change = client.get(reverse(f"admin:comments_{name}_change", args=[obj.pk]))
        assert change.status_code == 200, name
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert 'name="status"' not in page.content.decode()
    assert str(comment).startswith(comment.author.display_name)
    assert subscription.email in str(subscription)
