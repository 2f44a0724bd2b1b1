"""Reading imports: only ever the viewer's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from maillage.veille.imports.models import ImportIssue, ImportJob

RECENT_IMPORTS = 20


def imports_of(owner: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(owner=owner).order_by("-created_at", "-pk")


def import_of(owner: Any, pk: int) -> ImportJob | None:
    """The import if it is the owner's: someone else's is as absent as a missing one."""
    if not getattr(owner, "is_authenticated", False):
        return None
    return ImportJob.objects.filter(owner=owner, pk=pk).first()


def issues_of(job: ImportJob) -> QuerySet[ImportIssue]:
    return job.issues.order_by("pk")
