"""Store: get, list, create, compare-and-swap update, delete, and the change log.

Every write happens inside a `Transaction`, which takes the write lock first (`BEGIN
IMMEDIATE`), hands each write the next global revision, stamps it into the body as
`metadata.resourceVersion`, and appends the change to the log, all committed together. The
SQL they run is statements.py's.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from controlplane import failpoints
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, Key, controller_uid, key_of, owner_references
from controlplane.store import statements as sql
from controlplane.store.databases import open_database
from controlplane.store.engine import Connection, sqlite_file
from controlplane.store.errors import Compacted, KeyExists, KeyMissing, RevisionMismatch, TooLarge
from controlplane.store.schema import TABLES, prepare


@dataclass
class Lease:
    """Who may run the controllers until `expires`, and where their work stands."""

    holder: str
    expires: float
    cursor: int
    pending: list[Any]


MAX_OBJECT_BYTES = 1_572_864


def _dumps(obj: Obj | list[Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _decode_all(rows: Sequence[Sequence[Any]]) -> list[Obj]:
    """The bodies of many rows in one `json.loads` of a JSON array: as fast as one call per
    row, and the decoder then shares each key string across objects (10,000 pods: 89 MB
    decoded instead of 125 MB)."""
    found: list[Obj] = json.loads("[" + ",".join(row[0] for row in rows) + "]")
    return found


def _read_in_full(row: Sequence[Any], unread_kinds: Collection[str]) -> bool:
    """A change-log row (revision, type, kind, namespace, name, body) to decode."""
    return (
        not unread_kinds
        or row[2] not in unread_kinds
        or row[1] == ChangeType.DELETED
        or '"finalizers"' in row[5]
    )


def _owner_uids(obj: Obj) -> frozenset[str]:
    refs = owner_references(obj)
    return frozenset(r["uid"] for r in refs) if refs else frozenset()


def _key_only(kind: str, namespace: str, name: str) -> Obj:
    return {"kind": kind, "metadata": {"namespace": namespace, "name": name}}


class Reader:
    """Reads over one connection; inside a Transaction they see its own writes."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def current_revision(self) -> int:
        return int(self._conn.rows(sql.CURRENT_REVISION)[0][0])

    def get(self, key: Key) -> Obj | None:
        found = self._conn.rows(sql.GET_BODY, sql.key_params(key))
        return json.loads(found[0][0]) if found else None

    def peek(self, key: Key) -> Obj | None:
        """`get` for a look that changes nothing: the object may be shared, never change it."""
        return self.get(key)

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        controller_uid: str | None = None,
        include_orphans: bool = False,
        names: Sequence[str] | None = None,
    ) -> list[Obj]:
        """Objects of a kind in key order; optionally only those a controller owns.

        `include_orphans` adds objects with no controller at all, which is what a controller
        must see to adopt them (pkg/controller/controller_ref_manager.go).
        """
        where, params = sql.of_kind(kind, namespace)
        if controller_uid is not None:
            owned = "controller_uid = :owner"
            where.append(f"({owned} OR controller_uid IS NULL)" if include_orphans else owned)
            params["owner"] = controller_uid
        if names is not None:
            wanted = {f"n{i}": name for i, name in enumerate(names)}
            where.append(f"name IN ({', '.join(':' + p for p in wanted) or 'NULL'})")
            params.update(wanted)
        query = f"SELECT body FROM objects WHERE {' AND '.join(where)} ORDER BY namespace, name"
        return _decode_all(self._conn.rows(query, params))

    def list_after(
        self, kind: str, namespace: str | None, after: tuple[str, str] | None, limit: int
    ) -> builtins.list[Obj]:
        """At most `limit` objects of a kind in key order, from just after the key `after`
        (namespace, name): one page of a list, a range over the primary key."""
        where, params = self._after(kind, namespace, after)
        query = f"SELECT body FROM objects WHERE {where} ORDER BY namespace, name LIMIT :limit"
        return _decode_all(self._conn.rows(query, {**params, "limit": limit}))

    def count_after(self, kind: str, namespace: str | None, after: tuple[str, str]) -> int:
        """How many objects of a kind come after the key `after` (a list's remaining items)."""
        where, params = self._after(kind, namespace, after)
        return int(self._conn.rows(f"SELECT COUNT(*) FROM objects WHERE {where}", params)[0][0])

    @staticmethod
    def _after(
        kind: str, namespace: str | None, after: tuple[str, str] | None
    ) -> tuple[str, dict[str, Any]]:
        where, params = sql.of_kind(kind, namespace)
        if after is not None:
            # A row value: SQLite and PostgreSQL seek the primary key to it, where the
            # equivalent OR walked every key before it (the last page of 12,000 Events:
            # 46 ms against 0.3 ms), which made a list read page by page quadratic.
            where.append("(namespace, name) > (:after_ns, :after)")
            params["after_ns"], params["after"] = after
        return " AND ".join(where), params

    def list_with_name_prefix(self, kind: str, namespace: str, prefix: str) -> builtins.list[Obj]:
        """Objects whose name starts with `prefix`, in name order: a range over the primary key.

        Events are named `<involved object>.<hex nanoseconds>`, so the events about one object
        are the ones named with the prefix `<its name>.`, found without a scan.
        """
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        params = {"k": kind, "ns": namespace, "lo": prefix, "hi": upper}
        return _decode_all(self._conn.rows(sql.BY_NAME_PREFIX, params))

    def keys(self, kind: str) -> builtins.list[Key]:
        """The key of every object of a kind, without reading their bodies."""
        rows = self._conn.rows(sql.KEYS_OF_KIND, {"kind": kind})
        return [Key(kind, namespace, name) for namespace, name in rows]

    def dependents(self, owner_uid: str) -> builtins.list[Key]:
        """Keys of every object with an ownerReference to `owner_uid`."""
        rows = self._conn.rows(sql.DEPENDENTS, {"owner": owner_uid})
        return [Key(kind, namespace, name) for kind, namespace, name in rows]

    def changes_after(
        self,
        revision: int,
        limit: int | None = None,
        unread_kinds: Collection[str] = (),
        kept: Mapping[int, Obj] | None = None,
    ) -> builtins.list[Change]:
        """Every change after `revision`, oldest first; `Compacted` if some are gone.

        Revisions are contiguous, so a first change later than `revision + 1` means the ones
        between were compacted away: no extra query is needed to notice.

        Additions and updates of `unread_kinds` come back `partial`, with only the key the
        log row's columns hold, their bodies not decoded (at 10,000 pods, 40,000 of 70,000
        changes are Events, which no controller reads). A deletion, or a body that names
        finalizers, is decoded all the same: the garbage collector and the namespace
        controller read those of every kind.

        `kept` holds, by revision, objects as an informer keeps them, copied from what this
        process wrote at those revisions (`Transaction.on_write`): those changes come back
        `kept`, with that object, and their bodies are not decoded.
        """
        query = sql.CHANGES_AFTER if limit is None else f"{sql.CHANGES_AFTER} LIMIT {int(limit)}"
        rows = self._conn.rows(query, {"after": revision})
        kept = kept or {}
        full = [row[0] not in kept and _read_in_full(row, unread_kinds) for row in rows]
        bodies = iter(_decode_all([row[5:] for row, f in zip(rows, full, strict=True) if f]))
        found = [
            Change(int(row[0]), row[1], next(bodies))
            if f
            else Change(int(row[0]), row[1], kept[row[0]], kept=True)
            if row[0] in kept
            else Change(int(row[0]), row[1], _key_only(*row[2:5]), partial=True)
            for row, f in zip(rows, full, strict=True)
        ]
        if found and found[0].revision > revision + 1:
            raise Compacted(revision, found[0].revision - 1)
        return found

    def lease(self, name: str) -> Lease | None:
        found = self._conn.rows(sql.LEASE, {"name": name})
        if not found:
            return None
        holder, expires, cursor, pending = found[0]
        return Lease(holder, float(expires), int(cursor), json.loads(pending))


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
