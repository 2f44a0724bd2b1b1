"""Progress of a running import, kept in the cache: the import's own transaction holds the
database's write lock (SQLite) until it ends, so the figures cannot go there meanwhile."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.core.cache import cache

KEY = "veille_imports:progress:{job_id}"
TIMEOUT = 24 * 3600


@dataclass
class Progress:
    rows_read: int = 0
    imported: int = 0
    merged: int = 0
    rejected: int = 0
    # 0 to 1, from the bytes or rows read so far.
    fraction: float = 0.0
    # time.time() of the last update: a worker that stopped leaves an old heartbeat.
    heartbeat: float = 0.0

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


def save_progress(job_id: int, progress: Progress) -> None:
    progress.heartbeat = time.time()
    cache.set(KEY.format(job_id=job_id), asdict(progress), TIMEOUT)


def read_progress(job_id: int) -> Progress | None:
    data = cache.get(KEY.format(job_id=job_id))
    if not isinstance(data, dict):
        return None
    try:
        return Progress(**data)
    except TypeError:
        return None


def forget_progress(job_id: int) -> None:
    cache.delete(KEY.format(job_id=job_id))
