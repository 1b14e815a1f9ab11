"""A PostgreSQL store through SQLAlchemy Core and psycopg 3, with SQLite's contract.

- **One writer at a time, revisions in commit order.** Every write transaction first takes
  one transaction-scoped advisory lock (`pg_advisory_xact_lock`), as `BEGIN IMMEDIATE` takes
  SQLite's write lock: the next revision is read and written under it, and it is released
  only once the commit is visible, so no watcher ever sees revision N+1 before N. Reads run
  in REPEATABLE READ, one snapshot per transaction (SQLite's read transactions).
- **A server restarted mid-transaction costs nothing.** Each transaction keeps the statements
  it ran and what they returned. When the connection drops before the commit, the session
  reconnects (for up to `RECONNECT_SECONDS`), runs the same statements again and checks
  that every read returns what it returned before: then nothing the transaction saw has
  changed and the replay is the same transaction, so it carries on where it stopped. If a
  read differs, it fails as a transient error and nothing was written. A connection lost
  during COMMIT is settled by asking the server whether the transaction's id committed
  (`txid_status`): a committed write is never applied twice, an uncommitted one is replayed.
- **Wake-ups.** A write that moved the revision sends `NOTIFY` inside its transaction
  (delivered at commit); `Listener` follows that channel for the process's waiters.
- Failures read as words: an unreachable server, a refused password, a missing database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from controlplane.store.engine import Connection, Params, without_password
from controlplane.store.errors import StoreError, explain_url
from controlplane.store.wakeups import Changes, changes_of

EXTRA_MISSING = "the PostgreSQL store needs the postgres extra: pip install 'minikubectl[postgres]'"
CHANNEL = "mkctl_changes"
WRITE_LOCK = 0x6D6B6374  # the advisory lock every write transaction holds ("mkct")
RECONNECT_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 10
APPLICATION_NAME = "mkctl"  # pg_stat_activity's application_name of the store's connections
LISTENER_SUFFIX = "-listener"  # and of its LISTEN connection, with this after it
# A writer stopped inside its transaction (SIGSTOP, a debugger, a frozen VM) would hold the
# write lock, and so every other API server's writes, until it resumed: the server ends such
# a session once it has sat idle this long (SET LOCAL, for write transactions only), which
# frees the lock; the writer, resumed, replays (see above) or fails in words. A controller
# lease (LeaseDuration 15 s) has run out by then too.
IDLE_IN_TRANSACTION_SECONDS = 15.0
_BEGIN_WRITE = (
    f"SELECT pg_advisory_xact_lock({WRITE_LOCK}), txid_current(), "
    "set_config('idle_in_transaction_session_timeout', :idle, true)"
)
_COMMITTED = "SELECT txid_status(:xid)"
# SQLSTATE classes of a connection that is gone: 08 (connection exception), the server
# shutting down (57P01-57P03, operator intervention), and a session it ended for sitting
# idle in a transaction (25P03).
_CONNECTION_LOST = ("08", "57P01", "57P02", "57P03", "25P03")


_reached: set[str] = set()  # the databases a transaction of this process has begun on


def require_driver() -> None:
    """psycopg is an extra: without it, say which one in a line."""
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        raise StoreError(EXTRA_MISSING) from None


def is_postgres_url(url: str) -> bool:
    return url.split("://", 1)[0] in ("postgresql", "postgres", "postgresql+psycopg")


def _connection_lost(exc: BaseException) -> bool:
    if getattr(exc, "connection_invalidated", False):
        return True
    cause = getattr(exc, "orig", exc)
    state = getattr(cause, "sqlstate", None) or ""
    if state.startswith(_CONNECTION_LOST):
        return True
    import psycopg

    return isinstance(cause, psycopg.OperationalError) and not state


def explain_postgres(exc: BaseException, where: str, host: str, database: str) -> StoreError:
    """The StoreError for a failure of the PostgreSQL server behind `where`."""
    cause = getattr(exc, "orig", exc)
    text = str(cause).strip()
    first = text.splitlines()[0] if text else type(cause).__name__
    state = getattr(cause, "sqlstate", None) or ""
    if state == "28P01" or "password authentication failed" in text:
        return StoreError(
            f"the PostgreSQL server at {host} refused the password for the store {where}: "
            "check the user and password in MKCTL_STORE"
        )
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return StoreError(
            f'the PostgreSQL server at {host} has no database "{database}": create it '
            f"(createdb {database}) or fix MKCTL_STORE"
        )
    if _connection_lost(exc):
        return StoreError(
            f"cannot reach the PostgreSQL server at {host} for the store {where} ({first}): "
            "check that it is running and that MKCTL_STORE names it",
            transient=True,
        )
    return StoreError(f"the store {where} failed: {first}")


class _Session:
    """One transaction's connection, which survives the loss of its server connection
    (see the module's docstring): the statements run so far and their results are kept."""

    def __init__(self, db: PostgresDatabase, *, write: bool) -> None:
        self._db = db
        self._write = write
        self._conn: Any = None
        self._xid: int | None = None
        self._ran: list[tuple[str, str, Any, Any]] = []  # (method, sql, params, result)

    # --- the Connection protocol ---------------------------------------------------------

    def rows(self, sql: str, params: Params | None = None) -> list[Sequence[Any]]:
        found: list[Sequence[Any]] = self._run("rows", sql, dict(params or {}))
        return found

    def execute(self, sql: str, params: Params | None = None) -> int:
        changed: int = self._run("execute", sql, dict(params or {}))
        return changed

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        self._run("execute_many", sql, [dict(p) for p in params])

    # --- running, and running again -------------------------------------------------------

    def begin(self) -> None:
        """Open the transaction. A server this process has reached before is waited for
        (a pooled connection it closed, a restart under way), as for a loss mid-transaction;
        one never reached fails at once, in words."""
        from sqlalchemy.exc import DBAPIError

        try:
            self._open()
        except DBAPIError as exc:
            if not (self._db.libpq_url in _reached and _connection_lost(exc)):
                self._drop()
                raise self._db.explain(exc) from None
            self._recover(exc)
        _reached.add(self._db.libpq_url)

    def _open(self) -> None:
        import psycopg

        self._conn = self._db.engine.connect()
        # psycopg's next BEGIN carries these (no round trip of their own)
        raw = self._conn.connection.driver_connection
        raw.isolation_level = None if self._write else psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = not self._write
        if self._write:
            idle = {"idle": f"{round(IDLE_IN_TRANSACTION_SECONDS * 1000)}ms"}
            self._xid = int(self._statement("rows", _BEGIN_WRITE, idle)[0][1])

    def _statement(self, method: str, sql: str, params: Any) -> Any:
        from sqlalchemy import text

        result = self._conn.execute(text(sql), params)
        if method == "rows":
            return [tuple(row) for row in result]
        return None if method == "execute_many" else int(result.rowcount)

    def _run(self, method: str, sql: str, params: Any) -> Any:
        from sqlalchemy.exc import DBAPIError

        while True:
            try:
                result = self._statement(method, sql, params)
            except DBAPIError as exc:
                if not _connection_lost(exc):
                    raise self._db.explain(exc) from None
                self._recover(exc)
                continue
            self._ran.append((method, sql, params, result))
            return result

    def _recover(self, lost: BaseException) -> None:
        """Reconnect and replay what ran so far; a read that differs ends the transaction."""
        from sqlalchemy.exc import DBAPIError

        deadline = time.monotonic() + RECONNECT_SECONDS
        pause = 0.05
        while True:
            self._drop()
            try:
                self._open()
                for method, sql, params, result in self._ran:
                    if self._statement(method, sql, params) != result:
                        raise StoreError(
                            f"the connection to the store {self._db.where} was lost mid-"
                            "transaction and the data changed meanwhile; nothing was written: "
                            "try again",
                            transient=True,
                        )
                return
            except DBAPIError as exc:
                if not _connection_lost(exc):
                    raise self._db.explain(exc) from None
                lost = exc
            if time.monotonic() > deadline:
                raise self._db.explain(lost)
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    def commit(self) -> None:
        from sqlalchemy.exc import DBAPIError

        try:
            while True:
                try:
                    self._conn.commit()
                    return
                except DBAPIError as exc:
                    if not _connection_lost(exc):
                        raise self._db.explain(exc) from None
                    if not self._write or self._committed(exc):
                        return
                    self._recover(exc)
        finally:
            self._drop()

    def _committed(self, lost: BaseException) -> bool:
        """Did the transaction whose COMMIT lost its connection commit? Asked of the server
        on a new connection, as soon as it answers."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        deadline = time.monotonic() + RECONNECT_SECONDS
        while True:
            try:
                with self._db.engine.connect() as conn:
                    status = conn.execute(text(_COMMITTED), {"xid": self._xid}).scalar()
                return bool(status == "committed")
            except DBAPIError as exc:
                if not _connection_lost(exc) or time.monotonic() > deadline:
                    raise self._db.explain(lost) from None
            time.sleep(0.1)

    def rollback(self) -> None:
        if self._conn is not None:
            try:
                self._conn.rollback()
            except Exception:
                self._conn.invalidate()
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None


class PostgresDatabase:
    """A PostgreSQL database through SQLAlchemy Core's engine and pool, and psycopg 3."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        require_driver()
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.where = without_password(url)
        try:
            parsed = make_url(url).set(drivername="postgresql+psycopg")
            # the URL's own application_name, if it gives one, names the connections
            name = str(parsed.query.get("application_name") or APPLICATION_NAME)
            self.engine = create_engine(
                parsed,
                pool_size=8,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": name},
            )
        except Exception as exc:
            raise explain_url(exc, self.where) from None
        self.host = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        self.database = parsed.database or ""
        # the same server for the LISTEN connection, as libpq takes it
        self.libpq_url = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self.listener_name = f"{name}{LISTENER_SUFFIX}"

    def explain(self, exc: BaseException) -> StoreError:
        if isinstance(exc, StoreError):
            return exc
        return explain_postgres(exc, self.where, self.host, self.database)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Connection]:
        session = _Session(self, write=write)
        session.begin()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()

    def announce(self, connection: Connection) -> None:
        """Tell the listeners of every process, once this transaction commits."""
        connection.execute(f"NOTIFY {CHANNEL}")

    def changes(self) -> Changes:
        return changes_of(self.libpq_url, lambda: Listener(self))

    def close(self) -> None:
        self.engine.dispose()


class Listener:
    """`LISTEN` on the store's channel, on a connection of its own: `heard` is called for
    each notification, and once after every (re)connection, since notifications sent while
    not listening are lost and the waiters must read again from their last revision."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._url = db.libpq_url
        self._name = db.listener_name
        self._conn: Any = None

    def follow(self, heard: Callable[[], None], seconds: float) -> None:
        """Listen for up to `seconds`; a dropped connection is made again at the next call."""
        import psycopg

        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(
                    self._url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_SECONDS,
                    application_name=self._name,
                )
                self._conn.execute(f"LISTEN {CHANNEL}")
                heard()
            for _ in self._conn.notifies(timeout=seconds, stop_after=1):
                heard()
        except psycopg.Error:
            self.close()
            heard()
            time.sleep(min(seconds, 1.0))  # the server is away: try again shortly

    def close(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None
