"""Task queue wiring: huey on SQLite by default, on Redis when REDIS_URL is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def huey_settings(*, redis_url: str | None, data_dir: Path, immediate: bool) -> dict[str, Any]:
    """Return the HUEY setting read by huey.contrib.djhuey."""
    common: dict[str, Any] = {
        "name": "maillage",
        "immediate": immediate,
        "utc": True,
        "consumer": {
            "workers": 2,
            "worker_type": "thread",
            "periodic": True,
            "check_worker_health": True,
        },
    }
    if redis_url:
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url}
    # The queue lives in its own SQLite file so that it never contends with the site's database.
    return {
        **common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(data_dir / "tasks.sqlite3"),
    }


def queue_is_reachable() -> bool:
    """True when the queue's storage answers (used by /healthz)."""
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception:
        return False
    return True
