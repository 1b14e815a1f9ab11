"""Waiting for the store's next revision (controlplane/store/wakeups.py): a write of this
process wakes a waiter at once, another process's through the database (SQLite's
data_version, PostgreSQL's LISTEN), and with no write the wait ends at its timeout."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from controlplane.store import Store
from tests.e2e.conftest import REPO

WRITE_ONE = """
import sys
from controlplane.store import Store
with Store(sys.argv[1]).transaction() as txn:
    txn.create({"kind": "ConfigMap", "metadata": {"name": "x", "namespace": "d", "uid": "u"}})
"""


def waited(store: Store, revision: int, timeout: float, write: object) -> float:
    """Seconds a wait for a revision other than `revision` took, `write` run meanwhile."""
    took: list[float] = []

    def wait() -> None:
        started = time.monotonic()
        store.wait_for_change(revision, timeout)
        took.append(time.monotonic() - started)

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert callable(write)
    write()
    waiter.join(timeout + 5)
    assert took
    return took[0]


def test_a_write_of_another_process_wakes_a_waiter(store: Store, store_url: str) -> None:
    def another_process() -> None:
        subprocess.run([sys.executable, "-c", WRITE_ONE, store_url], cwd=REPO, check=True)

    assert waited(store, 0, 30, another_process) < 15
    with store.reader() as r:
        assert r.current_revision() == 1


def test_a_write_of_this_process_wakes_a_waiter_at_once(store: Store, store_url: str) -> None:
    writer = Store(store_url)

    def write() -> None:
        deadline = time.monotonic() + 10
        while not store._changes._waiting:  # the waiter waits first
            assert time.monotonic() < deadline
        with writer.transaction() as txn:
            txn.create(
                {"kind": "ConfigMap", "metadata": {"name": "y", "namespace": "d", "uid": "v"}}
            )

    assert waited(store, 0, 30, write) < 5
    writer.dispose()


def test_without_a_write_the_wait_ends_at_its_timeout(store: Store) -> None:
    assert 0.3 <= waited(store, 0, 0.3, lambda: None) < 5
