"""The import and export pages: upload, the columns step, progress, the report; each only for
its owner; refusals said in French."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from maillage.veille.imports.models import ImportJob, JobStatus
from maillage.veille.models import Bookmark
from tests.factories import (
    BookmarkFactory,
    ImportIssueFactory,
    ImportJobFactory,
    TagFactory,
    UserFactory,
)
from tests.veille_imports import documents

pytestmark = pytest.mark.django_db

START = reverse("veille_imports:start")


@pytest.fixture
def member(client: Client):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    return user


def upload(client: Client, name: str, content: bytes | str, **fields: str):  # type: ignore[no-untyped-def]
    data = content.encode() if isinstance(content, str) else content
    payload = {"file": SimpleUploadedFile(name, data), "visibility": "members", **fields}
    payload.setdefault("folders_as_tags", "on")
    return client.post(START, payload)


def test_the_upload_page_needs_a_member(client: Client) -> None:
    response = client.get(START)
    assert response.status_code == 302
    assert "/membres/connexion/" in response["Location"]


def test_a_bookmarks_file_is_imported_from_the_page(
    client: Client, member, django_capture_on_commit_callbacks
) -> None:
    html = documents.netscape(
        [
            '<DT><A HREF="https://a.example/" TAGS="musées">A</A>',
            '<DT><A HREF="ftp://b.example/">B</A>',
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "marque-pages.html", html, tags="import 2014")
    job = ImportJob.objects.get(owner=member)
    assert response.status_code == 302
    assert response["Location"] == reverse("veille_imports:job", args=[job.pk])
    assert (job.status, job.imported, job.rejected) == (JobStatus.DONE, 1, 1)
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Import de «\u00a0marque-pages.html\u00a0»" in text
    assert (
        "Pas une adresse web (http:// ou https://)\u00a0: «\u00a0ftp://b.example/\u00a0»." in text
    )
    assert reverse("veille_imports:report_csv", args=[job.pk]) in text
    bookmark = Bookmark.objects.get(owner=member)
    assert sorted(tag.slug for tag in bookmark.tags.all()) == ["import-2014", "musees"]


def test_a_png_renamed_html_is_refused_on_the_form(client: Client, member) -> None:
    response = upload(client, "marque-pages.html", documents.png())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ce fichier est une image PNG, pas une liste de signets" in text
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_limit_is_refused_while_it_arrives(
    client: Client, member, settings
) -> None:
    settings.IMPORT_MAX_BYTES = 2000
    html = documents.netscape(['<DT><A HREF="https://a.example/">A</A>'] * 200)
    response = upload(client, "gros.html", html)
    assert response.status_code == 200
    assert "les imports sont limités à 2,0\u00a0Kio" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_spreadsheet_goes_through_the_columns_step(
    client: Client, member, django_capture_on_commit_callbacks
) -> None:
    data = documents.xlsx(
        {
            "Veille": [
                ["Ma veille"],
                [],
                ["Date", "Titre", "Lien", "Pourquoi"],
                [41724, "Atelier", "https://a.example/", "Pour l'atelier"],
                [41725, "Suite", "https://b.example/", "Pour plus tard"],
            ],
            "Notes": [["Rien"]],
        },
        merges={"Veille": ["A1:D1"]},
    )
    response = upload(client, "veille.xlsx", data)
    job = ImportJob.objects.get(owner=member)
    assert job.status == JobStatus.MAPPING
    mapping_url = reverse("veille_imports:mapping", args=[job.pk])
    assert response["Location"] == mapping_url
    page = client.get(mapping_url)
    text = page.content.decode()
    assert "Vérifiez les colonnes" in text
    assert '<option value="url" selected>Adresse (URL)</option>' in text
    assert "Pour l&#x27;atelier" in text
    # What the import makes of a serial date is shown under it.
    assert '41724</span><span class="cell-hint">→ 26 mars 2014</span>' in text
    form = {
        "shown_sheet": "Veille",
        "shown_header": "3",
        "sheet": "Veille",
        "header_line": "3",
        "day_order": "day",
        "column_0": "date",
        "column_1": "title",
        "column_2": "url",
        "column_3": "notes",
        "action": "import",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mapping_url, form)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.imported) == (JobStatus.DONE, 2)
    notes = dict(Bookmark.objects.filter(owner=member).values_list("url", "notes"))
    assert notes == {"https://a.example/": "Pour l'atelier", "https://b.example/": "Pour plus tard"}


def test_the_columns_page_follows_a_change_of_header_row_and_sheet(client: Client, member) -> None:
    data = documents.xlsx(
        {
            "Une": [["Lien", "Titre"], ["https://a.example/", "A"]],
            "Deux": [["x"], ["Adresse", "Nom"], ["https://b.example/", "B"]],
        }
    )
    upload(client, "deux.xlsx", data)
    job = ImportJob.objects.get(owner=member)
    url = reverse("veille_imports:mapping", args=[job.pk])
    response = client.post(
        url,
        {"shown_sheet": "Une", "shown_header": "1", "sheet": "Deux", "header_line": "1"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert 'id="mapping-form"' in text and "<html" not in text
    assert 'name="shown_sheet" value="Deux"' in text
    assert 'name="shown_header" value="2"' in text
    response = client.post(
        url,
        {"shown_sheet": "Deux", "shown_header": "2", "sheet": "Deux", "header_line": "0"},
    )
    assert 'name="shown_header" value="0"' in response.content.decode()
    # Importing without an address column is refused on the page.
    response = client.post(
        url,
        {
            "shown_sheet": "Une",
            "shown_header": "1",
            "sheet": "Une",
            "header_line": "1",
            "day_order": "day",
            "column_0": "ignore",
            "column_1": "title",
            "action": "import",
        },
    )
    assert "Choisissez la colonne qui contient les adresses (URL)." in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.MAPPING


def test_progress_while_running_then_the_page_reloads(client: Client, member) -> None:
    job = ImportJobFactory(owner=member, status=JobStatus.RUNNING, rows_read=0, imported=0)
    from maillage.veille.imports.progress import Progress, save_progress

    save_progress(
        job.pk, Progress(rows_read=120, imported=100, merged=15, rejected=5, fraction=0.4)
    )
    page = client.get(reverse("veille_imports:job", args=[job.pk])).content.decode()
    assert 'class="import-progress-bar" max="100" value="40"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "120</strong> lignes lues" in page
    assert "15</strong> fusionnés avec des signets existants" in page
    fragment = client.get(reverse("veille_imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "100</strong> signets ajoutés" in fragment.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    done = client.get(reverse("veille_imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_the_report_as_csv(client: Client, member) -> None:
    job = ImportJobFactory(owner=member)
    ImportIssueFactory(job=job, line=12)
    ImportIssueFactory(job=job, line=40, kind="remark", reason="bad_date", detail="hier", raw="x")
    response = client.get(reverse("veille_imports:report_csv", args=[job.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Ligne", "Résultat", "Motif", "Contenu"]
    assert rows[1][:3] == [
        "12",
        "Non importée",
        "Pas une adresse web (http:// ou https://)\u00a0: «\u00a0ftp://archives.example.org/\u00a0».",
    ]
    assert rows[2][:2] == ["40", "Importée, avec une remarque"]


@pytest.mark.parametrize("name", ["job", "mapping", "progress", "report_csv", "delete"])
def test_someone_elses_import_is_not_found(client: Client, member, name: str) -> None:
    other = ImportJobFactory()
    ImportIssueFactory(job=other)
    url = reverse(f"veille_imports:{name}", args=[other.pk])
    response = client.post(url) if name == "delete" else client.get(url)
    assert response.status_code == 404
    assert ImportJob.objects.filter(pk=other.pk).exists()


def test_a_finished_import_can_be_deleted_not_a_running_one(client: Client, member) -> None:
    done = ImportJobFactory(owner=member)
    running = ImportJobFactory(owner=member, status=JobStatus.RUNNING)
    client.post(reverse("veille_imports:delete", args=[done.pk]))
    client.post(reverse("veille_imports:delete", args=[running.pk]))
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [running.pk]


def test_the_list_of_imports_costs_the_same_for_few_and_many(
    client: Client, member, django_assert_max_num_queries
) -> None:
    ImportJobFactory(owner=member)
    client.get(START)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(START)
    ImportJobFactory.create_batch(15, owner=member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(START)
    assert response.content.decode().count('<td><a href="/veille/importer/') == 16
    assert len(many) == len(few)


def test_the_report_page_costs_the_same_for_few_and_many_lines(client: Client, member) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    job = ImportJobFactory(owner=member)
    ImportIssueFactory(job=job)
    url = reverse("veille_imports:job", args=[job.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ImportIssueFactory.create_batch(60, job=job)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- Exports ---------------------------------------------------------------------------------


def test_exports_hold_all_my_bookmarks_and_nobody_elses(client: Client, member) -> None:
    BookmarkFactory(owner=member, url="https://mine.example/private", visibility="private")
    BookmarkFactory(
        owner=member,
        url="https://mine.example/public",
        visibility="public",
        tags=[TagFactory(name="libre")],
    )
    BookmarkFactory(url="https://other.example/private", visibility="private")
    BookmarkFactory(url="https://other.example/public", visibility="public")
    page = client.get(reverse("veille_imports:export"))
    assert "Vos 2 signets, quelle que soit leur visibilité" in page.content.decode()
    for name in ("html", "csv", "json"):
        response = client.get(reverse("veille_imports:export_download", args=[name]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert "private" in response["Cache-Control"]
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "https://mine.example/private" in body
        assert "https://mine.example/public" in body
        assert "other.example" not in body
    data = json.loads(
        b"".join(
            client.get(reverse("veille_imports:export_download", args=["json"])).streaming_content
        )
    )
    assert {record["url"] for record in data} == {
        "https://mine.example/private",
        "https://mine.example/public",
    }
    assert client.get(reverse("veille_imports:export_download", args=["pdf"])).status_code == 404


def test_exports_need_a_member(client: Client) -> None:
    response = client.get(reverse("veille_imports:export_download", args=["html"]))
    assert response.status_code == 302


def test_forms_refuse_a_post_without_its_csrf_token(member) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        START, {"file": SimpleUploadedFile("a.html", b"<DL>"), "visibility": "members"}
    )
    assert response.status_code == 403
    job = ImportJobFactory(owner=member)
    assert client.post(reverse("veille_imports:delete", args=[job.pk])).status_code == 403
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_without_javascript_the_running_page_offers_a_refresh_link(client: Client, member) -> None:
    job = ImportJobFactory(owner=member, status=JobStatus.QUEUED)
    page = client.get(reverse("veille_imports:job", args=[job.pk])).content.decode()
    assert "En attente de démarrage…" in page
    assert f'<a href="/veille/importer/{job.pk}/">Actualiser</a>' in page
    # Without htmx, the progress address answers with the fragment, never an empty reload.
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    fragment = client.get(reverse("veille_imports:progress", args=[job.pk]))
    assert fragment.status_code == 200
