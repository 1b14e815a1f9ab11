"""Engine creation and every SQLite setting, in one place (as kine documents its own).

- `journal_mode=WAL`: readers never block the writer and the writer never blocks readers, so
  a `mkctl get` runs while the daemon writes.
- `synchronous=NORMAL`: with WAL, a crash of mkctl (even SIGKILL) never loses a committed
  transaction; only a power loss can drop the last few. The rate of small commits this allows
  is what makes a 1,000-pod rollout quick.
- `busy_timeout`: a writer waits up to 30 s for another process's write lock instead of
  failing with "database is locked".
- Write transactions start with `BEGIN IMMEDIATE` so that the write lock is taken before the
  first read of the transaction: two processes can never both read revision N and then both
  try to write N+1. Read transactions use a plain (deferred) `BEGIN`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "mkctl_write"


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        poolclass=StaticPool if in_memory else None,
        connect_args={"check_same_thread": False} if in_memory else {},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the next may wait
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
