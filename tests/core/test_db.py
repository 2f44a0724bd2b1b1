"""core.db.write_transaction: writers queue, and a write after commit does not wait on itself."""

import threading

import pytest
from django.db import connection, transaction

from maillage.core.db import write_transaction
from maillage.core.models import Tag


@pytest.mark.django_db(transaction=True)
def test_a_callback_after_commit_may_open_its_own_write_transaction() -> None:
    # Tasks run immediately (tests, demo) are on_commit callbacks that write: they run while the
    # outer write_transaction is still leaving; they must not deadlock on its lock.
    def write_again() -> None:
        with write_transaction():
            Tag.objects.create(name="après commit")

    def outer() -> None:
        try:
            with write_transaction():
                Tag.objects.create(name="avant commit")
                transaction.on_commit(write_again)
        finally:
            connection.close()

    worker = threading.Thread(target=outer, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the write after commit waited for its own transaction"
    assert set(Tag.objects.values_list("name", flat=True)) == {"avant commit", "après commit"}
