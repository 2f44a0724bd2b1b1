"""`maillage import bookmarks` and `maillage export bookmarks`: in-process through Django's
call_command, and once end to end through the console script on a fresh database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from maillage.veille.imports.cli import ProgressBar
from maillage.veille.imports.models import ImportJob, JobOrigin, JobStatus
from maillage.veille.imports.progress import Progress
from maillage.veille.models import Bookmark
from tests.console import run_maillage
from tests.factories import BookmarkFactory, UserFactory
from tests.veille_imports import documents

pytestmark = pytest.mark.django_db


def run_command(*arguments: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with translation.override("fr"):
        call_command(*arguments, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_import_a_bookmarks_file(write) -> None:
    owner = UserFactory(email="sophie@example.org")
    html = documents.netscape(
        [
            '<DT><A HREF="https://a.example/" TAGS="musées">A</A>',
            '<DT><A HREF="ftp://b.example/">B</A>',
        ]
    )
    path = write("marque-pages.html", html)
    out, err = run_command(
        "import",
        "bookmarks",
        str(path),
        "--owner",
        "SOPHIE@example.org",
        "--visibility",
        "public",
        "--tag",
        "import 2014",
        "--quiet",
    )
    assert "1 importés, 0 fusionnés, 1 non importés, sur 2 lignes lues" in out
    assert "ligne 7\u00a0: Pas une adresse web" in err
    assert "/veille/importer/" in err  # where the whole report is
    job = ImportJob.objects.get(owner=owner)
    assert (job.origin, job.status) == (JobOrigin.COMMAND_LINE, JobStatus.DONE)
    bookmark = Bookmark.objects.get(owner=owner)
    assert bookmark.visibility == "public"
    assert sorted(tag.slug for tag in bookmark.tags.all()) == ["import-2014", "musees"]


def test_import_a_spreadsheet_correcting_a_column(write) -> None:
    owner = UserFactory(email="sophie@example.org")
    data = documents.xlsx(
        {
            "Vide": [],
            "Veille": [
                ["Titre", "Lien", "Vu par"],
                ["Atelier", "https://a.example/", "Mathieu"],
            ],
        }
    )
    path = write("veille.xlsx", data)
    _out, err = run_command(
        "import",
        "bookmarks",
        str(path),
        "--owner",
        owner.email,
        "--column",
        "Vu par=tags",
        "--quiet",
    )
    assert (
        "Colonnes (ligne 1)\u00a0: Titre → Titre; Lien → Adresse (URL); Vu par → Mots-clés" in err
    )
    bookmark = Bookmark.objects.get(owner=owner)
    assert [tag.name for tag in bookmark.tags.all()] == ["Mathieu"]
    with pytest.raises(CommandError, match="--column"):
        run_command(
            "import",
            "bookmarks",
            str(path),
            "--owner",
            owner.email,
            "--column",
            "Lien=ignore",
            "--quiet",
        )
    with pytest.raises(CommandError, match="Pas de feuille «\u00a0Autre\u00a0»"):
        run_command("import", "bookmarks", str(path), "--owner", owner.email, "--sheet", "Autre")


def test_import_refusals_are_one_line(write) -> None:
    UserFactory(email="sophie@example.org")
    with pytest.raises(CommandError, match=r"Aucun membre n’a l’adresse personne@example\.org"):
        run_command("import", "bookmarks", "x.html", "--owner", "personne@example.org")
    path = write("photo.html", documents.png())
    with pytest.raises(CommandError, match="Ce fichier est une image PNG"):
        run_command("import", "bookmarks", str(path), "--owner", "sophie@example.org")
    with pytest.raises(CommandError, match="Aucun fichier"):
        run_command("import", "bookmarks", "/nulle/part.html", "--owner", "sophie@example.org")


def test_the_progress_bar_redraws_on_a_terminal_and_writes_lines_elsewhere() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with translation.override("fr"):
        bar = ProgressBar(terminal)
        bar.update(
            Progress(rows_read=12_000, imported=11_000, merged=900, rejected=100, fraction=0.5)
        )
        bar.update(
            Progress(rows_read=24_000, imported=22_000, merged=1800, rejected=200, fraction=1)
        )
        bar.finish()
    drawn = terminal.getvalue()
    assert drawn.count("\r") == 2 and drawn.endswith("\n")
    assert " 50 %" in drawn and "100 %" in drawn
    assert "24\u202f000 lignes lues, 22\u202f000 importées, 1\u202f800 fusionnées" in drawn
    log = io.StringIO()
    bar = ProgressBar(log)
    bar.update(Progress(rows_read=1, fraction=0.1))
    bar.update(Progress(rows_read=2, fraction=0.2))  # within 5 s of the last line: not written
    bar.update(Progress(rows_read=3, fraction=1))
    assert log.getvalue().count("\n") == 2 and "\r" not in log.getvalue()


def test_export_to_the_standard_output_and_to_a_file(tmp_path) -> None:
    owner = UserFactory(email="sophie@example.org")
    BookmarkFactory(owner=owner, url="https://mine.example/", visibility="private")
    BookmarkFactory(url="https://other.example/")
    out, _err = run_command("export", "bookmarks", "--owner", owner.email, "--format", "json")
    assert [record["url"] for record in json.loads(out)] == ["https://mine.example/"]
    target = tmp_path / "signets.html"
    _out, err = run_command("export", "bookmarks", "--owner", owner.email, "-o", str(target))
    assert "Écrit\u00a0:" in err
    assert 'HREF="https://mine.example/"' in target.read_text()
    assert "other.example" not in target.read_text()


@pytest.mark.django_db(transaction=True)
def test_the_console_script_imports_and_exports(tmp_path, migrated_data_dir) -> None:
    """The command people type, on its own (migrated) database: a member, import, export."""
    data = migrated_data_dir
    created = run_maillage(
        "createadmin",
        "--email",
        "claire@example.org",
        "--name",
        "Claire",
        "--no-input",
        data_dir=data,
        MAILLAGE_ADMIN_PASSWORD="un mot de passe assez long",
    )
    assert created.returncode == 0, created.stderr
    html = documents.netscape(
        [f'<DT><A HREF="https://s{n}.example/" TAGS="veille">Page {n}</A>' for n in range(50)]
    )
    source = tmp_path / "marque-pages.html"
    source.write_text(html)
    imported = run_maillage(
        "import",
        "bookmarks",
        str(source),
        "--owner",
        "claire@example.org",
        data_dir=data,
        LANG="fr_FR.UTF-8",
    )
    assert imported.returncode == 0, imported.stderr
    assert "50 importés, 0 fusionnés, 0 non importés, sur 50 lignes lues" in imported.stdout
    assert "100 %" in imported.stderr  # the progress, on the error stream
    again = run_maillage(
        "import",
        "bookmarks",
        str(source),
        "--owner",
        "claire@example.org",
        "--quiet",
        data_dir=data,
        LANG="fr_FR.UTF-8",
    )
    assert "0 importés, 50 fusionnés" in again.stdout
    exported = run_maillage(
        "export", "bookmarks", "--owner", "claire@example.org", "--format", "html", data_dir=data
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count("<DT><A HREF=") == 50
    refused = run_maillage(
        "import",
        "bookmarks",
        str(tmp_path / "absent.html"),
        "--owner",
        "claire@example.org",
        data_dir=data,
        LANG="fr_FR.UTF-8",
    )
    assert refused.returncode == 1
    assert "Aucun fichier" in refused.stderr and "Traceback" not in refused.stderr
