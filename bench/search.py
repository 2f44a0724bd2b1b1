"""The search index at scale: generated French bookmarks, `core.search`'s own code paths.

Generates N bookmarks (1,000,000 by default) whose words follow French frequencies (the
`wordfreq` package's French list, a Zipfian distribution: a few very common words, a long tail of
rare ones), some tagged, public, members-only or private; then times the real rebuild
(`core.search.rebuild`, what `maillage search reindex` runs: bookmarks read as plain values,
the French analysis in a pool of processes, the inserts, FTS5 optimize), measures the index on
disk, and runs a fixed list of 100 queries through `core.search.search` as a member would
(counts per kind, two tiers when needed, highlighted passages included), reporting p50/p95/p99.

Wall-clock figures depend on what else the machine runs: the load average is printed with them,
and so is the processor time the work itself took (this process and its workers).

    .venv/bin/pip install -e '.[bench]'          # wordfreq
    .venv/bin/python -m bench.search                       # 1,000,000 documents, SQLite
    .venv/bin/python -m bench.search --documents 100000    # a quicker run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.search

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL points at one (a `test_…`
database is created beside it and dropped at the end). Goals (DESIGN.md §4, issue 6): p95 under
30 ms at 1,000,000 documents on SQLite, a reindex of 1,000,000 documents under 5 minutes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_P95_MS = 30.0
GOAL_REINDEX_S = 300.0
BATCH = 20_000


def _configure(data_dir: Path) -> None:
    os.environ.setdefault("MAILLAGE_MODE", "development")
    os.environ["MAILLAGE_DATA_DIR"] = str(data_dir)
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _cpu_seconds() -> float:
    """Processor time of this process and of its finished children (the reindex's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


class Vocabulary:
    """French words and their frequencies; words drawn at random follow Zipf's law."""

    def __init__(self, size: int, seed: int) -> None:
        try:
            import wordfreq
        except ImportError:
            sys.exit("bench.search needs wordfreq: .venv/bin/pip install -e '.[bench]'")
        self.words = [w for w in wordfreq.top_n_list("fr", size) if w.isalpha() and len(w) > 1]
        weights = [wordfreq.word_frequency(word, "fr") for word in self.words]
        self.cumulative = list(itertools.accumulate(weights))
        self.random = random.Random(seed)

    def draw(self, count: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=count)

    def rank(self, start: int, stop: int) -> list[str]:
        return self.words[start:stop]


def _generate(documents: int, vocabulary: Vocabulary, seed: int) -> None:
    """Members, tags and bookmarks, written with plain SQL (their creation is not measured)."""
    from django.db import connection
    from django.utils import timezone

    from maillage.core.models import Tag
    from maillage.members.models import User
    from maillage.veille.models import Bookmark

    rng = random.Random(seed)
    owners = User.objects.bulk_create(
        [
            User(email=f"membre{n}@bench.example", display_name=f"Membre {n}", is_active=True)
            for n in range(1000)
        ]
    )
    owner_ids = [owner.pk for owner in owners]
    tags = Tag.objects.bulk_create(
        [Tag(name=word, slug=word) for word in vocabulary.rank(300, 500) if word.isascii()]
    )
    start = timezone.now() - timezone.timedelta(days=3650)
    table = Bookmark._meta.db_table
    through = Bookmark.tags.through._meta.db_table
    columns = (
        "owner_id, url, normalised_url, url_digest, title, notes, visibility, to_read, source, "
        "created_at, updated_at, fetch_status, fetch_error, page_title, page_description, "
        "page_language, page_text, site_name, preview_image_url, favicon"
    )
    marks = ", ".join(["%s"] * 20)
    next_id = 1
    for first in range(0, documents, BATCH):
        count = min(BATCH, documents - first)
        words = vocabulary.draw(count * 70)
        rows, tag_rows = [], []
        for n in range(count):
            number = first + n
            title_length = rng.randint(4, 12)
            body_length = rng.randint(20, 120)
            offset = n * 70
            title = " ".join(words[offset : offset + title_length]).capitalize()
            body = " ".join(words[offset + title_length : offset + title_length + body_length])
            created = start + timezone.timedelta(minutes=number * 5)
            visibility = rng.choices(["public", "members", "private"], [7, 2, 1])[0]
            url = f"https://site{number % 5000}.example/{number}"
            rows.append(
                (
                    rng.choice(owner_ids),
                    url,
                    url,
                    f"{number:064x}",
                    title,
                    body[:200],
                    visibility,
                    False,
                    "manual",
                    created,
                    created,
                    "done",
                    "",
                    "",
                    "",
                    "fr",
                    body,
                    "",
                    "",
                    "",
                )
            )
            for tag in rng.sample(tags, rng.choice([0, 0, 1, 2])):
                tag_rows.append((next_id + n, tag.pk))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            cursor.executemany(
                f"INSERT INTO {through} (bookmark_id, tag_id) VALUES (%s, %s)", tag_rows
            )
        next_id += count
        print(f"\r  generated {first + count:,} bookmarks", end="", flush=True)
    print()


def _queries(vocabulary: Vocabulary, seed: int) -> list[str]:
    """100 fixed queries: single words of every frequency, pairs, phrases, exclusions, tags."""
    rng = random.Random(seed)
    common = [w for w in vocabulary.rank(150, 1000) if w.isascii()]
    middle = [w for w in vocabulary.rank(1000, 8000) if w.isascii()]
    rare = [w for w in vocabulary.rank(8000, 20000) if w.isascii()]
    tags = [w for w in vocabulary.rank(300, 500) if w.isascii()]
    queries = []
    queries += [rng.choice(common) for _ in range(15)]
    queries += [rng.choice(middle) for _ in range(20)]
    queries += [rng.choice(rare) for _ in range(15)]
    queries += [f"{rng.choice(common)} {rng.choice(middle)}" for _ in range(15)]
    queries += [f"{rng.choice(middle)} {rng.choice(middle)}" for _ in range(10)]
    queries += [f'"{rng.choice(common)} {rng.choice(common)}"' for _ in range(5)]
    queries += [f"{rng.choice(middle)} -{rng.choice(common)}" for _ in range(8)]
    queries += [f"#{rng.choice(tags)} {rng.choice(middle)}" for _ in range(7)]
    queries += [f"{rng.choice(common)} {rng.choice(common)} {rng.choice(middle)}" for _ in range(5)]
    return queries


def _index_size_mb() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'core_search%' GROUP BY name"
            )
            parts = dict(cursor.fetchall())
            fts = sum(size for name, size in parts.items() if name.startswith("core_search_fts"))
            rows = sum(parts.values()) - fts
            return (
                f"full-text index {fts / 1e6:,.0f} MB + documents (originals for passages, "
                f"indexes) {rows / 1e6:,.0f} MB"
            )
        cursor.execute(
            "SELECT pg_total_relation_size('core_searchdocument'), "
            "pg_relation_size('core_search_vector')"
        )
        total, gin = cursor.fetchone()
        return f"table with tsvector {total / 1e6:,.0f} MB, of which GIN index {gin / 1e6:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--vocabulary", type=int, default=50_000, help="French words used")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the 100 queries")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument(
        "--workers", type=int, default=None, help="processes analysing text (default: as reindex)"
    )
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as folder:
        _configure(Path(folder))
        from django.db import connection

        from maillage.core.search import engine, indexing
        from maillage.members.models import User

        test_database = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            vocabulary = Vocabulary(options.vocabulary, options.seed)
            started = time.perf_counter()
            _generate(options.documents, vocabulary, options.seed)
            print(f"Generated in {time.perf_counter() - started:.0f} s")
            print(
                f"Machine: {platform.machine()}, {os.cpu_count()} processors, "
                f"Python {platform.python_version()}"
            )
            if connection.vendor == "sqlite":
                print(f"Database: SQLite {sqlite3.sqlite_version}")
            else:
                version = int(getattr(connection, "pg_version", 0))
                print(f"Database: PostgreSQL {version // 10000}.{version % 10000}")

            def progress(done: int, total: int) -> None:
                print(f"\r  indexed {done:,}/{total:,}", end="", flush=True)

            print(f"Load average before reindexing: {_load()}")
            started, cpu = time.perf_counter(), _cpu_seconds()
            count = indexing.rebuild(progress=progress, workers=options.workers)
            build, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            print()
            print(
                f"Reindex: {count:,} documents in {build:.0f} s "
                f"({count / build:,.0f} per second; goal: 1,000,000 in {GOAL_REINDEX_S:.0f} s); "
                f"processor time {cpu:.0f} s, workers included; load average after: {_load()}"
            )
            print(f"Index size: {_index_size_mb()}")
            if connection.vendor == "sqlite":
                size = Path(test_database).stat().st_size / 1e6
                print(f"Database file: {size:,.0f} MB")

            viewer: Any = User.objects.order_by("pk").first()
            queries = _queries(vocabulary, options.seed)
            for text in queries:  # warm the caches once, as a running site has them
                engine.search(viewer=viewer, text=text)
            latencies: list[float] = []
            processor: list[float] = []
            totals: list[int] = []
            print(f"Load average before the queries: {_load()}")
            for _ in range(options.repeat):
                for text in queries:
                    started, cpu = time.perf_counter(), time.process_time()
                    results = engine.search(viewer=viewer, text=text)
                    latencies.append((time.perf_counter() - started) * 1000)
                    processor.append((time.process_time() - cpu) * 1000)
                    totals.append(results.total)
            p50, p95, p99 = (_percentile(latencies, p) for p in (50, 95, 99))
            c50, c95, c99 = (_percentile(processor, p) for p in (50, 95, 99))
            print(
                f"Queries: {len(queries)} × {options.repeat}, results counted (up to 1,000 "
                f"per kind): median {statistics.median(totals):,.0f}, max {max(totals):,}"
            )
            print(
                f"Latency (search() with counts and passages): p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms, p99 {p99:.1f} ms (goal: p95 under {GOAL_P95_MS:.0f} ms); "
                f"load average after: {_load()}"
            )
            print(f"Processor time per query: p50 {c50:.1f} ms, p95 {c95:.1f} ms, p99 {c99:.1f} ms")
            slowest = sorted(zip(latencies, itertools.cycle(queries), strict=False))[-5:]
            print("Slowest: " + "; ".join(f"{t} ({ms:.0f} ms)" for ms, t in reversed(slowest)))
        finally:
            connection.creation.destroy_test_db(test_database, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
