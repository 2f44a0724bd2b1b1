"""Refreshing 1,000 feeds from local HTTP servers, half of them answering 304 Not Modified.

Generates the feeds (seeded: titles and summaries of about 20 entries each), serves them from
small HTTP servers on 127.0.0.1, 127.0.0.2… (several hosts, as in real life, where many feeds
share a host), subscribes members to them, then runs the real refresh
(`veille.sources.refresh`, the code the periodic task runs) twice:

1. the first fetch of every feed (all answer 200 with an ETag or a Last-Modified date);
2. the goal: half the feeds changed (3 new entries each), the other half answers 304.

It prints wall time, feeds per second, entries stored, bytes read and the database size, and
exits 1 unless round 2 stays under the goal (30 s) with every feed read and every entry stored
exactly once.

    .venv/bin/python -m bench.sources_refresh
    .venv/bin/python -m bench.sources_refresh --latency 0.2              # slow servers
    .venv/bin/python -m bench.sources_refresh --mode tasks --latency 0.2  # one huey task per feed

`--mode tasks` measures the alternative design: one huey task per feed, run by a real huey
consumer with the workers the settings give it (2 threads), instead of the thread pool inside
one periodic task.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import platform
import random
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

GOAL_SECONDS = 30.0


def _configure(data_dir: Path) -> None:
    os.environ.setdefault("MAILLAGE_MODE", "development")
    os.environ["MAILLAGE_DATA_DIR"] = str(data_dir)
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The feeds are served from 127.0.0.x: the fetcher may reach loopback, for this run only.
    os.environ["FETCH_ALLOW_LOOPBACK"] = "true"
    import django

    django.setup()


# --- The feeds and their servers ------------------------------------------------------------


class Vocabulary:
    """French words drawn by their frequency (Zipf's law), from the wordfreq package's list."""

    def __init__(self, size: int = 5000) -> None:
        try:
            import wordfreq
        except ImportError:
            sys.exit("bench.sources_refresh needs wordfreq: .venv/bin/pip install -e '.[bench]'")
        self.words = [w for w in wordfreq.top_n_list("fr", size) if w.isalpha() and len(w) > 1]
        weights = [wordfreq.word_frequency(word, "fr") for word in self.words]
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self, rng: random.Random, words: int) -> str:
        return " ".join(rng.choices(self.words, cum_weights=self.cumulative, k=words)).capitalize()


@dataclass
class Document:
    etag: str | None
    last_modified: str | None
    body: bytes


@dataclass
class GeneratedFeed:
    number: int
    host: str
    path: str
    items: list[dict[str, Any]] = field(default_factory=list)
    version: int = 1

    def render(self) -> bytes:
        parts = []
        for item in self.items:
            parts.append(
                "<item>"
                f"<title>{escape(item['title'])}</title>"
                f"<link>{escape(item['link'])}</link>"
                f'<guid isPermaLink="true">{escape(item["link"])}</guid>'
                f"<pubDate>{format_datetime(item['date'])}</pubDate>"
                f"<description>{escape(item['summary'])}</description>"
                "</item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Blog n°{self.number}</title>"
            f"<link>http://{self.host}/blog{self.number}/</link>"
            "<description>Un blog du réseau</description>" + "".join(parts) + "</channel></rss>"
        ).encode()


def _item(
    vocabulary: Vocabulary, rng: random.Random, feed: GeneratedFeed, index: int, when: Any
) -> dict[str, Any]:
    sentence = vocabulary.sentence
    return {
        "title": sentence(rng, rng.randint(4, 10)),
        "link": f"http://{feed.host}/blog{feed.number}/billet-{index}",
        "date": when,
        "summary": "<p>" + ". ".join(sentence(rng, 12) for _ in range(rng.randint(3, 6))) + ".</p>",
    }


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # the default (5) refuses connections under a burst

    def __init__(self, host: str, latency: float) -> None:
        super().__init__((host, 0), _Handler)
        self.documents: dict[str, Document] = {}
        self.latency = latency
        self.counts = {200: 0, 304: 0, 404: 0}
        self.bytes_sent = 0
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        document = self.server.documents.get(self.path)
        if document is None:
            status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
        elif (document.etag and self.headers.get("If-None-Match") == document.etag) or (
            document.last_modified
            and self.headers.get("If-Modified-Since") == document.last_modified
        ):
            status, body, headers = 304, b"", {}
        else:
            status, body = 200, document.body
            headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
            if document.etag:
                headers["ETag"] = document.etag
            if document.last_modified:
                headers["Last-Modified"] = document.last_modified
        with self.server.lock:
            self.server.counts[status] += 1
            self.server.bytes_sent += len(body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def _start_servers(count: int, latency: float) -> tuple[list[FeedServer], bool]:
    """One server per loopback address 127.0.0.1…; all on 127.0.0.1 where others cannot bind."""
    servers: list[FeedServer] = []
    distinct = True
    for number in range(1, count + 1):
        try:
            server = FeedServer(f"127.0.0.{number}", latency)
        except OSError:
            distinct = False
            server = FeedServer("127.0.0.1", latency)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(server)
    return servers, distinct


# --- Rounds ---------------------------------------------------------------------------------


@dataclass
class RoundFigures:
    seconds: float
    feeds: int
    new_documents: int
    not_modified: int
    failed: int
    entries_created: int


def _round_with_pool(feed_ids: list[int], *, workers: int, per_host: int) -> RoundFigures:
    from maillage.veille.sources import refresh
    from maillage.veille.sources.models import Feed

    started = time.perf_counter()
    report = refresh.refresh_feeds(
        list(Feed.objects.filter(pk__in=feed_ids)), workers=workers, hosts_at_once=per_host
    )
    return RoundFigures(
        seconds=time.perf_counter() - started,
        feeds=report.feeds,
        new_documents=report.new_documents,
        not_modified=report.not_modified + report.unchanged,
        failed=report.failed,
        entries_created=report.entries_created,
    )


def _round_with_tasks(feed_ids: list[int], *, workers: int) -> RoundFigures:
    """One huey task per feed, executed by a real consumer (its own threads and SQLite queue)."""
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from bench._sources_tasks import refresh_one_feed
    from maillage.veille.sources.models import Entry, Feed

    HUEY.immediate = False
    logging.getLogger("huey").setLevel(logging.WARNING)  # a line per task otherwise
    round_start = timezone.now()
    entries_before = Entry.objects.count()
    consumer = HUEY.create_consumer(
        workers=workers, worker_type="thread", periodic=False, initial_delay=0.01, max_delay=0.1
    )
    started = time.perf_counter()
    for feed_id in feed_ids:
        refresh_one_feed(feed_id)
    consumer.start()
    try:
        while Feed.objects.filter(pk__in=feed_ids, last_fetched_at__gte=round_start).count() < len(
            feed_ids
        ):
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        consumer.stop(graceful=True)
    feeds = Feed.objects.filter(pk__in=feed_ids)
    changed = feeds.filter(content_changed_at__gte=round_start)
    return RoundFigures(
        seconds=seconds,
        feeds=len(feed_ids),
        new_documents=changed.count(),
        not_modified=feeds.filter(last_success_at__gte=round_start).count() - changed.count(),
        failed=feeds.filter(last_error_at__gte=round_start).count(),
        entries_created=Entry.objects.count() - entries_before,
    )


def _describe(name: str, figures: RoundFigures, servers: list[FeedServer]) -> str:
    rate = figures.feeds / figures.seconds if figures.seconds else 0.0
    sent = sum(server.bytes_sent for server in servers)
    read = f", {sent / 1024 / 1024:.1f} MB read"
    return (
        f"{name}: {figures.feeds:,} feeds in {figures.seconds:.1f} s ({rate:,.0f} feeds/s): "
        f"{figures.new_documents:,} new documents, {figures.not_modified:,} not modified, "
        f"{figures.failed:,} failed; {figures.entries_created:,} entries stored{read}"
    )


def _database_size(path: str) -> float:
    total = 0
    for suffix in ("", "-wal"):
        candidate = Path(path + suffix)
        if candidate.exists():
            total += candidate.stat().st_size
    return total / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20, help="entries per feed")
    parser.add_argument("--hosts", type=int, default=10, help="local servers (127.0.0.1…)")
    parser.add_argument("--members", type=int, default=200, help="members following the feeds")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each answer waits")
    parser.add_argument("--mode", choices=["pool", "tasks"], default="pool")
    parser.add_argument("--workers", type=int, default=None, help="threads (pool) or workers")
    parser.add_argument("--per-host", type=int, default=None, help="requests at once per host")
    parser.add_argument("--seed", type=int, default=2014)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as folder:
        _configure(Path(folder))
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from maillage.members.models import User
        from maillage.veille.sources import refresh
        from maillage.veille.sources.models import Entry, Feed, Subscription
        from maillage.veille.urls_normalise import normalise_url, url_digest

        test_database = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        servers, distinct_hosts = _start_servers(options.hosts, options.latency)
        try:
            rng = random.Random(options.seed)
            vocabulary = Vocabulary()
            now = timezone.now().replace(microsecond=0)
            generated: list[GeneratedFeed] = []
            for number in range(options.feeds):
                server = servers[number % len(servers)]
                feed = GeneratedFeed(number, server.server_address[0], f"/blog{number}/feed.xml")
                feed.items = [
                    _item(
                        vocabulary,
                        rng,
                        feed,
                        index,
                        now - (index + 1) * timezone.timedelta(hours=7),
                    )
                    for index in range(options.entries)
                ]
                generated.append(feed)

            def publish(feed: GeneratedFeed) -> None:
                body = feed.render()
                # Half the servers send an ETag, the others a Last-Modified date.
                if feed.number % 2:
                    document = Document(f'"v{feed.version}-{feed.number}"', None, body)
                else:
                    stamp = format_datetime(now + timezone.timedelta(minutes=feed.version), True)
                    document = Document(None, stamp, body)
                servers[feed.number % len(servers)].documents[feed.path] = document

            for feed in generated:
                publish(feed)
            document_bytes = sum(
                len(servers[f.number % len(servers)].documents[f.path].body) for f in generated
            )

            feeds = Feed.objects.bulk_create(
                [
                    Feed(
                        url=servers[f.number % len(servers)].url(f.path),
                        url_digest=url_digest(
                            normalise_url(servers[f.number % len(servers)].url(f.path))
                        ),
                    )
                    for f in generated
                ]
            )
            members = User.objects.bulk_create(
                [
                    User(
                        email=f"veilleur{n}@bench.example",
                        display_name=f"Veilleur {n}",
                        password="!",
                    )
                    for n in range(options.members)
                ]
            )
            subscriptions = [
                Subscription(feed=feed, member=None, for_network=True) for feed in feeds[::10]
            ]
            for member in members:
                for feed in rng.sample(feeds, k=min(len(feeds), rng.randint(5, 30))):
                    subscriptions.append(Subscription(feed=feed, member=member))
            Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
            feed_ids = [feed.pk for feed in feeds]

            workers = options.workers or (
                refresh.pool_size()
                if options.mode == "pool"
                else settings.HUEY["consumer"]["workers"]
            )
            per_host = options.per_host or refresh.per_host()
            hosts = (
                f"{len(servers)} local hosts (127.0.0.1 to 127.0.0.{len(servers)})"
                if distinct_hosts
                else f"{len(servers)} local servers, all on 127.0.0.1 (one host)"
            )
            print(
                f"Machine: {platform.machine()}, {os.cpu_count()} processors, "
                f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
            )
            print(
                f"Feeds: {len(feeds):,} on {hosts}, {options.entries} entries each "
                f"({document_bytes / len(feeds) / 1024:.1f} kB a document), followed by "
                f"{len(members):,} members and the network ({Subscription.objects.count():,} "
                "subscriptions)"
            )
            latency = (
                f", each answer after {options.latency * 1000:.0f} ms" if options.latency else ""
            )
            if options.mode == "pool":
                print(
                    f"Mode: one periodic task, a pool of {workers} threads, at most {per_host} "
                    f"requests at a time per host{latency}"
                )
            else:
                print(f"Mode: one huey task per feed, a consumer with {workers} workers{latency}")

            def run_round() -> RoundFigures:
                if options.mode == "pool":
                    return _round_with_pool(feed_ids, workers=workers, per_host=per_host)
                return _round_with_tasks(feed_ids, workers=workers)

            first = run_round()
            print(_describe("Round 1, first fetch (all 200)", first, servers))

            # Half the feeds publish 3 new entries (their oldest 3 fall out of the document).
            changed = [feed for feed in generated if feed.number % 4 in (0, 1)]
            for feed in changed:
                fresh = [
                    _item(vocabulary, rng, feed, 1000 + n, now + timezone.timedelta(minutes=n))
                    for n in range(3)
                ]
                feed.items = fresh + feed.items[:-3]
                feed.version += 1
                publish(feed)
            Feed.objects.update(next_fetch_at=timezone.now())
            for server in servers:
                server.counts = {200: 0, 304: 0, 404: 0}
                server.bytes_sent = 0

            second = run_round()
            print(_describe("Round 2, half changed and half 304 (the goal)", second, servers))
            answered_304 = sum(server.counts[304] for server in servers)
            answered_200 = sum(server.counts[200] for server in servers)

            expected_entries = len(feeds) * options.entries + len(changed) * 3
            stored = Entry.objects.count()
            size = _database_size(test_database) if connection.vendor == "sqlite" else 0.0
            print(
                f"Servers answered {answered_200:,} × 200 and {answered_304:,} × 304 in round 2; "
                f"entries stored: {stored:,} (expected {expected_entries:,}); database "
                f"{size:.1f} MB, {document_bytes / 1024 / 1024:.1f} MB of feed documents served "
                "in round 1"
            )
            ok = (
                second.seconds < GOAL_SECONDS
                and second.failed == 0
                and first.failed == 0
                and stored == expected_entries
                and answered_304 == len(feeds) - len(changed)
            )
            print(
                f"Goal (round 2 under {GOAL_SECONDS:.0f} s, every feed read, every entry stored "
                f"once): {'met' if ok else 'NOT MET'}"
            )
            return 0 if ok else 1
        finally:
            for server in servers:
                server.shutdown()
                server.server_close()
            connection.creation.destroy_test_db(test_database, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
