"""Waking whoever waits for the store's next revision, instead of polling it.

The daemon's controllers and every watch it serves wait for "a revision other than N".
Within one process every commit announces itself (`Changes.announce`), so the daemon sees
its own writes at once, including those of its API server's own store connection. Writes
by other processes are heard by one follower thread per database, which runs only while
someone waits (and a few seconds after):

- PostgreSQL: `LISTEN` on the channel each write transaction `NOTIFY`s (postgres.Listener);
  after a dropped connection is made again, the waiters read again from their last revision.
- SQLite: `PRAGMA data_version` on a connection of its own, every `FALLBACK_SECONDS`; it
  changes whenever another connection commits (https://www.sqlite.org/pragma.html#pragma_data_version).

A waiter wakes on any announcement and checks the revision itself, so a spurious wake-up
costs one read and a missed one cannot happen: the generation it waits on is taken before
its first check.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Protocol
from urllib.parse import quote

FALLBACK_SECONDS = 0.5
FOLLOW_SECONDS = 1.0
LINGER_SECONDS = 5.0


class Follower(Protocol):
    def follow(self, heard: Callable[[], None], seconds: float) -> None:
        """Call `heard` for writes by other processes seen within about `seconds`."""
        ...

    def close(self) -> None: ...


class DataVersion:
    """Another process's commits to a SQLite file, seen through `PRAGMA data_version`."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None

    def follow(self, heard: Callable[[], None], seconds: float) -> None:
        time.sleep(min(seconds, FALLBACK_SECONDS))
        try:
            if self._conn is None:
                uri = f"file:{quote(self._path)}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            heard()
            return
        if version != self._version:  # the first reading too: a write may precede it
            self._version = version
            heard()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._version = None


class Changes:
    """The commits to one database, as this process learns of them."""

    def __init__(self, follower: Callable[[], Follower] | None) -> None:
        self._make_follower = follower
        self._cond = threading.Condition(threading.RLock())  # re-entrant: see `announce`
        self._generation = 0
        self._waiting = 0
        self._last_waiter = 0.0
        self._thread: threading.Thread | None = None

    def announce(self) -> None:
        """Wake every waiter. Safe from a signal handler of the waiting thread itself (the
        lock is re-entrant), which is how the daemon's stop request ends its wait."""
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def wait(self, changed: Callable[[], bool], timeout: float) -> None:
        """Return once `changed()` (checked at each announcement), or after `timeout`."""
        with self._cond:
            generation = self._generation
            self._waiting += 1
            self._start_follower()
        try:
            deadline = time.monotonic() + timeout
            while not changed():
                with self._cond:
                    while self._generation == generation:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            return
                        self._cond.wait(remaining)
                    generation = self._generation
        finally:
            with self._cond:
                self._waiting -= 1
                self._last_waiter = time.monotonic()

    def _start_follower(self) -> None:
        if self._make_follower is not None and self._thread is None:
            self._thread = threading.Thread(
                target=self._follow, name="mkctl-store-follower", daemon=True
            )
            self._thread.start()

    def _follow(self) -> None:
        assert self._make_follower is not None
        follower = self._make_follower()
        try:
            while True:
                with self._cond:
                    idle = time.monotonic() - self._last_waiter > LINGER_SECONDS
                    if self._waiting == 0 and idle:
                        self._thread = None
                        return
                follower.follow(self.announce, FOLLOW_SECONDS)
        finally:
            follower.close()


_registry: dict[str, Changes] = {}
_registry_lock = threading.Lock()


def changes_of(database: str, follower: Callable[[], Follower] | None) -> Changes:
    """The one `Changes` of this process for `database` (a path or a URL)."""
    with _registry_lock:
        found = _registry.get(database)
        if found is None:
            found = _registry[database] = Changes(follower)
        return found
