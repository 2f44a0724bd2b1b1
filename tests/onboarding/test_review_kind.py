"""Answers to objections have their own review kind, apart from the inbox's answers to public
questions: the policy's default for one does not reach the other, and the queue names each."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from maillage.core.review import ReviewPolicy, ReviewRecord
from maillage.members.models import User
from maillage.onboarding import review, services
from maillage.onboarding.models import ProposalState
from tests.factories import AnswerFactory, ObjectionFactory, ReviewRecordFactory
from tests.onboarding.conftest import logged_in

pytestmark = pytest.mark.django_db

kind_migration = importlib.import_module(
    "maillage.onboarding.migrations.0002_objection_answer_review_kind"
)


def set_defaults(**defaults: str) -> None:
    policy = ReviewPolicy.current()
    policy.kind_defaults = defaults
    policy.save()


def test_the_default_for_answers_to_public_questions_does_not_hold_an_objection_answer(
    member: User,
) -> None:
    set_defaults(answer="hold")
    answer = services.answer_objection(
        objection=ObjectionFactory(), by=member, body="Dix minutes le lundi matin."
    )
    assert answer.state == ProposalState.PUBLISHED
    assert ReviewRecord.objects.for_content(answer).get().kind == "objection_answer"


def test_the_default_for_answers_to_objections_holds_them(member: User) -> None:
    set_defaults(objection_answer="hold")
    answer = services.answer_objection(
        objection=ObjectionFactory(), by=member, body="Dix minutes le lundi matin."
    )
    assert answer.state == ProposalState.HELD
    assert ReviewRecord.objects.for_content(answer).get().state == "pending"


def test_the_migration_renames_only_the_records_of_objection_answers() -> None:
    answer = AnswerFactory()
    of_answer = ReviewRecordFactory(target=answer, author=answer.author, kind="answer")
    # Any other content keeps "answer" (the inbox's answers to public questions).
    other = ReviewRecordFactory(kind="answer")
    editor = SimpleNamespace(connection=connection)

    kind_migration.forwards(apps, editor)
    of_answer.refresh_from_db()
    other.refresh_from_db()
    assert (of_answer.kind, other.kind) == ("objection_answer", "answer")

    kind_migration.backwards(apps, editor)
    of_answer.refresh_from_db()
    assert of_answer.kind == "answer"


def test_the_queue_and_the_settings_name_each_kind_in_french(coordinator: User) -> None:
    answer = services.answer_objection(
        objection=ObjectionFactory(), by=None, body="Essayez quand même.", guest_name="Lou"
    )
    assert ReviewRecord.objects.for_content(answer).get().kind == review.ANSWER_KIND
    browser = logged_in(Client(headers={"Accept-Language": "fr"}), coordinator)

    queue = browser.get(reverse("core:review_queue")).content.decode()
    assert "Réponse à un frein" in queue

    settings_page = browser.get(reverse("core:review_policy")).content.decode()
    labels = dict(re.findall(r'<label for="id_kind_(\w+)">([^<]*)\xa0:<', settings_page))
    assert labels["objection_answer"] == "Réponse à un frein"
    assert labels["answer"] == "Réponse à une question du public"
    assert labels["objection"] == "Frein"
    assert labels["project"] == "Projet de la vitrine"
