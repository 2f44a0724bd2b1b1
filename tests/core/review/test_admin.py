"""The review policy's admin: coordinators read decisions there; they change through the queue."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.review import ReviewPolicy, ReviewRecord
from maillage.members.models import User
from tests.factories import ReviewPolicyFactory, ReviewRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(coordinator: User) -> Client:
    coordinator.is_staff = True
    coordinator.save()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(coordinator)
    return client


def test_coordinators_read_decisions_and_edit_the_policy(admin_client: Client) -> None:
    record: ReviewRecord = ReviewRecordFactory()
    policy: ReviewPolicy = ReviewPolicyFactory()
    assert admin_client.get(reverse("admin:core_reviewrecord_changelist")).status_code == 200
    url = reverse("admin:core_reviewrecord_change", args=[record.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content  # read only
    assert admin_client.get(reverse("admin:core_reviewrecord_add")).status_code == 403
    policy_url = reverse("admin:core_reviewpolicy_change", args=[policy.pk])
    assert admin_client.get(policy_url).status_code == 200
    assert admin_client.get(reverse("admin:core_reviewpolicy_add")).status_code == 403
    assert str(record) == f"comment #{record.object_id}: waiting for review"
