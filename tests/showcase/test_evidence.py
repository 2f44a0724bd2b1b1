"""Evidence: added by hand (figures need a metric and a value), by address (the page read in a
huey task through core.fetch, from a real local HTTP server), accepted or refused; the timeline;
charts of each figure as valid SVG with a title, a description and a data table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from maillage.showcase import charts, selectors
from maillage.showcase import evidence as services
from maillage.showcase.evidence import EvidenceContent
from maillage.showcase.models import Evidence, ReadingState
from tests.factories import EvidenceFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
ARTICLE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
    "<title>Les squelettes du muséum font le buzz</title>"
    "<meta property='og:site_name' content='La Dépêche du Midi'>"
    "<meta name='description' content='Le muséum fait parler ses squelettes sur Facebook.'>"
    "<meta property='article:published_time' content='2014-02-12T08:00:00+01:00'>"
    "</head><body><article><h1>Les squelettes du muséum font le buzz</h1>"
    "<p>Depuis l’automne, les squelettes du muséum racontent leur vie aux internautes, avec "
    "humour. Plus de mille personnes suivent déjà leurs aventures.</p>"
    "<p>Une idée de l’équipe de médiation, qui a convaincu sa direction.</p></article>"
    "</body></html>"
).encode()


def test_the_team_adds_a_figure_and_outsiders_may_not(curator, museum, outsider):
    project = ProjectFactory(institution=museum)
    figure = services.add_evidence(
        project=project,
        by=curator,
        content=EvidenceContent(
            kind="figure",
            date=date(2014, 3, 31),
            metric="Abonnés Facebook",
            value=Decimal("1240"),
            period="mars 2014",
        ),
    )
    assert figure.status == "accepted" and str(figure) == "Abonnés Facebook: 1240"
    with pytest.raises(services.EvidenceError):
        services.add_evidence(project=project, by=curator, content=EvidenceContent(kind="figure"))
    with pytest.raises(services.EvidenceError):
        services.add_evidence(
            project=project, by=outsider, content=EvidenceContent(kind="press", title="Non")
        )


def test_evidence_form_page(client, curator, museum):
    project = ProjectFactory(institution=museum)
    client.force_login(curator)
    url = reverse("showcase:evidence_add", args=[project.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "figure", "metric": "Visites"})
    assert response.status_code == 200 and response.context["form"].errors["value"]
    response = client.post(
        url,
        {
            "kind": "testimonial",
            "date": "2014-03-26",
            "quote": "Nous avons adopté l’idée.",
            "author_name": "Une bibliothécaire",
            "highlighted": "on",
        },
    )
    item = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#evidence-{item.pk}")
    assert item.highlighted and item.added_by == curator
    edit = reverse("showcase:evidence_edit", args=[project.slug, item.pk])
    client.post(edit, {"kind": "award", "title": "Prix de la médiation 2014"})
    item.refresh_from_db()
    assert item.kind == "award" and item.quote == ""
    client.post(reverse("showcase:evidence_delete", args=[project.slug, item.pk]))
    assert not Evidence.objects.exists()


def test_add_by_address_reads_the_page_in_a_task(client, curator, museum, http_server, committed):
    http_server.route(
        "/article", body=ARTICLE, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    project = ProjectFactory(institution=museum)
    client.force_login(curator)
    with committed():
        response = client.post(
            reverse("showcase:evidence_address", args=[project.slug]),
            {"url": http_server.url("/article"), "kind": "press"},
        )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.reading_state == ReadingState.DONE, item.reading_error
    assert item.title == "Les squelettes du muséum font le buzz"
    assert item.publication == "La Dépêche du Midi"
    assert item.date == date(2014, 2, 12)
    assert item.quote == "Le muséum fait parler ses squelettes sur Facebook."
    assert item.status == "accepted" and item.origin == "address"
    assert http_server.paths() == ["/article"]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "La Dépêche du Midi" in page


def test_a_page_that_cannot_be_read_says_why_and_can_be_read_again(
    client, curator, museum, http_server, committed
):
    http_server.route("/image", body=b"\x89PNG\r\n", headers={"Content-Type": "image/png"})
    project = ProjectFactory(institution=museum)
    with committed():
        item = services.add_evidence_from_address(
            project=project, by=curator, url=http_server.url("/image")
        )
    item.refresh_from_db()
    assert item.reading_state == ReadingState.FAILED and "image/png" in item.reading_error
    http_server.route("/image", body=ARTICLE, headers={"Content-Type": "text/html; charset=utf-8"})
    with committed():
        services.read_again(evidence=item, by=curator)
    item.refresh_from_db()
    assert item.reading_state == ReadingState.DONE


def test_reading_is_idempotent(curator, museum, http_server):
    http_server.route("/a", body=ARTICLE, headers={"Content-Type": "text/html"})
    project = ProjectFactory(institution=museum)
    item = EvidenceFactory(
        project=project, source_url=http_server.url("/a"), reading_state="pending", quote=""
    )
    assert services.read_evidence_source(evidence_id=item.pk) == "read"
    assert services.read_evidence_source(evidence_id=item.pk) == "skipped"
    assert len(http_server.requests) == 1


def test_the_timeline_groups_accepted_evidence_by_year():
    project = ProjectFactory()
    EvidenceFactory(project=project, date=date(2013, 5, 1), title="Premier")
    EvidenceFactory(project=project, date=date(2014, 3, 1), title="Deuxième")
    EvidenceFactory(project=project, date=date(2014, 6, 1), title="Refusé", status="rejected")
    years = selectors.timeline(list(selectors.evidence_for(project, include_pending=True)))
    assert [(year, [item.title for item in items]) for year, items in years] == [
        (2014, ["Deuxième"]),
        (2013, ["Premier"]),
    ]


def figures(project):  # type: ignore[no-untyped-def]
    for when, value, period in [
        (date(2013, 10, 31), 310, "octobre 2013"),
        (date(2014, 3, 31), 1240, "mars 2014"),
        (date(2013, 12, 31), 780, "décembre 2013"),
    ]:
        EvidenceFactory(
            project=project,
            kind="figure",
            metric="Abonnés Facebook",
            value=value,
            period=period,
            date=when,
            quote="",
        )
    EvidenceFactory(
        project=project,
        kind="figure",
        metric="Visites du blog",
        value=5200,
        unit="visites",
        date=date(2014, 1, 31),
        quote="",
    )


def test_each_figure_is_a_series_in_date_order():
    project = ProjectFactory()
    figures(project)
    series = selectors.figure_series(list(selectors.evidence_for(project)))
    assert [one.metric for one in series] == ["Abonnés Facebook", "Visites du blog"]
    assert [int(point.value) for point in series[0].points] == [310, 780, 1240]
    assert series[0].latest.period == "mars 2014"


def test_chart_is_valid_svg_with_a_title_and_a_description():
    project = ProjectFactory()
    figures(project)
    series = selectors.figure_series(list(selectors.evidence_for(project)))
    svg = charts.line_chart(series[0], chart_id="chart-1")
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.find(f"{SVG}title").text == "Abonnés Facebook"
    assert root.find(f"{SVG}desc").text == (
        "3 values, from 310 (octobre 2013) to 1,240 (mars 2014)."
    )
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.find(f"{SVG}polyline") is not None
    # The y axis ends on a round number above the highest value.
    assert charts.nice_ceiling(1240) == 2000 and charts.nice_ceiling(0) == 1


def test_a_single_value_is_drawn_and_described():
    project = ProjectFactory()
    EvidenceFactory(project=project, kind="figure", metric="Prix", value=1, quote="")
    series = selectors.figure_series(list(selectors.evidence_for(project)))
    svg = charts.line_chart(series[0], chart_id="c")
    root = etree.fromstring(svg.encode())
    assert root.find(f"{SVG}polyline") is None and len(root.findall(f"{SVG}circle")) == 1
    assert root.find(f"{SVG}desc").text.startswith("One value: 1")


def test_the_project_page_has_the_chart_and_its_table(client):
    project = ProjectFactory()
    figures(project)
    html = client.get(project.get_absolute_url()).content.decode()
    assert html.count('<svg class="chart-svg"') == 2
    assert "<table>" in html and "<caption>3 values, from 310 (October 2013)" not in html
    assert (
        '<th scope="row"><time datetime="2013-10-31">octobre 2013</time></th><td>310</td>' in html
    )
    assert "1,240" in html


def test_pending_evidence_is_accepted_or_refused_by_the_team(client, curator, museum, outsider):
    project = ProjectFactory(institution=museum)
    item = EvidenceFactory(project=project, status="pending", title="Un billet qui nous cite")
    client.force_login(outsider)
    url = reverse("showcase:evidence_accept", args=[project.slug, item.pk])
    assert client.post(url).status_code == 403
    client.force_login(curator)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Evidence waiting for your answer" in page
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted"
    client.post(reverse("showcase:evidence_refuse", args=[project.slug, item.pk]))
    item.refresh_from_db()
    assert item.status == "rejected"
