"""The weekly digest to 10,000 members through a local SMTP sink.

Builds a throwaway database with N members subscribed to the network's list in weekly-digest
mode and a busy week (new workshops, articles and reports, list threads, shared bookmarks in
tags members follow, replies to their comments), starts an SMTP server in another process that
accepts and counts every message, then times what the periodic task does at 07:00 on Monday:
`digests.create_due_digests()` (one row per member) and `digests.send_digests()` in batches of
100 (one SMTP connection per batch), as one huey worker would run them. Prints the wall time,
messages per second and the counts; exits 1 unless every member got exactly one digest.

    .venv/bin/python -m bench.mailing_digest
    .venv/bin/python -m bench.mailing_digest --members 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.mailing_digest
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

GOAL_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _configure(data_dir: Path, smtp_port: int) -> None:
    os.environ.setdefault("MAILLAGE_MODE", "development")
    os.environ["MAILLAGE_DATA_DIR"] = str(data_dir)
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("MAILING_DOMAIN", "lists.bench.example")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _database_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (WAL)"
    version = int(getattr(connection, "pg_version", 0))
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def _generate(*, members: int, monday: datetime, seed: int) -> None:
    """Members, their subscriptions and followed tags, and a week of the network's life."""
    from django.utils import timezone

    from maillage.articles.comments.models import Comment, CommentStatus
    from maillage.articles.models import Article, ArticleStatus
    from maillage.core.models import Tag
    from maillage.events.models import Event, EventStatus
    from maillage.mailing.models import (
        FollowedTag,
        MailingList,
        Message,
        MessageStatus,
        Subscription,
        Thread,
    )
    from maillage.members.models import Role, User
    from maillage.veille.models import Bookmark
    from maillage.veille.urls_normalise import normalise_url, url_digest

    rng = random.Random(seed)
    during = monday - timedelta(days=3)
    User.objects.bulk_create(
        [
            User(email=f"membre{n}@bench.example", display_name=f"Membre {n}", password="!")
            for n in range(members)
        ],
        batch_size=2000,
    )
    people = list(User.objects.order_by("pk"))
    coordinator = User.objects.create(
        email="coordination@bench.example", display_name="Coordination", role=Role.COORDINATOR
    )
    network = MailingList.objects.create(
        name="Doc@Rennes", slug="reseau", local_part="reseau", is_network_list=True
    )
    Subscription.objects.bulk_create(
        [Subscription(mailing_list=network, member=person, mode="weekly") for person in people],
        batch_size=2000,
    )
    tags = Tag.objects.for_names([f"sujet {n}" for n in range(40)])
    FollowedTag.objects.bulk_create(
        [
            FollowedTag(member=person, tag=tag)
            for person in people
            for tag in rng.sample(tags, rng.randint(0, 3))
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    later = monday + timedelta(days=20)
    for n in range(6):
        Event.objects.create(
            kind="workshop",
            title=f"Atelier de la semaine {n}",
            starts_at=later + timedelta(days=n),
            ends_at=later + timedelta(days=n, hours=2),
            capacity=20,
            status=EventStatus.PUBLISHED,
            published_at=during,
            created_by=coordinator,
        )
    articles = []
    for n in range(8):
        article = Article.objects.create(
            title=f"Article de la semaine {n}",
            slug=f"article-semaine-{n}",
            body="Un compte-rendu.",
            status=ArticleStatus.PUBLISHED,
            visibility="members",
            published_at=during,
            created_by=coordinator,
        )
        article.authors.add(coordinator)
        articles.append(article)
    for n in range(30):
        thread = Thread.objects.create(
            mailing_list=network,
            subject=f"Fil de la semaine {n}",
            last_message_at=during,
            message_count=3,
        )
        for index in range(3):
            Message.objects.create(
                thread=thread,
                mailing_list=network,
                author=rng.choice(people),
                author_name="Membre",
                subject=thread.subject,
                body="Une réponse.",
                message_id=f"<bench-{n}-{index}@bench.example>",
                source="web",
                status=MessageStatus.PUBLISHED,
                published_at=during,
            )
    bookmarks = []
    for n in range(400):
        url = f"https://veille{n}.example.org/page"
        normalised = normalise_url(url)
        bookmarks.append(
            Bookmark(
                owner=rng.choice(people),
                url=url,
                normalised_url=normalised,
                url_digest=url_digest(normalised),
                title=f"Signet {n}",
                visibility=rng.choice(["public", "members", "members", "private"]),
                fetch_status="done",
                created_at=during,
            )
        )
    Bookmark.objects.bulk_create(bookmarks, batch_size=1000)
    through = Bookmark.tags.through
    through.objects.bulk_create(
        [
            through(bookmark_id=bookmark.pk, tag_id=tag.pk)
            for bookmark in Bookmark.objects.all()
            for tag in rng.sample(tags, 2)
        ],
        batch_size=2000,
    )
    # Comments by 500 members three weeks ago, a reply to each this week.
    replies = []
    for person in rng.sample(people, min(500, len(people))):
        comment = Comment.objects.create(
            target=rng.choice(articles),
            author=person,
            body="Une remarque.",
            status=CommentStatus.PUBLISHED,
            published_at=during - timedelta(days=20),
            created_at=during - timedelta(days=20),
        )
        replies.append(
            Comment(
                content_type=comment.content_type,
                object_id=comment.object_id,
                author=coordinator,
                parent=comment,
                thread=comment,
                body="Merci pour cette remarque.",
                status=CommentStatus.PUBLISHED,
                published_at=during,
                created_at=during,
            )
        )
    Comment.objects.bulk_create(replies, batch_size=1000)
    del timezone  # imported for its side effect of configuring time zones in Django


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2014)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as folder:
        port = _free_port()
        count_file = Path(folder) / "sink-count"
        sink = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench._smtp_sink",
                "--port",
                str(port),
                "--count-file",
                str(count_file),
            ]
        )
        try:
            deadline = time.monotonic() + 20
            while not Path(f"{count_file}.ready").exists():
                if time.monotonic() > deadline or sink.poll() is not None:
                    print("The SMTP sink did not start.", file=sys.stderr)
                    return 1
                time.sleep(0.05)
            return _run(Path(folder), port, options, sink, count_file)
        finally:
            if sink.poll() is None:
                sink.terminate()
                sink.wait(timeout=20)


def _run(
    folder: Path,
    port: int,
    options: argparse.Namespace,
    sink: subprocess.Popen[bytes],
    count_file: Path,
) -> int:
    _configure(folder, port)
    from django.db import connection
    from django.utils import timezone

    from maillage.mailing.models import DeliveryState, Digest
    from maillage.mailing.services import digest_content, digests, outgoing

    test_database = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        zone = digest_content.local_zone()
        today = timezone.localdate(timezone.now(), zone)
        day = today - timedelta(days=today.weekday() + 7)
        monday = datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(hour=7, minute=5)
        started = time.perf_counter()
        _generate(members=options.members, monday=monday, seed=options.seed)
        generated = time.perf_counter() - started
        print(
            f"Machine: {platform.machine()}, {os.cpu_count()} processors, "
            f"Python {platform.python_version()}"
        )
        print(f"Database: {_database_description()}")
        print(
            f"Data: {options.members:,} members on the weekly digest (generated in "
            f"{generated:.1f} s)"
        )

        started, cpu_started = time.perf_counter(), time.process_time()
        ids = digests.create_due_digests(monday)
        created = time.perf_counter() - started
        sent = 0
        for batch in outgoing.batches(ids):
            sent += len(digests.send_digests(digest_ids=batch).sent)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started

        sink.terminate()
        sink.wait(timeout=30)
        received, size = (int(value) for value in count_file.read_text().split())
        states = Digest.objects.values_list("state", flat=True)
        all_sent = sum(1 for state in states if state == DeliveryState.SENT)
        print(f"Digest rows made in {created:.1f} s")
        print(
            f"Weekly digest: {sent:,} sent, {received:,} received by the sink "
            f"({size / received / 1024 if received else 0:.1f} KB each) in {wall:.1f} s: "
            f"{sent / wall:.0f} messages/s (goal: under {GOAL_SECONDS} s)"
        )
        each = cpu / max(sent, 1) * 1000
        print(f"This process's own CPU time: {cpu:.1f} s ({each:.2f} ms a digest)")
        ok = sent == received == all_sent == options.members
        print("Every member got one digest: " + ("yes" if ok else "NO"))
        return 0 if ok and wall < GOAL_SECONDS else 1
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
