"""Running an import the way the task does, from a file written by the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.test import TestCase

from maillage.veille.imports import services
from maillage.veille.imports.mapping import TableMapping
from maillage.veille.imports.models import ImportJob, JobStatus


def start(owner: Any, path: Path, **settings: Any) -> ImportJob:
    with path.open("rb") as handle:
        return services.start_import(
            owner=owner,
            file=File(handle, name=path.name),
            original_name=path.name,
            settings=services.ImportSettings(**settings),
            run_in_background=False,
        )


def run(
    owner: Any, path: Path, *, mapping: TableMapping | None = None, **settings: Any
) -> ImportJob:
    """Start, confirm the guessed columns of a table (or those given), run; the job, re-read."""
    batch_size = settings.pop("batch_size", 2000)
    job = start(owner, path, **settings)
    if job.status == JobStatus.MAPPING:
        services.confirm_mapping(
            job=job,
            mapping=mapping or services.preview(job).mapping,
            run_in_background=False,
        )
    # As the task does: what waits for the commit (the search index) runs after it.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.run_import(job_id=job.pk, batch_size=batch_size)
    job.refresh_from_db()
    return job
