"""Store: get, list, create, compare-and-swap update, delete, and the change log.

Every write happens inside a `Transaction`, which takes the write lock first (`BEGIN
IMMEDIATE`), hands each write the next global revision, stamps it into the body as
`metadata.resourceVersion`, and appends the change to the log, all committed together. The
SQL they run is statements.py's.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from controlplane import failpoints
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, Key, controller_uid, key_of, owner_references
from controlplane.store import statements as sql
from controlplane.store.databases import open_database
from controlplane.store.engine import Connection, sqlite_file
from controlplane.store.errors import KeyExists, KeyMissing, RevisionMismatch, TooLarge
from controlplane.store.reader import Lease, Reader
from controlplane.store.schema import TABLES, prepare

MAX_OBJECT_BYTES = 1_572_864


def _dumps(obj: Obj | list[Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _owner_uids(obj: Obj) -> frozenset[str]:
    refs = owner_references(obj)
    return frozenset(r["uid"] for r in refs) if refs else frozenset()


class Transaction(Reader):
    """A write transaction: each write takes the next revision and logs the change.

    Change-log rows are buffered and written in one batch when the transaction commits
    (or before anything reads the log inside it). Objects read or written are remembered as
    stored rows (revision, JSON): the transaction holds the write lock, so only its own
    writes can change them, and a pass that checks one namespace for 500 creates, or reads
    an object just before updating it, queries once.
    """

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._revision = self.current_revision()
        self._log_rows: builtins.list[dict[str, Any]] = []
        self._rows: dict[Key, tuple[int, str] | None] = {}
        self._peeked: dict[Key, tuple[int, Obj]] = {}
        self._owners: dict[Key, tuple[int, frozenset[str]]] = {}
        # Told each object written, at its revision, as the change log records it: an
        # informer in the same process copies it then instead of decoding it back later.
        self.on_write: Callable[[int, Obj], None] | None = None

    def _row(self, key: Key) -> tuple[int, str] | None:
        if key not in self._rows:
            found = self._conn.rows(sql.GET_REVISION_AND_BODY, sql.key_params(key))
            self._rows[key] = (int(found[0][0]), found[0][1]) if found else None
        return self._rows[key]

    def get(self, key: Key) -> Obj | None:
        row = self._row(key)
        if row is None:
            return None
        obj: Obj = json.loads(row[1])
        self._note_owners(key, row[0], obj)
        return obj

    def _note_owners(self, key: Key, revision: int, obj: Obj) -> None:
        """Remember the owner uids of `key` at `revision` (what the owner_refs table holds of
        it), so that an update after a get need not decode the row again to compare them."""
        self._owners[key] = (revision, _owner_uids(obj))

    def _owners_at(self, key: Key, row: tuple[int, str]) -> frozenset[str]:
        known = self._owners.get(key)
        if known is not None and known[0] == row[0]:
            return known[1]
        return _owner_uids(json.loads(row[1]))

    def peek(self, key: Key) -> Obj | None:
        """Decoded once per revision of the row: a pass's 500 pod creates and their 2,000
        events each look at their namespace, and decoded it 2,500 times."""
        row = self._row(key)
        if row is None:
            return None
        seen = self._peeked.get(key)
        if seen is None or seen[0] != row[0]:
            seen = self._peeked[key] = (row[0], json.loads(row[1]))
        return seen[1]

    @property
    def revision(self) -> int:
        """The revision of the last write so far (the store's revision once committed)."""
        return self._revision

    def flush(self) -> None:
        if self._log_rows:
            self._conn.execute_many(sql.INSERT_CHANGE, self._log_rows)
            self._log_rows = []

    def changes_after(
        self,
        revision: int,
        limit: int | None = None,
        unread_kinds: Collection[str] = (),
        kept: Mapping[int, Obj] | None = None,
    ) -> builtins.list[Change]:
        self.flush()
        return super().changes_after(revision, limit, unread_kinds, kept)

    def _next_revision(self, obj: Obj) -> int:
        self._revision += 1
        obj["metadata"]["resourceVersion"] = str(self._revision)
        return self._revision

    def _body(self, obj: Obj) -> str:
        """The JSON to store; TooLarge (and the revision given back) past etcd's limit."""
        body = _dumps(obj)
        if len(body) * 4 > MAX_OBJECT_BYTES and len(body.encode()) > MAX_OBJECT_BYTES:
            self._revision -= 1
            raise TooLarge(key_of(obj))
        return body

    def _log(self, change_type: ChangeType, key: Key, body: str, obj: Obj) -> None:
        """Log the change `obj` made (its JSON, `body`), and tell `on_write`."""
        if self.on_write is not None:
            self.on_write(self._revision, obj)
        self._log_rows.append(
            {
                "revision": self._revision,
                "type": change_type.value,
                "kind": key.kind,
                "namespace": key.namespace,
                "name": key.name,
                "body": body,
            }
        )

    def _write_owner_refs(self, key: Key, obj: Obj | None, *, replace: bool) -> None:
        if replace:
            self._conn.execute(sql.DELETE_OWNER_REFS, sql.key_params(key))
        uids = _owner_uids(obj) if obj else frozenset()
        if uids:
            self._conn.execute_many(
                sql.INSERT_OWNER_REF,
                [
                    {
                        "owner_uid": uid,
                        "kind": key.kind,
                        "namespace": key.namespace,
                        "name": key.name,
                    }
                    for uid in sorted(uids)
                ],
            )

    def create(self, obj: Obj) -> Obj:
        """Insert a new object; it is stamped with its resourceVersion in place."""
        key = key_of(obj)
        self._next_revision(obj)
        body = self._body(obj)
        inserted = self._conn.execute(
            sql.INSERT_OBJECT,
            {
                "kind": key.kind,
                "namespace": key.namespace,
                "name": key.name,
                "uid": obj["metadata"]["uid"],
                "controller_uid": controller_uid(obj),
                "revision": self._revision,
                "body": body,
            },
        )
        if not inserted:
            self._revision -= 1
            raise KeyExists(key)
        self._rows[key] = (self._revision, body)
        self._note_owners(key, self._revision, obj)
        self._write_owner_refs(key, obj, replace=False)
        self._log(ChangeType.ADDED, key, body, obj)
        return obj

    def _current(self, key: Key, expected_revision: int | None) -> tuple[int, str]:
        """The stored row; KeyMissing, or RevisionMismatch if not at `expected_revision`."""
        row = self._row(key)
        if row is None:
            raise KeyMissing(key)
        if expected_revision is not None and row[0] != expected_revision:
            raise RevisionMismatch(key)
        return row

    def update(self, obj: Obj, expected_revision: int | None) -> Obj:
        """Replace an object; with `expected_revision`, only if it is still at that revision."""
        key = key_of(obj)
        old_owners = self._owners_at(key, self._current(key, expected_revision))
        self._next_revision(obj)
        body = self._body(obj)
        self._conn.execute(
            sql.UPDATE_OBJECT,
            {
                **sql.key_params(key),
                "cuid": controller_uid(obj),
                "rev": self._revision,
                "data": body,
            },
        )
        self._rows[key] = (self._revision, body)
        self._note_owners(key, self._revision, obj)
        if old_owners != self._owners[key][1]:
            self._write_owner_refs(key, obj, replace=True)
        self._log(ChangeType.MODIFIED, key, body, obj)
        return obj

    def delete(
        self, key: Key, expected_revision: int | None = None, *, read: Obj | None = None
    ) -> Obj:
        """Remove an object; the log keeps its last state under a new revision. `read` is
        the object as this transaction's `get` gave it, unchanged since: at the stored
        revision it is that last state, and the row need not be decoded again."""
        row = self._current(key, expected_revision)
        if read is not None and read["metadata"].get("resourceVersion") == str(row[0]):
            obj = read
        else:
            obj = json.loads(row[1])
        self._next_revision(obj)
        self._conn.execute(sql.DELETE_OBJECT, sql.key_params(key))
        self._rows[key] = None
        if owner_references(obj):
            self._write_owner_refs(key, None, replace=True)
        self._log(ChangeType.DELETED, key, _dumps(obj), obj)
        return obj

    def compact(self, keep_revision: int) -> int:
        """Drop the changes before `keep_revision` (never the newest); returns how many."""
        newest = self.current_revision()
        return self._conn.execute(sql.COMPACT, {"keep": min(keep_revision, newest)})

    def save_lease(self, name: str, lease: Lease) -> None:
        values = {
            "name": name,
            "holder": lease.holder,
            "expires": lease.expires,
            "cursor": lease.cursor,
            "pending": json.dumps(lease.pending),
        }
        self._conn.execute(
            sql.INSERT_LEASE if self.lease(name) is None else sql.UPDATE_LEASE, values
        )


class Store:
    """A database URL's worth of cluster; several processes may share one SQLite file or
    one PostgreSQL database."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Its SQLite file, beside which a process may keep what it derives from the store
        # for the next (api/informer_snapshot.py); None for a database in memory or a server.
        self.file = sqlite_file(url)
        self._db = open_database(url)
        prepare(self._db)
        self._changes = self._db.changes()

    @property
    def dialect(self) -> str:
        return self._db.dialect

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        with self._db.transaction(write=False) as connection:
            yield Reader(connection)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """All writes inside commit together, or (on any exception) none of them."""
        with self._db.transaction(write=True) as connection:
            txn = Transaction(connection)
            started = txn.revision
            yield txn
            txn.flush()
            moved = txn.revision != started
            if moved:
                self._db.announce(connection)
            failpoints.hit("store.commit")
        if moved:
            self._changes.announce()

    def reset(self) -> None:
        """Drop every object, change and lease: an empty cluster at revision 0."""
        with self._db.transaction(write=True) as connection:
            for table in reversed(TABLES):
                if table != "meta":  # the schema stays what it is
                    connection.execute(f"DELETE FROM {table}")
            self._db.announce(connection)
        self._changes.announce()

    def wait_for_change(self, revision: int, timeout: float) -> None:
        """Return once the store's revision is no longer `revision` (a write, or a reset),
        or after `timeout` seconds: woken by commits, not by polling (wakeups.py)."""

        def changed() -> bool:
            with self.reader() as reader:
                return reader.current_revision() != revision

        self._changes.wait(changed, timeout)

    def wake_waiters(self) -> None:
        """Wake every wait of this process on this database, to check what it waits for."""
        self._changes.announce()

    def dispose(self) -> None:
        self._db.close()
