"""The demo's comments on the 2014 report: a thread, a link suggested, a guest's held comment."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from maillage.articles.comments import selectors
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.articles.models import Article
from maillage.core.review import ReviewRecord

pytestmark = pytest.mark.django_db


def test_demo_comments_load_once_and_one_waits_for_review(client):
    call_command("load_demo", stdout=io.StringIO())
    report = Article.objects.get(slug="compte-rendu-atelier-26-mars-2014")
    comments = Comment.objects.on(report)
    assert comments.count() == 3
    held = comments.get(status=CommentStatus.HELD)
    assert ReviewRecord.objects.for_content(held).get().state == "pending"
    view = selectors.comments_for(report, None)
    assert view.count == 2 and len(view.threads) == 1
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Comments (2)" in page and "https://www.bnf.fr/" in page
    assert held.body not in page
    call_command("load_demo", stdout=io.StringIO())
    assert Comment.objects.on(report).count() == 3
