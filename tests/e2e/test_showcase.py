"""The showcase in a real browser: a member proposes a project, adds evidence by pasting an
address (the page is read by the task from a local HTTP server), opens the dossier and its PDF.
Every page passes axe-core and fits a 320 px phone. With E2E_SCREENSHOTS set, the catalogue, a
project page and the dossier are kept as pictures (desktop and 320 px) in test-artifacts/.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest

from maillage.core.review.models import ReviewPolicy
from maillage.showcase.models import Evidence, Project
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import (
    EvidenceFactory,
    InstitutionFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
    "<title>Les squelettes du muséum font le buzz</title>"
    "<meta property='og:site_name' content='La Gazette du Sud-Ouest'>"
    "<meta name='description' content='Le muséum fait parler ses squelettes sur Facebook.'>"
    "</head><body><article><h1>Les squelettes du muséum font le buzz</h1>"
    "<p>Depuis l’automne, les squelettes racontent leur vie aux internautes, avec humour. "
    "Plus de mille personnes suivent déjà leurs aventures.</p></article></body></html>"
).encode()


def check(page: Any, name: str | None = None) -> None:
    """axe-core at desktop width, then 320 px; pictures of both when asked."""
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("h1").count() == 1, page.url
    assert_accessible(page)
    if name and os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"showcase-{name}-desktop.png"), full_page=True)
    assert_fits_width(page)
    assert_accessible(page)
    if name and os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=str(ARTIFACTS / f"showcase-{name}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_propose_add_evidence_by_address_and_open_the_dossier(page: Any, http_server: Any) -> None:
    ReviewPolicy.objects.create(first_contributions=0)
    http_server.route(
        "/article", body=ARTICLE, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    museum = InstitutionFactory(name="Muséum de Toulouse", kind="museum", city="Toulouse")
    lea = UserFactory(display_name="Léa Durand", institution=museum, trust_level=2)
    other = ProjectFactory(
        name="Le mammouth tweete", kind="social_media", tags=[TagFactory(name="humour")]
    )
    EvidenceFactory(project=other)
    log_in(page, lea)

    # Propose a project.
    page.goto("/vitrine/")
    check(page)
    page.click("a[href='/vitrine/proposer/']")
    page.wait_for_url("**/vitrine/proposer/")
    check(page)
    page.fill("#id_name", "Les squelettes qui parlent")
    page.fill("#id_summary", "Les squelettes du muséum prennent la parole sur les réseaux sociaux.")
    page.select_option("#id_kind", "social_media")
    assert page.input_value("#id_institution") == str(museum.pk)
    page.check("input[name=audiences][value=general_public]")
    page.check("input[name=audiences][value=children]")
    page.fill("#id_platform_names", "Facebook, Twitter")
    page.fill("#id_tag_names", "humour, muséum")
    page.fill("#id_started_on", "2012-10-01")
    page.fill("#id_lessons", "Laisser parler les agents.")
    page.click("main form.project-form button[type=submit]")
    page.wait_for_url("**/vitrine/les-squelettes-qui-parlent/")
    project = Project.objects.get(name="Les squelettes qui parlent")
    assert project.is_published and project.proposed_by == lea
    assert page.locator(".message-success").count() == 1
    # Discovery of the Webmention endpoint, on the page itself.
    assert page.locator("link[rel=webmention]").count() == 1

    # Add evidence by pasting an address: read in the background, shown once read.
    page.fill("#id_url", http_server.url("/article"))
    page.select_option("#id_kind", "press")
    page.click("form.evidence-address-form button[type=submit]")
    page.wait_for_url("**/vitrine/les-squelettes-qui-parlent/*")
    evidence = Evidence.objects.get(project=project)
    assert evidence.reading_state == "done", evidence.reading_error
    page.goto(project.get_absolute_url())
    card = page.locator(f"#evidence-{evidence.pk}")
    assert "Les squelettes du muséum font le buzz" in card.inner_text()
    assert "La Gazette du Sud-Ouest" in card.inner_text()
    # And a figure by hand, for the chart.
    for when, value in [("2013-06-30", "1350"), ("2014-03-31", "3120")]:
        page.goto(f"/vitrine/{project.slug}/retours/ajouter/")
        page.select_option("#id_kind", "figure")
        page.fill("#id_date", when)
        page.fill("#id_metric", "Abonnés Facebook")
        page.fill("#id_value", value)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/vitrine/les-squelettes-qui-parlent/*")
    page.goto(project.get_absolute_url())
    assert page.locator("svg.chart-svg title").first.text_content() == "Abonnés Facebook"
    check(page, "project")

    # Open the dossier, then its PDF.
    page.click("a[href$='/dossier/']")
    page.wait_for_url("**/dossier/")
    assert "Les squelettes qui parlent" in page.locator("h1").inner_text()
    assert page.locator(".dossier svg.chart-svg").count() == 1
    assert "Le mammouth tweete" in page.inner_text(".dossier")
    check(page, "dossier")
    pdf = page.request.get(f"/vitrine/{project.slug}/dossier.pdf?langue=fr")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_catalogue_with_facets(page: Any) -> None:
    museum = InstitutionFactory(name="Muséum de Toulouse", kind="museum", city="Toulouse")
    humour = TagFactory(name="humour")
    for index in range(5):
        project = ProjectFactory(
            name=f"Projet de médiation numérique au long nom n°{index}",
            kind=["blog", "social_media", "podcast"][index % 3],
            institution=museum if index % 2 else InstitutionFactory(),
            region="occ" if index % 2 else "bre",
            tags=[humour],
            audiences=["general_public"],
            started_on=date(2012 + index % 3, 1, 1),
        )
        EvidenceFactory(project=project)
    page.goto("/vitrine/")
    check(page, "catalogue")
    page.click(".facet a[href*='type=podcast']")
    page.wait_for_url("**type=podcast**")
    assert page.locator(".project-card").count() == 1
    check(page)
