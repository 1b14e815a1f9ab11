"""Connections to the store's database, and every SQLite setting, in one place (as kine
documents its own).

A SQLite URL (`sqlite:///path`, or `sqlite://` in memory) is opened with the standard
library's `sqlite3`; a PostgreSQL URL (`postgresql://user:password@host/db`) through
SQLAlchemy Core and psycopg 3 (postgres.py); any other SQLAlchemy URL (`sqlite+pysqlite:///`
to force SQLAlchemy on SQLite) through a SQLAlchemy Core engine; databases.py picks one by
URL. All run the same SQL text (schema.py, statements.py), written to be valid in both dialects:
the few differences (column types and collation) are the `dialect`'s. The stdlib path
exists for speed: `import sqlalchemy` plus its SQLite dialect cost 0.35-0.45 s of every
embedded `mkctl` command on the 2-core machine (bench/README.md), five times Python's own
start-up, and its per-statement overhead was a tenth of each write.

- `journal_mode=WAL`: readers never block the writer and the writer never blocks readers, so
  a `mkctl get` runs while the daemon writes.
- `synchronous=NORMAL`: with WAL, a crash of mkctl (even SIGKILL) never loses a committed
  transaction; only a power loss can drop the last few. The rate of small commits this allows
  is what makes a 1,000-pod rollout quick.
- `busy_timeout`: a writer waits up to 30 s (`MKCTL_STORE_BUSY_TIMEOUT` seconds, if set) for
  another process's write lock instead of failing with "database is locked".
- `wal_autocheckpoint=16384` pages (64 MiB): the WAL is copied back into the database file
  (with an fsync) when it grows past this, instead of past SQLite's default 1,000 pages
  (4 MiB), which a controller pass of 500 pods and their events exceeded at almost every
  commit. 10,000 replicas: 29.9 s -> 24.6 s (two runs each). A checkpoint that empties the
  WAL also cuts its file back to that size (`journal_size_limit`): a compaction deletes
  most of the log in one transaction, and left a WAL of 200 MiB for good.
- Every driver error leaves as a `StoreError` (errors.py) naming the file and what to do.
- Write transactions start with `BEGIN IMMEDIATE` so that the write lock is taken before the
  first read of the transaction: two processes can never both read revision N and then both
  try to write N+1. Read transactions use a plain (deferred) `BEGIN`.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from controlplane.store.errors import StoreError, explain_sqlite, explain_url
from controlplane.store.wakeups import Changes, DataVersion, changes_of

BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_VARIABLE = "MKCTL_STORE_BUSY_TIMEOUT"
WAL_AUTOCHECKPOINT_PAGES = 16_384
IN_MEMORY_URLS = ("sqlite://", "sqlite:///:memory:")

Params = Mapping[str, Any]


class Connection(Protocol):
    """One transaction's SQL: named `:parameters`, rows as tuples."""

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]: ...

    def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement; returns how many rows it changed."""
        ...

    def execute_many(self, sql: str, params: Sequence[Params]) -> None: ...


class Database(Protocol):
    """A store's database: where it is (for messages), its SQL dialect, its transactions."""

    where: str
    dialect: str

    def transaction(self, *, write: bool) -> AbstractContextManager[Connection]: ...

    def announce(self, connection: Connection) -> None:
        """Inside a write transaction that moved the revision: tell other processes."""
        ...

    def changes(self) -> Changes:
        """This process's waiters for the database's next revision (wakeups.py)."""
        ...

    def close(self) -> None: ...


def busy_timeout_ms() -> int:
    """How long a writer waits for another process's write lock, in milliseconds."""
    given = os.environ.get(BUSY_TIMEOUT_VARIABLE)
    try:
        return max(0, int(float(given) * 1000)) if given else BUSY_TIMEOUT_MS
    except ValueError:
        return BUSY_TIMEOUT_MS


def without_password(url: str) -> str:
    """`postgresql://mk:***@db/mkctl`: a URL fit for an error message."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def sqlite_file(url: str) -> str | None:
    """The file a `sqlite:///path` URL opens through the standard library; None for any
    other URL (a database in memory, or opened through SQLAlchemy)."""
    if url in IN_MEMORY_URLS or not url.startswith("sqlite:///"):
        return None
    return url.removeprefix("sqlite:///") or None


def configure(raw: sqlite3.Connection, *, in_memory: bool) -> None:
    """The settings above, on a new connection of either driver."""
    raw.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")  # first: the next may wait
    if not in_memory:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        raw.execute(f"PRAGMA journal_size_limit={WAL_AUTOCHECKPOINT_PAGES * 4096}")
    raw.execute("PRAGMA synchronous=NORMAL")


class _SqliteConnection:
    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return self._raw.execute(sql, params or {}).fetchall()

    def execute(self, sql: str, params: Params | None = None) -> int:
        return self._raw.execute(sql, params or {}).rowcount

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        self._raw.executemany(sql, params)


class SqliteDatabase:
    """A SQLite file (or memory) through the stdlib driver, with a small connection pool.

    Each transaction borrows an idle connection, so a reader opened while a write is under
    way (the daemon's API server and its controllers) gets its own. An in-memory database
    exists only inside its one connection, which every transaction then shares.
    """

    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.in_memory = url in IN_MEMORY_URLS
        self._path = ":memory:" if self.in_memory else url.removeprefix("sqlite:///")
        self.where = "in memory" if self.in_memory else self._path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._shared = self._connect() if self.in_memory else None

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions start only where `transaction` says, as below.
        raw = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        configure(raw, in_memory=self.in_memory)
        return raw

    def _borrow(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _give_back(self, raw: sqlite3.Connection) -> None:
        if raw is not self._shared:
            with self._lock:
                self._idle.append(raw)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Connection]:
        """Commits on leaving, rolls back on any exception; a failure of the database (or
        one raised inside, as a fault injected there) leaves as a StoreError."""
        try:
            raw = self._borrow()
        except sqlite3.Error as exc:
            raise self._explain(exc) from None
        try:
            raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteConnection(raw)
            except BaseException:
                if raw.in_transaction:
                    raw.rollback()
                raise
            raw.commit()
        except sqlite3.Error as exc:
            if raw.in_transaction:
                raw.rollback()
            raise self._explain(exc) from None
        finally:
            self._give_back(raw)

    def _explain(self, exc: sqlite3.Error) -> StoreError:
        return explain_sqlite(exc, self._path, busy_timeout_ms() / 1000)

    def announce(self, connection: Connection) -> None:
        """Other processes see the file's data_version change (wakeups.DataVersion)."""

    def changes(self) -> Changes:
        if self.in_memory:  # no other process can write it
            return changes_of(f"memory:{id(self)}", None)
        path = os.path.realpath(self._path)
        return changes_of(path, lambda: DataVersion(path))

    def close(self) -> None:
        with self._lock:
            for raw in self._idle:
                raw.close()
            self._idle = []
        if self._shared is not None:
            self._shared.close()


class _SqlAlchemyConnection:
    def __init__(self, connection: Any) -> None:
        from sqlalchemy import text

        self._conn = connection
        self._text = text

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        return list(self._conn.execute(self._text(sql), dict(params or {})).all())

    def execute(self, sql: str, params: Params | None = None) -> int:
        return int(self._conn.execute(self._text(sql), dict(params or {})).rowcount)

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        self._conn.execute(self._text(sql), [dict(p) for p in params])


class SqlAlchemyDatabase:
    """Any other SQLAlchemy URL: SQLAlchemy Core's engine and pool, the same SQL text."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, event

        self._url = self.where = without_password(url)
        try:
            self._engine = create_engine(url)
        except Exception as exc:  # no such dialect or driver, or not a URL at all
            raise explain_url(exc, self._url) from None
        self.dialect = self._engine.dialect.name
        if self.dialect == "sqlite":
            in_memory = self._engine.url.database in (None, "", ":memory:")

            @event.listens_for(self._engine, "connect")
            def _on_connect(dbapi_connection: Any, _record: Any) -> None:
                # Let the "begin" event below, not the driver, decide how transactions start.
                dbapi_connection.isolation_level = None
                configure(dbapi_connection, in_memory=in_memory)

            @event.listens_for(self._engine, "begin")
            def _on_begin(connection: Any) -> None:
                write = connection.get_execution_options().get("mkctl_write", False)
                connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Connection]:
        from sqlalchemy.exc import DBAPIError

        try:
            with self._engine.connect() as connection:
                connection = connection.execution_options(mkctl_write=write)
                with connection.begin():
                    yield _SqlAlchemyConnection(connection)
        except (DBAPIError, sqlite3.Error) as exc:
            cause = getattr(exc, "orig", exc)
            if isinstance(cause, sqlite3.Error) and self._engine.url.database:
                raise explain_sqlite(
                    cause, self._engine.url.database, busy_timeout_ms() / 1000
                ) from None
            raise StoreError(f"the store {self._url} failed: {cause}") from None

    def announce(self, connection: Connection) -> None:
        """SQLite's other processes see the file change; other databases are not followed."""

    def changes(self) -> Changes:
        database = self._engine.url.database
        if self.dialect != "sqlite" or database in (None, "", ":memory:"):
            return changes_of(f"engine:{id(self)}", None)
        path = os.path.realpath(database)
        return changes_of(path, lambda: DataVersion(path))

    def close(self) -> None:
        self._engine.dispose()
