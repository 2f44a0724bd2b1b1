"""core.tasks: huey from the environment (SQLite or Redis), and whether the queue answers."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import huey.contrib.djhuey
import pytest
from huey import Huey, RedisHuey, SqliteHuey
from huey.utils import load_class

from maillage.core.tasks import huey_settings, queue_is_reachable
from tests.services import free_port, service_missing

REDIS_URL = "redis://127.0.0.1:6379/15"


def huey_from(config: dict[str, Any], name: str | None = None) -> Huey:
    """Build the instance as huey.contrib.djhuey does from settings.HUEY."""
    options = dict(config)
    queue_name = name or options.pop("name")
    options.pop("name", None)
    huey_class = load_class(options.pop("huey_class"))
    options.pop("consumer", None)
    options.update(options.pop("connection", {}))
    queue: Huey = huey_class(queue_name, **options)
    return queue


def test_sqlite_by_default(tmp_path: Path) -> None:
    config = huey_settings(redis_url=None, data_dir=tmp_path, immediate=False)
    assert config["huey_class"] == "huey.SqliteHuey"
    assert config["filename"] == str(tmp_path / "tasks.sqlite3")
    assert config["immediate"] is False
    assert config["utc"] is True
    assert config["consumer"]["periodic"] is True
    assert "url" not in config


def test_redis_when_redis_url_is_set(tmp_path: Path) -> None:
    config = huey_settings(redis_url="redis://cache:6379/1", data_dir=tmp_path, immediate=False)
    assert config["huey_class"] == "huey.RedisHuey"
    assert config["url"] == "redis://cache:6379/1"
    assert "filename" not in config


def test_immediate_mode_is_passed_through(tmp_path: Path) -> None:
    assert huey_settings(redis_url=None, data_dir=tmp_path, immediate=True)["immediate"] is True


def test_tests_run_tasks_immediately(settings: Any) -> None:
    assert settings.HUEY["immediate"] is True
    assert huey.contrib.djhuey.HUEY.immediate


def test_a_task_runs_through_the_sqlite_queue(tmp_path: Path) -> None:
    queue = huey_from(huey_settings(redis_url=None, data_dir=tmp_path, immediate=False))
    assert isinstance(queue, SqliteHuey)

    @queue.task()
    def add(a: int, b: int) -> int:
        return a + b

    pending = add(2, 3)
    assert queue.pending_count() == 1
    queue.execute(queue.dequeue())
    assert pending.get() == 5
    assert (tmp_path / "tasks.sqlite3").exists()


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        service_missing(f"Redis is not reachable at {REDIS_URL}: {error}")


def test_a_task_runs_through_the_redis_queue(tmp_path: Path) -> None:
    _redis_or_skip()
    queue = huey_from(
        huey_settings(redis_url=REDIS_URL, data_dir=tmp_path, immediate=False),
        name=f"maillage-test-{uuid.uuid4().hex}",
    )
    assert isinstance(queue, RedisHuey)

    @queue.task()
    def shout(word: str) -> str:
        return word.upper()

    try:
        pending = shout("veille")
        assert queue.pending_count() == 1
        queue.execute(queue.dequeue())
        assert pending.get() == "VEILLE"
    finally:
        queue.storage.flush_all()


def test_queue_is_reachable_in_tests() -> None:
    assert queue_is_reachable()


def test_queue_is_reachable_on_redis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _redis_or_skip()
    queue = huey_from(
        huey_settings(redis_url=REDIS_URL, data_dir=tmp_path, immediate=False),
        name=f"maillage-test-{uuid.uuid4().hex}",
    )
    monkeypatch.setattr(huey.contrib.djhuey, "HUEY", queue)
    assert queue_is_reachable()


def test_queue_is_unreachable_when_redis_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A free port on 127.0.0.1: nothing listens there.
    url = f"redis://127.0.0.1:{free_port()}/0"
    queue = huey_from(huey_settings(redis_url=url, data_dir=tmp_path, immediate=False))
    monkeypatch.setattr(huey.contrib.djhuey, "HUEY", queue)
    assert not queue_is_reachable()
