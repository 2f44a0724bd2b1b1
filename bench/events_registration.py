"""Concurrent registrations for the last places of a workshop, on a real database.

Fires 50 registrations at once (threads released together by a barrier, each with its own
database connection) at an event with 15 places, through the real service
(`events.services.register_member`), in a database already holding a realistic amount of
events, members and registrations. Prints the data size, the p50/p95 latency of one
registration, and the final counts, which must be exactly 15 confirmed and 35 waiting.

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL points at one (a
`test_…` database is created beside it and dropped at the end):

    .venv/bin/python -m bench.events_registration
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.events_registration
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any


def _configure(data_dir: Path) -> None:
    # Set before Django reads its settings: a throwaway data folder (SQLite file, task queue,
    # secret key), mail kept in memory, the task queue as a real worker would find it.
    os.environ.setdefault("MAILLAGE_MODE", "development")
    os.environ["MAILLAGE_DATA_DIR"] = str(data_dir)
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _database_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (WAL, BEGIN IMMEDIATE)"
    if connection.vendor == "postgresql":
        version = int(getattr(connection, "pg_version", 0))  # e.g. 150020 for 15.20
        return f"PostgreSQL {version // 10000}.{version % 10000} (SELECT … FOR UPDATE)"
    return connection.vendor


def _generate_background(*, members: int, events: int, per_event: int, seed: int) -> None:
    """Past and upcoming events with their registrations, members of every profession."""
    from django.utils import timezone

    from maillage.events.models import (
        Event,
        EventStatus,
        Registration,
        RegistrationStatus,
        new_check_in_code,
        new_token,
    )
    from maillage.members.models import Profession, User

    rng = random.Random(seed)
    professions = list(Profession.values)
    User.objects.bulk_create(
        [
            User(
                email=f"membre{n}@bench.example",
                display_name=f"Membre {n}",
                password="!",
                profession=rng.choice(professions),
            )
            for n in range(members)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    event_rows = []
    for n in range(events):
        starts_at = now + timedelta(days=rng.randint(-900, 120), hours=rng.randint(8, 19))
        event_rows.append(
            Event(
                kind="workshop",
                title=f"Atelier de fond {n}",
                slug=f"atelier-de-fond-{n}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1, minutes=45),
                capacity=per_event,
                status=EventStatus.CLOSED if starts_at < now else EventStatus.PUBLISHED,
            )
        )
    Event.objects.bulk_create(event_rows, batch_size=1000)
    registrations = []
    for event in Event.objects.filter(slug__startswith="atelier-de-fond-"):
        codes: set[str] = set()
        for index in range(per_event + rng.randint(0, 8)):
            code = new_check_in_code()
            while code in codes:
                code = new_check_in_code()
            codes.add(code)
            waiting = index >= per_event
            registrations.append(
                Registration(
                    event=event,
                    name=f"Personne {index}",
                    email=f"p{index}-{event.pk}@bench.example",
                    profession=rng.choice(professions),
                    status=RegistrationStatus.WAITING if waiting else RegistrationStatus.CONFIRMED,
                    created_at=event.starts_at - timedelta(days=10, minutes=-index),
                    confirmed_at=None if waiting else event.starts_at - timedelta(days=10),
                    waiting_since=event.starts_at - timedelta(days=10, minutes=-index)
                    if waiting
                    else None,
                    token=new_token(),
                    check_in_code=code,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)


def _round(
    *, threads: int, capacity: int, number: int, together: bool = True
) -> tuple[list[float], Counter[str], float]:
    """Fill one new event: `threads` registrations released together (or one after another)."""
    from django.db import connection
    from django.utils import timezone

    from maillage.events import services
    from maillage.events.models import Event, EventStatus, Registration
    from maillage.members.models import Role, User

    organiser = User.objects.create(
        email=f"organisatrice{number}@bench.example",
        display_name="Organisatrice",
        role=Role.COORDINATOR,
        password="!",
    )
    starts_at = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        kind="workshop",
        title=f"Les dernières places {number}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=45),
        capacity=capacity,
        status=EventStatus.PUBLISHED,
        created_by=organiser,
    )
    event.organisers.add(organiser)
    people = User.objects.bulk_create(
        [
            User(email=f"r{number}-{n}@bench.example", display_name=f"R {n}", password="!")
            for n in range(threads)
        ]
    )
    barrier = threading.Barrier(threads if together else 1)
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def register(user: Any) -> None:
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            services.register_member(event=event, user=user)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    started = time.perf_counter()
    if together:
        workers = [threading.Thread(target=register, args=(user,)) for user in people]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    else:
        for user in people:
            worker = threading.Thread(target=register, args=(user,))
            worker.start()
            worker.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} registrations failed: {errors[0]!r}")
    counts = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    return latencies, counts, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=50, help="registrations fired at once")
    parser.add_argument("--capacity", type=int, default=15, help="places of the event")
    parser.add_argument("--rounds", type=int, default=3, help="events to fill, one after another")
    parser.add_argument("--members", type=int, default=5000, help="background members")
    parser.add_argument("--events", type=int, default=1000, help="background events")
    parser.add_argument("--per-event", type=int, default=20, help="places of background events")
    parser.add_argument("--seed", type=int, default=2014)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as folder:
        _configure(Path(folder))
        from django.db import connection

        from maillage.events.models import Event, Registration
        from maillage.members.models import User

        test_database = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            started = time.perf_counter()
            _generate_background(
                members=options.members,
                events=options.events,
                per_event=options.per_event,
                seed=options.seed,
            )
            generated = time.perf_counter() - started
            print(
                f"Machine: {platform.machine()}, {os.cpu_count()} processors, "
                f"Python {platform.python_version()}"
            )
            print(f"Database: {_database_description()}")
            size = ""
            if connection.vendor == "sqlite":
                size = f", file {Path(test_database).stat().st_size / 1024 / 1024:.1f} MB"
            print(
                f"Data: {User.objects.count():,} members, {Event.objects.count():,} events, "
                f"{Registration.objects.count():,} registrations (generated in "
                f"{generated:.1f} s){size}"
            )
            print(
                f"Firing {options.threads} registrations at once for {options.capacity} places, "
                f"{options.rounds} rounds"
            )
            latencies: list[float] = []
            ok = True
            for number in range(options.rounds):
                round_latencies, counts, wall = _round(
                    threads=options.threads, capacity=options.capacity, number=number
                )
                latencies += round_latencies
                confirmed, waiting = counts.get("confirmed", 0), counts.get("waiting", 0)
                expected = (options.capacity, options.threads - options.capacity)
                ok = ok and (confirmed, waiting) == expected
                print(
                    f"  round {number + 1}: {confirmed} confirmed, {waiting} waiting "
                    f"(expected {expected[0]} and {expected[1]}), all in {wall * 1000:.0f} ms"
                )
            alone, _counts, _wall = _round(
                threads=options.threads,
                capacity=options.capacity,
                number=options.rounds,
                together=False,
            )
            floor = [value * 1000 for value in alone]
            print(
                f"For reference, the same registrations one after another: "
                f"p50 {_percentile(floor, 50):.1f} ms, p95 {_percentile(floor, 95):.1f} ms"
            )
            milliseconds = [value * 1000 for value in latencies]
            print(
                f"Latency of one registration over {len(milliseconds)}: "
                f"p50 {_percentile(milliseconds, 50):.1f} ms, "
                f"p95 {_percentile(milliseconds, 95):.1f} ms, "
                f"max {max(milliseconds):.1f} ms"
            )
            print("Capacity respected: " + ("yes" if ok else "NO"))
            return 0 if ok else 1
        finally:
            connection.creation.destroy_test_db(test_database, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
