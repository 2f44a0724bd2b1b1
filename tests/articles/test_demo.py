"""The articles demo: the seed's report, attached to the 26 March 2014 workshop, loads twice."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillage.articles import demo, selectors
from maillage.articles.models import Article, FurtherLink, LinkSuggestion
from maillage.events.demo import FIRST_WORKSHOP_SLUG, PARIS
from maillage.events.models import Event
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = list(
        Article.objects.order_by("slug").values_list(
            "slug", "title", "status", "published_at", "body", "licence", "visibility"
        )
    )
    rows += list(FurtherLink.objects.order_by("url").values_list("url", "title", "position"))
    rows += list(LinkSuggestion.objects.order_by("url").values_list("url", "status", "email"))
    return rows


def test_loading_twice_changes_nothing():
    assert "articles" in load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_the_report_of_26_march_2014(client):
    load()
    report = Article.objects.get(slug=demo.REPORT_SLUG)
    event = Event.objects.get(slug=FIRST_WORKSHOP_SLUG)
    assert report.event == event
    assert report.licence == "CC-BY-SA-4.0"
    assert timezone.localtime(report.published_at, timezone=PARIS).date() == date(2014, 4, 2)
    assert report.further_links.count() == 3
    assert report.further_links.exclude(suggested_by_name="").exists()
    assert report.suggestions.filter(status="pending").count() == 1
    assert selectors.reports_for_event(event, None) == [report]
    # Our own words, not the seed's.
    assert "Le format se voulait très participatif" not in report.body
    response = client.get(report.get_absolute_url(), headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "publié le 2 avril 2014, sous licence" in text


def test_one_report_for_26_march_2014_even_in_a_demo_database_from_before():
    load()
    report = Article.objects.get(slug=demo.REPORT_SLUG)
    assert list(Article.objects.filter(event=report.event)) == [report]
    assert report.attachments.count() == 1
    # A demo database loaded when the events demo had its own report holds it, once migrated,
    # as a second report article: loading the demo again leaves one.
    old = ArticleFactory(
        event=report.event,
        title="Compte-rendu : l’ancien",
        body=f"{demo.OLD_EVENTS_DEMO_REPORT_START}, un mercredi en fin de journée.",
    )
    load()
    assert list(Article.objects.filter(event=report.event)) == [report]
    assert not Article.objects.filter(pk=old.pk).exists()


def test_the_demo_shows_each_state():
    load()
    statuses = set(Article.objects.values_list("status", "visibility"))
    assert ("draft", "public") in statuses
    assert ("published", "members") in statuses
    assert reverse("articles:list")
