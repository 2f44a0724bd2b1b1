"""The huey task of bench/sources_refresh.py's `--mode tasks`: one feed per task (the design
the benchmark compares with the thread pool of the periodic task)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from maillage.veille.sources import refresh


@db_task()
def refresh_one_feed(feed_id: int) -> None:
    refresh.refresh_feed(feed_id=feed_id)
