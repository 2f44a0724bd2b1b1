"""Capacity under concurrency: many registrations at the same instant, on the real database.

Each thread has its own database connection (Django's are per thread) and closes it at the end;
a barrier releases them together. SQLite here (a real file, WAL, BEGIN IMMEDIATE); CI runs the
same tests on PostgreSQL (DATABASE_URL), where the event row is locked with SELECT … FOR UPDATE.

On SQLite the threads of one process also queue on a process lock (core.db.write_transaction);
the "database lock only" runs take it away, so that the threads meet as separate processes
would, on SQLite's own write lock.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from maillage.events import services
from maillage.events.models import Registration, RegistrationStatus
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["process lock", "database lock only"])
def writer_turn(request, monkeypatch):  # type: ignore[no-untyped-def]
    if request.param == "database lock only":
        if connection.vendor != "sqlite":
            pytest.skip("the process lock is only taken on SQLite")
        monkeypatch.setattr("maillage.core.db._sqlite_writer_turn", contextlib.nullcontext())
    return request.param


def run_together(actions: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(actions))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=60)
            result = action()
            with lock:
                results.append(result)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_fifty_registrations_at_once_for_fifteen_places(writer_turn):
    coordinator = UserFactory(role="coordinator")
    event = EventFactory(capacity=15, created_by=coordinator, organisers=[coordinator])
    users = [UserFactory() for _ in range(50)]

    results, errors = run_together(
        [lambda user=user: services.register_member(event=event, user=user) for user in users]
    )

    assert errors == []
    assert len(results) == 50
    counts = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert counts == {RegistrationStatus.CONFIRMED: 15, RegistrationStatus.WAITING: 35}
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("waiting_since", "pk")
        .values_list("waiting_since", flat=True)
    )
    assert all(earlier < later for earlier, later in itertools.pairwise(waiting))
    # Everyone confirmed got there before anyone waiting (arrival order is kept).
    last_confirmed = max(
        Registration.objects.filter(event=event, status="confirmed").values_list(
            "confirmed_at", flat=True
        )
    )
    assert last_confirmed <= waiting[0]


def test_the_same_person_clicking_ten_times_at_once_is_registered_once(writer_turn):
    coordinator = UserFactory(role="coordinator")
    event = EventFactory(capacity=15, created_by=coordinator)
    user = UserFactory()

    results, errors = run_together(
        [lambda: services.register_member(event=event, user=user) for _ in range(10)]
    )

    assert len(results) == 1
    assert len(errors) == 9 and all(isinstance(e, services.AlreadyRegistered) for e in errors)
    assert Registration.objects.filter(event=event).count() == 1


def test_cancellations_and_registrations_racing_never_exceed_capacity(writer_turn):
    coordinator = UserFactory(role="coordinator")
    event = EventFactory(capacity=5, created_by=coordinator)
    first = [services.register_member(event=event, user=UserFactory()) for _ in range(8)]
    newcomers = [UserFactory() for _ in range(12)]

    actions: list[Callable[[], object]] = [
        lambda registration=registration: services.cancel_registration(registration=registration)
        for registration in first[:4]
    ]
    actions += [
        lambda user=user: services.register_member(event=event, user=user) for user in newcomers
    ]
    _results, errors = run_together(actions)

    assert errors == []
    held = Registration.objects.filter(
        event=event, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED]
    ).count()
    assert held == 5
    # The people who were waiting first got the freed places (offered), not the newcomers.
    assert {r.status for r in Registration.objects.filter(pk__in=[r.pk for r in first[5:8]])} <= {
        RegistrationStatus.OFFERED
    }
