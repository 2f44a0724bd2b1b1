"""Imports written to the database: counts, merges, the report, all or nothing, limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from maillage.core import search
from maillage.core.models import Tag
from maillage.veille.imports import bulk, services, upkeep
from maillage.veille.imports.errors import ErrorCode
from maillage.veille.imports.mapping import Field, TableMapping
from maillage.veille.imports.models import ImportIssue, ImportJob, IssueKind, JobStatus
from maillage.veille.imports.progress import Progress, save_progress
from maillage.veille.imports.rows import Reason
from maillage.veille.models import Bookmark, BookmarkSource, PageFetchStatus
from tests.factories import BookmarkFactory, TagFactory, UserFactory
from tests.veille_imports import documents
from tests.veille_imports.helpers import run, start

pytestmark = pytest.mark.django_db

MARCH_26 = datetime(2014, 3, 26, 8, 46, 40, tzinfo=UTC)


def entry(url: str, title: str = "", **attributes: str) -> str:
    extra = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f'<DT><A HREF="{url}"{extra}>{title}</A>'


def test_a_bookmarks_file_is_imported(write) -> None:
    owner = UserFactory()
    html = documents.netscape(
        [
            entry(
                "https://a.example/page?utm_source=x", "A", ADD_DATE="1395823600", TAGS="Musées,web"
            ),
            "<DD>Une note",
            entry("https://b.example/", "B", PRIVATE="1", TOREAD="1", TAGS="musees"),
            entry("https://c.example/", "C", LAST_MODIFIED="1395910000"),
        ]
    )
    job = run(owner, write("marque-pages.html", html))
    assert (job.status, job.rows_read, job.imported, job.merged, job.rejected) == (
        JobStatus.DONE,
        3,
        3,
        0,
        0,
    )
    assert job.started_at and job.finished_at
    a, b, c = Bookmark.objects.filter(owner=owner).order_by("url")
    assert (a.url, a.normalised_url) == (
        "https://a.example/page?utm_source=x",
        "https://a.example/page",
    )
    assert (a.title, a.notes, a.created_at, a.source) == (
        "A",
        "Une note",
        MARCH_26,
        BookmarkSource.IMPORT,
    )
    assert (a.visibility, a.to_read, a.fetch_status) == ("members", False, PageFetchStatus.PENDING)
    assert sorted(tag.slug for tag in a.tags.all()) == ["musees", "web"]
    # "musees" and "Musées" are one tag.
    assert Tag.objects.filter(slug="musees").count() == 1
    assert (b.visibility, b.to_read) == ("private", True)
    assert c.created_at == job.started_at or abs(c.created_at - job.finished_at) < timedelta(
        minutes=1
    )
    # Searchable once the commit is done (the index task runs after it).
    found = search.search(viewer=owner, text="note")
    assert [hit.url for hit in found.hits] == [a.get_absolute_url()]
    assert search.search(viewer=None, text="note").total == 0  # members only


def test_pages_already_kept_and_repeats_in_the_file_are_merged(write) -> None:
    owner = UserFactory()
    kept = BookmarkFactory(
        owner=owner,
        url="https://a.example/page",
        title="Mon titre",
        notes="Ma note",
        visibility="private",
        tags=[TagFactory(name="ancien")],
    )
    someone_else = BookmarkFactory(url="https://b.example/")
    html = documents.netscape(
        [
            entry(
                "https://A.example/page?utm_medium=mail#haut",
                "Autre titre",
                TAGS="nouveau",
                TOREAD="1",
            ),
            "<DD>Une autre note",
            entry("https://b.example/", "B", TAGS="x"),
            entry("https://b.example/#bis", "", TAGS="y"),
            "<DD>Note du doublon",
            entry("https://a.example/page", "Encore", TAGS="ancien"),
            "<DD>Ma note",
        ]
    )
    job = run(owner, write("marque-pages.html", html))
    assert (job.rows_read, job.imported, job.merged, job.rejected) == (4, 1, 3, 0)
    kept.refresh_from_db()
    assert (kept.title, kept.visibility, kept.to_read) == ("Mon titre", "private", True)
    assert kept.notes == "Ma note\n\nUne autre note"
    assert sorted(tag.name for tag in kept.tags.all()) == ["ancien", "nouveau"]
    mine_b = Bookmark.objects.get(owner=owner, url_digest=someone_else.url_digest)
    assert (mine_b.title, mine_b.notes) == ("B", "Note du doublon")
    assert sorted(tag.name for tag in mine_b.tags.all()) == ["x", "y"]
    someone_else.refresh_from_db()
    assert someone_else.tags.count() == 0  # another member's bookmark is never touched
    assert Bookmark.objects.filter(owner=owner).count() == 2


def test_lines_refused_and_remarks_are_in_the_report(write) -> None:
    owner = UserFactory()
    too_long = "https://a.example/" + "x" * 2100
    html = documents.netscape(
        [
            entry("ftp://archives.example/", "FTP"),
            entry("", "Sans adresse"),
            entry(too_long, "Trop long"),
            entry("https://ok.example/", "Bon", ADD_DATE="-5"),
            entry("javascript:alert(1)", "Script"),
        ]
    )
    job = run(owner, write("marque-pages.html", html))
    assert (job.rows_read, job.imported, job.rejected, job.remarks) == (5, 1, 4, 1)
    issues = list(ImportIssue.objects.filter(job=job).order_by("pk"))
    assert [(issue.kind, issue.line, issue.reason) for issue in issues] == [
        (IssueKind.REJECTED, 6, Reason.INVALID_URL),
        (IssueKind.REJECTED, 7, Reason.MISSING_URL),
        (IssueKind.REJECTED, 8, Reason.URL_TOO_LONG),
        (IssueKind.REMARK, 9, Reason.BAD_DATE),
        (IssueKind.REJECTED, 10, Reason.INVALID_URL),
    ]
    assert issues[0].detail == "ftp://archives.example/"
    assert "FTP" in issues[0].raw


def test_nothing_is_written_when_the_database_fails_midway(write, monkeypatch) -> None:
    """All or nothing: a failure in the third batch leaves no bookmark, tag or report line."""
    owner = UserFactory()
    tags_before = Tag.objects.count()
    entries = [entry(f"https://s{n}.example/", f"S{n}", TAGS=f"sujet{n}") for n in range(50)]
    entries.insert(3, entry("ftp://x.example/", "refusé"))
    path = write("marque-pages.html", documents.netscape(entries))
    real_insert = bulk.RowInserter.insert
    calls = {"bookmarks": 0}

    def failing_insert(self, rows):  # type: ignore[no-untyped-def]
        if self.constant and any(field.name == "fetch_status" for field in self.constant):
            calls["bookmarks"] += 1
            if calls["bookmarks"] == 3:
                raise DatabaseError("disk I/O error")
        return real_insert(self, rows)

    monkeypatch.setattr(bulk.RowInserter, "insert", failing_insert)
    job = start(owner, path)
    services.run_import(job_id=job.pk, batch_size=10)
    job.refresh_from_db()
    assert calls["bookmarks"] == 3  # two batches were written, then the third failed
    assert job.status == JobStatus.FAILED
    assert job.error_code == ErrorCode.DATABASE
    assert "disk I/O error" in job.error_message
    assert Bookmark.objects.filter(owner=owner).count() == 0
    assert Tag.objects.count() == tags_before
    assert ImportIssue.objects.filter(job=job).count() == 0
    assert (job.imported, job.rejected) == (0, 0)
    # Running it again (the failure gone) imports everything: nothing was left half-done.
    monkeypatch.setattr(bulk.RowInserter, "insert", real_insert)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    services.run_import(job_id=job.pk, batch_size=10)
    job.refresh_from_db()
    assert (job.status, job.imported, job.rejected) == (JobStatus.DONE, 50, 1)


def test_a_file_over_the_row_limit_is_refused_whole(write, settings) -> None:
    settings.IMPORT_MAX_ROWS = 100
    owner = UserFactory()
    entries = [entry(f"https://s{n}.example/", f"S{n}") for n in range(1000)]
    job = run(owner, write("beaucoup.html", documents.netscape(entries)), batch_size=10)
    assert job.status == JobStatus.FAILED
    assert (job.error_code, job.error_params) == (ErrorCode.TOO_MANY_ROWS, {"limit": 100})
    assert Bookmark.objects.filter(owner=owner).count() == 0
    rows = [["Lien"]] + [[f"https://s{n}.example/"] for n in range(150)]
    job = run(owner, write("beaucoup.xlsx", documents.xlsx({"Veille": rows})))
    assert (job.status, job.error_code) == (JobStatus.FAILED, ErrorCode.TOO_MANY_ROWS)


def test_visibility_is_never_more_open_than_chosen(write) -> None:
    owner = UserFactory()
    html = documents.netscape(
        [
            entry("https://public.example/", VISIBILITY="public"),
            entry("https://members.example/", VISIBILITY="members"),
            entry("https://private.example/", PRIVATE="1"),
            entry("https://plain.example/"),
        ]
    )
    run(owner, write("a.html", html), visibility="public")
    got = dict(Bookmark.objects.filter(owner=owner).values_list("url", "visibility"))
    assert got == {
        "https://public.example/": "public",
        "https://members.example/": "members",
        "https://private.example/": "private",
        "https://plain.example/": "public",
    }
    other = UserFactory()
    run(other, write("b.html", html), visibility="members")
    got = dict(Bookmark.objects.filter(owner=other).values_list("url", "visibility"))
    assert got["https://public.example/"] == "members"
    assert got["https://private.example/"] == "private"


def test_extra_tags_and_folders(write) -> None:
    owner = UserFactory()
    html = documents.netscape(
        ["<DT><H3>Musées</H3>", "<DL><p>", entry("https://a.example/", "A"), "</DL><p>"]
    )
    run(owner, write("a.html", html), tags=("import 2014",))
    bookmark = Bookmark.objects.get(owner=owner)
    assert sorted(tag.slug for tag in bookmark.tags.all()) == ["import-2014", "musees"]
    other = UserFactory()
    run(other, write("b.html", html), folders_as_tags=False)
    assert Bookmark.objects.get(owner=other).tags.count() == 0


def test_a_table_waits_for_its_columns(write) -> None:
    owner = UserFactory()
    path = write("veille.csv", "Vu par;Pourquoi\nhttps://a.example/;à lire\n")
    job = start(owner, path)
    assert job.status == JobStatus.MAPPING
    assert job.option("delimiter") == ";"
    mapping = services.preview(job).mapping
    assert mapping.columns == [Field.IGNORE, Field.IGNORE] or Field.URL in mapping.columns
    with pytest.raises(services.MappingError):
        services.confirm_mapping(
            job=job,
            mapping=TableMapping(sheet="", header_line=1, columns=[Field.IGNORE, Field.NOTES]),
            run_in_background=False,
        )
    services.confirm_mapping(
        job=job,
        mapping=TableMapping(sheet="", header_line=1, columns=[Field.URL, Field.NOTES]),
        run_in_background=False,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    services.run_import(job_id=job.pk)
    bookmark = Bookmark.objects.get(owner=owner)
    assert (bookmark.url, bookmark.notes) == ("https://a.example/", "à lire")


def test_every_sheet_as_a_tag_skipping_sheets_without_addresses(write) -> None:
    owner = UserFactory()
    data = documents.xlsx(
        {
            "Musées": [["Lien", "Titre"], ["https://a.example/", "A"]],
            "Notes": [["Idées"], ["Montrer Delicious ?"]],
            "Archives": [["Adresse"], ["https://b.example/"], ["https://a.example/"]],
        }
    )
    job = start(owner, write("veille.xlsx", data))
    services.confirm_mapping(
        job=job, mapping=services.preview(job).mapping, sheets_as_tags=True, run_in_background=False
    )
    services.run_import(job_id=job.pk)
    job.refresh_from_db()
    assert (job.imported, job.merged, job.rejected) == (2, 1, 0)
    a = Bookmark.objects.get(owner=owner, url="https://a.example/")
    assert sorted(tag.name for tag in a.tags.all()) == ["Archives", "Musées"]
    (skipped,) = ImportIssue.objects.filter(job=job)
    assert (skipped.sheet, skipped.reason) == ("Notes", services.REASON_SHEET_SKIPPED)


def test_running_twice_changes_nothing(write) -> None:
    owner = UserFactory()
    job = run(owner, write("a.html", documents.netscape([entry("https://a.example/")])))
    assert services.run_import(job_id=job.pk).imported == 1  # type: ignore[union-attr]
    assert Bookmark.objects.filter(owner=owner).count() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


def test_progress_is_reported_while_running(write) -> None:
    owner = UserFactory()
    entries = [entry(f"https://s{n}.example/") for n in range(30)]
    job = start(owner, write("a.html", documents.netscape(entries)))
    seen: list[Progress] = []
    services.run_import(
        job_id=job.pk, batch_size=10, on_progress=lambda p: seen.append(Progress(**vars(p)))
    )
    assert seen[0].rows_read == 0
    assert seen[-1].rows_read == 30 and seen[-1].imported == 30 and seen[-1].fraction == 1.0
    assert [p.imported for p in seen] == sorted(p.imported for p in seen)


def test_stalled_imports_start_again_then_give_up(write) -> None:
    owner = UserFactory()
    job = start(owner, write("a.html", documents.netscape([entry("https://a.example/")])))
    long_ago = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=1
    )
    save_progress(job.pk, Progress())  # a heartbeat, but an hour old:
    from django.core.cache import cache

    key = f"veille_imports:progress:{job.pk}"
    cache.set(key, {**cache.get(key), "heartbeat": long_ago.timestamp()})
    assert upkeep.restart_stalled_imports() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    services.run_import(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.attempts) == (JobStatus.DONE, 1, 2)
    # A job still reporting is left alone; one interrupted three times fails.
    fresh = start(owner, write("b.html", documents.netscape([entry("https://b.example/")])))
    ImportJob.objects.filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=1
    )
    save_progress(fresh.pk, Progress(rows_read=5))
    tired = start(owner, write("c.html", documents.netscape([entry("https://c.example/")])))
    ImportJob.objects.filter(pk=tired.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, attempts=3
    )
    assert upkeep.restart_stalled_imports() == 0
    fresh.refresh_from_db()
    tired.refresh_from_db()
    assert fresh.status == JobStatus.RUNNING
    assert (tired.status, tired.error_code) == (JobStatus.FAILED, ErrorCode.INTERRUPTED)


def test_imported_pages_are_handed_to_the_reader_a_few_at_a_time(write) -> None:
    owner = UserFactory()
    BookmarkFactory(owner=owner, url="https://s0.example/", fetch_status="done")
    entries = [entry(f"https://s{n}.example/") for n in range(7)]
    job = run(owner, write("a.html", documents.netscape(entries)))
    assert (job.imported, job.merged) == (6, 1)
    first = upkeep.pages_to_read(budget=4)
    second = upkeep.pages_to_read(budget=4)
    assert len(first) == 4 and len(second) == 2
    assert upkeep.pages_to_read(budget=4) == []
    expected = set(
        Bookmark.objects.filter(owner=owner, fetch_status="pending").values_list("pk", flat=True)
    )
    assert set(first + second) == expected


def test_old_files_are_dropped_but_reports_kept(write) -> None:
    owner = UserFactory()
    job = run(owner, write("a.html", documents.netscape([entry("ftp://x.example/")])))
    path = job.file.path
    assert upkeep.purge_old_files(older_than=timedelta(days=30)) == 0
    assert (
        upkeep.purge_old_files(
            older_than=timedelta(days=30), now=timezone.now() + timedelta(days=31)
        )
        == 1
    )
    job.refresh_from_db()
    assert not job.file
    from pathlib import Path

    assert not Path(path).exists()
    assert job.issues.count() == 1
    # A table whose columns were never checked is forgotten after the same delay.
    waiting = start(owner, write("liens.csv", "Lien\nhttps://a.example/\n"))
    assert waiting.status == JobStatus.MAPPING
    later = timezone.now() + timedelta(days=31)
    assert upkeep.purge_old_files(older_than=timedelta(days=30), now=later) == 1
    assert not ImportJob.objects.filter(pk=waiting.pk).exists()
    assert not Path(waiting.file.path).exists()


def test_a_refused_file_leaves_nothing_behind(write, settings) -> None:
    owner = UserFactory()
    from maillage.veille.imports.errors import ImportRefused

    with pytest.raises(ImportRefused):
        start(owner, write("photo.html", documents.png()))
    assert ImportJob.objects.count() == 0
    media = settings.MEDIA_ROOT / "veille" / "imports"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_the_minute_task_has_imported_pages_read(write, http_server, settings) -> None:
    """The periodic task hands imported pages to the page reader, which reads them for real."""
    from maillage.veille.imports import tasks

    settings.IMPORT_PAGES_READ_PER_MINUTE = 10
    page = (
        "<!doctype html><html lang='fr'><head><title>{title}</title></head>"
        "<body>{body}</body></html>"
    )
    for number in range(3):
        http_server.route(
            f"/page{number}",
            body=page.format(title=f"Page lue {number}", body="Un texte " * 80).encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
    owner = UserFactory()
    rows = "\n".join(http_server.url(f"/page{number}") for number in range(3))
    run(owner, write("liens.csv", f"Lien\n{rows}\n"))
    assert Bookmark.objects.filter(owner=owner, fetch_status="pending").count() == 3
    tasks.read_imported_pages.call_local()
    read = Bookmark.objects.filter(owner=owner).order_by("url")
    assert [bookmark.fetch_status for bookmark in read] == ["done"] * 3
    assert [bookmark.page_title for bookmark in read] == [f"Page lue {n}" for n in range(3)]
    assert upkeep.pages_to_read(budget=10) == []


def test_the_search_index_follows_after_the_commit(write) -> None:
    """New bookmarks and those a merge changed are indexed after the import's commit."""
    owner = UserFactory()
    kept = BookmarkFactory(owner=owner, url="https://a.example/", title="Ancien", notes="")
    untouched = BookmarkFactory(owner=owner, url="https://b.example/", title="Intact")
    html = documents.netscape(
        [
            entry("https://a.example/", "", TAGS="orchidées"),
            "<DD>Une note sur les herbiers",
            entry("https://b.example/", ""),  # nothing new: not changed, not indexed again
            entry("https://c.example/", "Nouvelle page sur les herbiers"),
        ]
    )
    job = start(owner, write("a.html", html))
    services.run_import(job_id=job.pk)  # in the test's transaction: nothing committed yet
    job.refresh_from_db()
    assert sorted(upkeep.imported_bookmark_ids(job)) == sorted(
        [kept.pk, Bookmark.objects.get(url="https://c.example/").pk]
    )
    assert untouched.pk not in upkeep.imported_bookmark_ids(job)
    assert search.search(viewer=owner, text="herbiers").total == 0
    assert upkeep.index_imported_bookmarks(job_id=job.pk) == 2
    found = search.search(viewer=owner, text="herbiers")
    assert sorted(hit.url for hit in found.hits) == sorted(
        [kept.get_absolute_url(), Bookmark.objects.get(url="https://c.example/").get_absolute_url()]
    )
