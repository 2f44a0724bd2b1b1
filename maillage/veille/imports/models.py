"""An import: the file someone gave, how to read it, how far it went, and what it refused."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.veille.imports.formats import TABLE_FORMATS, FileFormat


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the columns to be checked")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed, nothing imported")


class JobOrigin(models.TextChoices):
    WEB = "web", _("Web page")
    COMMAND_LINE = "cli", _("Command line")
    DEMO = "demo", _("Demo")


def import_file_path(job: ImportJob, filename: str) -> str:
    """Under the private media folder, named by a random id: never by what the person typed."""
    suffix = PurePath(filename).suffix.lower()[:10]
    suffix = suffix if suffix[1:].isalnum() else ""
    return f"veille/imports/{job.owner_id}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="bookmark_imports",
    )
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    # visibility, tags, folders_as_tags, day_first, sheets_as_tags, mappings (tables).
    options = models.JSONField(_("options"), default=dict, blank=True)
    origin = models.CharField(
        _("started from"), max_length=10, choices=JobOrigin.choices, default=JobOrigin.WEB
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    merged = models.PositiveIntegerField(_("merged"), default=0)
    rejected = models.PositiveIntegerField(_("lines not imported"), default=0)
    remarks = models.PositiveIntegerField(_("imported with a remark"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    error_params = models.JSONField(_("error details"), default=dict, blank=True)
    # Bookmarks this import created have ids from first to last (those it merged into were
    # marked with updated_at = started_at): the search index takes them after the commit, and
    # their pages are read from reading_cursor on, a few at a time (see tasks.py).
    first_bookmark_id = models.PositiveBigIntegerField(default=0)
    last_bookmark_id = models.PositiveBigIntegerField(default=0)
    reading_cursor = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bookmark import")
        verbose_name_plural = _("bookmark imports")
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.get_format_display()} · {self.owner}"

    def get_absolute_url(self) -> str:
        if self.status == JobStatus.MAPPING:
            return reverse("veille_imports:mapping", kwargs={"pk": self.pk})
        return reverse("veille_imports:job", kwargs={"pk": self.pk})

    @property
    def is_table(self) -> bool:
        return self.format in TABLE_FORMATS

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def error_message(self) -> str:
        from maillage.veille.imports.messages import error_message

        return str(error_message(self.error_code, self.error_params)) if self.error_code else ""

    def option(self, name: str, default: Any = None) -> Any:
        return (self.options or {}).get(name, default)


class IssueKind(models.TextChoices):
    REJECTED = "rejected", _("Not imported")
    REMARK = "remark", _("Imported, with a remark")


class ImportIssue(models.Model):
    """A line of the file that was refused, or imported with something worth saying."""

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="issues", verbose_name=_("import")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IssueKind.choices)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    line = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=40)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raw = models.TextField(_("content"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")
        indexes = [models.Index(fields=["job", "kind"])]

    def __str__(self) -> str:
        return f"{self.job_id} · {self.line} · {self.reason}"

    @property
    def reason_text(self) -> str:
        from maillage.veille.imports.messages import reason_message

        return str(reason_message(self.reason, self.detail))
