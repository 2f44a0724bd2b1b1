"""The demo's Excel sheet: built the same each time, written by the demo loader, offered on the
import page in demo mode, and read the way a colleague's sheet should be."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from maillage.core.demo import demo_loaders
from maillage.veille.imports import demo_sheet, services
from maillage.veille.imports.mapping import Field
from maillage.veille.imports.models import ImportIssue, ImportJob, JobStatus
from maillage.veille.imports.rows import Reason
from maillage.veille.models import Bookmark
from tests.factories import UserFactory
from tests.veille_imports.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_folder(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.DEMO = True
    return tmp_path / "demo"


def test_the_sheet_is_the_same_bytes_every_time(demo_folder) -> None:
    assert demo_sheet.build_demo_workbook() == demo_sheet.build_demo_workbook()
    path = demo_sheet.ensure_demo_sheet()
    assert path.parent == demo_folder
    stamp = path.stat().st_mtime_ns
    assert demo_sheet.ensure_demo_sheet() == path
    assert path.stat().st_mtime_ns == stamp  # unchanged: not written again


def test_the_demo_loader_writes_it(demo_folder) -> None:
    (loader,) = [loader for loader in demo_loaders() if loader.name == "veille_imports"]
    summary = loader.function()
    assert demo_sheet.FILE_NAME in str(summary)
    assert (demo_folder / demo_sheet.FILE_NAME).exists()


def test_importing_it_shows_the_columns_step_then_imports_forty_pages(demo_folder) -> None:
    owner = UserFactory()
    job = start(owner, demo_sheet.ensure_demo_sheet())
    assert job.status == JobStatus.MAPPING
    assert services.sheet_names(job) == ["Veille", "À trier"]
    preview = services.preview(job)
    mapping = preview.mapping
    assert mapping.header_line == 3  # under the merged title row and a blank row
    assert mapping.columns == [
        Field.DATE,
        Field.TITLE,
        Field.URL,
        Field.TAGS,
        Field.NOTES,
        Field.IGNORE,  # "Vu par": for the person to decide
    ]
    assert [row.line for row in preview.rows][:3] == [4, 5, 6]
    services.confirm_mapping(job=job, mapping=mapping, run_in_background=False)
    services.run_import(job_id=job.pk)
    job.refresh_from_db()
    assert (job.rows_read, job.imported, job.merged, job.rejected, job.remarks) == (38, 36, 1, 1, 1)
    (refused,) = ImportIssue.objects.filter(job=job, kind="rejected")
    assert (refused.reason, refused.detail) == (Reason.INVALID_URL, "voir le dossier commun")
    (remark,) = ImportIssue.objects.filter(job=job, kind="remark")
    assert remark.reason == Reason.URL_COMPLETED
    first = Bookmark.objects.get(owner=owner, url__contains="by-sa/4.0/deed.fr")
    assert localtime(first.created_at).date() == date(2013, 10, 2)  # from an Excel serial number
    netvibes = Bookmark.objects.get(owner=owner, url="https://www.netvibes.com/fr")
    assert localtime(netvibes.created_at).date() == date(
        2014, 1, 28
    )  # from "28/01/2014" typed as text
    assert sorted(tag.name for tag in netvibes.tags.all()) == ["flux RSS", "outils", "veille"]


def test_the_import_page_offers_it_in_demo_mode(client: Client, demo_folder, settings) -> None:
    client.force_login(UserFactory())
    page = client.get(reverse("veille_imports:start")).content.decode()
    assert "Essayez avec la feuille Excel d’une collègue" in page
    download = client.get(reverse("veille_imports:demo_sheet"))
    assert download["Content-Type"] == demo_sheet.XLSX_MIMETYPE
    assert download.content == demo_sheet.build_demo_workbook()
    response = client.post(reverse("veille_imports:demo_import"))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("veille_imports:mapping", args=[job.pk])
    settings.DEMO = False
    assert "Essayez" not in client.get(reverse("veille_imports:start")).content.decode()
    assert client.get(reverse("veille_imports:demo_sheet")).status_code == 404
    assert client.post(reverse("veille_imports:demo_import")).status_code == 404
