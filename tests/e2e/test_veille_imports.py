"""Importing a colleague's Excel sheet in a real browser: upload it, correct one column on the
preview, watch the progress move (htmx polling) until the report shows, then find the bookmarks.
Every page is checked with axe-core and at 320 px.

The import itself runs in a thread of the test with small batches slowed down, so that the page
has time to show it moving; the progress it reads is the real one (the cache, polled each second).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from maillage.veille.imports import services, upkeep
from maillage.veille.imports.models import ImportJob, JobStatus
from maillage.veille.models import Bookmark
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import UserFactory
from tests.veille_imports import documents

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check(page: Any, name: str) -> None:
    """axe-core clean, fits 320 px; screenshots (desktop and phone) when E2E_SCREENSHOTS is set."""
    assert_accessible(page)
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"imports-{name}-desktop.png"), full_page=True)
    assert_fits_width(page)
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=str(ARTIFACTS / f"imports-{name}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def colleague_sheet(folder: Path) -> Path:
    rows: list[list[Any]] = [
        ["Veille de Sophie — réseaux sociaux et musées en ligne (2014)"],
        [],
        ["Date", "Titre", "Lien", "Mots-clés", "Pourquoi c’est utile"],
    ]
    for number in range(60):
        rows.append(
            [
                41640 + number,  # Excel serial dates: January–February 2014
                f"Page de veille n°{number} — médiathèques et réseaux sociaux",
                f"https://veille{number}.example.org/article",
                "réseaux sociaux, musées" if number % 2 else "licences libres",
                f"À montrer à l’atelier du 26 mars ({number})",
            ]
        )
        if number == 30:
            rows.append([])
    rows.append([41700, "Sans adresse", "voir le classeur", "", ""])
    path = folder / "veille-sophie.xlsx"
    path.write_bytes(documents.xlsx({"Veille": rows}, merges={"Veille": ["A1:E1"]}))
    return path


def run_slowly(job_id: int) -> threading.Thread:
    """The worker's part, in a thread: batches of 10, each pausing a moment once reported."""

    def slow(_progress: Any) -> None:
        time.sleep(0.6)

    def work() -> None:
        try:
            services.run_import(job_id=job_id, batch_size=10, on_progress=slow)
            upkeep.index_imported_bookmarks(job_id=job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_import_a_spreadsheet_fix_a_column_watch_it_and_find_the_bookmarks(
    page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", lambda job: queued.append(job.pk))
    member = UserFactory(display_name="Sophie Le Bihan")
    log_in(page, member)

    page.goto("/veille/importer/")
    assert page.locator("h1").inner_text() == "Importer des signets"
    check(page, "upload")
    page.set_input_files("#id_file", str(colleague_sheet(tmp_path)))
    page.click("main form[enctype] button[type=submit]")

    # The columns step: the header row under the title, the columns guessed but one.
    page.wait_for_url("**/colonnes/")
    assert page.locator("#id_header_line").input_value() == "3"
    assert page.locator("#id_column_2").input_value() == "url"
    assert page.locator("#id_column_0").input_value() == "date"
    assert page.locator("#id_column_4").input_value() == "ignore"
    assert page.locator(".mapping-table tbody tr").count() == 8
    check(page, "mapping")
    page.select_option("#id_column_4", "notes")
    page.click("button[value=import]")

    page.wait_for_url("**/importer/*/")
    job = ImportJob.objects.get(owner=member)
    assert queued == [job.pk]
    assert job.status == JobStatus.QUEUED
    assert page.locator("#import-progress").is_visible()
    worker = run_slowly(job.pk)
    # The bar moves while the import runs (htmx replaces it every second)…
    page.wait_for_function(
        "() => { const bar = document.querySelector('#import-progress-bar');"
        " return bar && bar.value > 0 && bar.value < 100; }",
        timeout=20_000,
    )
    assert int(page.locator(".import-figures strong").first.inner_text()) > 0
    check(page, "progress")
    # …then the page shows itself again with the report.
    page.wait_for_selector("#result-title", timeout=30_000)
    worker.join(timeout=30)
    figures = page.locator(".import-figures").inner_text()
    assert "61" in figures and "60" in figures  # lines read, bookmarks added
    assert "Pas une adresse web" in page.locator(".issues-table").inner_text()
    assert page.locator("a[href$='/rapport.csv']").count() == 1
    check(page, "report")

    page.click("text=Voir mes signets")
    page.wait_for_url("**/veille/mes-signets/**")
    assert page.locator(".bookmark-card").count() > 0
    assert "Page de veille n°" in page.locator("main").inner_text()
    notes = set(Bookmark.objects.filter(owner=member).values_list("notes", flat=True))
    assert "À montrer à l’atelier du 26 mars (0)" in notes  # the column put right
