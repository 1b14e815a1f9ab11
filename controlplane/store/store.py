"""Store: get, list, create, compare-and-swap update, delete, and the change log.

Every write happens inside a `Transaction`, which takes the write lock first (`BEGIN
IMMEDIATE`), hands each write the next global revision, stamps it into the body as
`metadata.resourceVersion`, and appends the change to the log, all committed together.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, Key, controller_uid, key_of, owner_references
from controlplane.store.engine import WRITE_OPTION, make_engine
from controlplane.store.schema import changes, leases, metadata, objects, owner_refs


class KeyExists(Exception):
    """Create of a key that already holds an object."""


class KeyMissing(Exception):
    """Update or delete of a key that holds no object."""


class RevisionMismatch(Exception):
    """Compare-and-swap failed: the stored resourceVersion is not the expected one."""


class TooLarge(Exception):
    """An object bigger than etcd's default request limit (--max-request-bytes, 1.5 MiB)."""


class Compacted(Exception):
    """The log no longer holds every change after `requested`; it starts after `compacted`."""

    def __init__(self, requested: int, compacted: int) -> None:
        super().__init__(requested, compacted)
        self.requested = requested
        self.compacted = compacted


@dataclass
class Lease:
    """Who may run the controllers until `expires`, and where their work stands."""

    holder: str
    expires: float
    cursor: int
    pending: list[Any]


MAX_OBJECT_BYTES = 1_572_864


def _dumps(obj: Obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# Statements are built once: constructing SQLAlchemy expressions per call cost more than
# executing them (a 1,000-pod rollout spent half its time building WHERE clauses).
_BY_KEY = and_(
    objects.c.kind == bindparam("k"),
    objects.c.namespace == bindparam("ns"),
    objects.c.name == bindparam("n"),
)
_GET_BODY = select(objects.c.body).where(_BY_KEY)
_GET_REVISION_AND_BODY = select(objects.c.revision, objects.c.body).where(_BY_KEY)
_INSERT_OBJECT = insert(objects)
_UPDATE_OBJECT = (
    update(objects)
    .where(_BY_KEY)
    .values(controller_uid=bindparam("cuid"), revision=bindparam("rev"), body=bindparam("data"))
)
_DELETE_OBJECT = delete(objects).where(_BY_KEY)
_INSERT_CHANGE = insert(changes)
_INSERT_OWNER_REF = insert(owner_refs)
_DELETE_OWNER_REFS = delete(owner_refs).where(
    and_(
        owner_refs.c.kind == bindparam("k"),
        owner_refs.c.namespace == bindparam("ns"),
        owner_refs.c.name == bindparam("n"),
    )
)
_DEPENDENTS = select(owner_refs.c.kind, owner_refs.c.namespace, owner_refs.c.name).where(
    owner_refs.c.owner_uid == bindparam("owner")
)
_CURRENT_REVISION = select(func.coalesce(func.max(changes.c.revision), 0))
_BY_NAME_PREFIX = (
    select(objects.c.body)
    .where(
        objects.c.kind == bindparam("k"),
        objects.c.namespace == bindparam("ns"),
        objects.c.name >= bindparam("lo"),
        objects.c.name < bindparam("hi"),
    )
    .order_by(objects.c.name)
)


def _key_params(key: Key) -> dict[str, str]:
    return {"k": key.kind, "ns": key.namespace, "n": key.name}


class Reader:
    """Reads over one connection; inside a Transaction they see its own writes."""

    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def current_revision(self) -> int:
        return int(self._conn.execute(_CURRENT_REVISION).scalar_one())

    def get(self, key: Key) -> Obj | None:
        row = self._conn.execute(_GET_BODY, _key_params(key)).first()
        return json.loads(row.body) if row else None

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
        must see to adopt them (reference 5.4).
        """
        query = select(objects.c.body).where(objects.c.kind == kind)
        if namespace is not None:
            query = query.where(objects.c.namespace == namespace)
        if controller_uid is not None:
            owned = objects.c.controller_uid == controller_uid
            query = query.where(
                or_(owned, objects.c.controller_uid.is_(None)) if include_orphans else owned
            )
        if names is not None:
            query = query.where(objects.c.name.in_(builtins.list(names)))
        query = query.order_by(objects.c.namespace, objects.c.name)
        return [json.loads(row.body) for row in self._conn.execute(query)]

    def list_with_name_prefix(self, kind: str, namespace: str, prefix: str) -> builtins.list[Obj]:
        """Objects whose name starts with `prefix`, in name order: a range over the primary key.

        Events are named `<involved object>.<hex nanoseconds>`, so the events about one object
        are the ones named with the prefix `<its name>.`, found without a scan.
        """
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        params = {"k": kind, "ns": namespace, "lo": prefix, "hi": upper}
        return [json.loads(row.body) for row in self._conn.execute(_BY_NAME_PREFIX, params)]

    def dependents(self, owner_uid: str) -> builtins.list[Key]:
        """Keys of every object with an ownerReference to `owner_uid`."""
        rows = self._conn.execute(_DEPENDENTS, {"owner": owner_uid})
        return [Key(row.kind, row.namespace, row.name) for row in rows]

    def changes_after(self, revision: int, limit: int | None = None) -> builtins.list[Change]:
        """Every change after `revision`, oldest first; `Compacted` if some are gone.

        Revisions are contiguous, so a first change later than `revision + 1` means the ones
        between were compacted away: no extra query is needed to notice.
        """
        query = select(changes).where(changes.c.revision > revision).order_by(changes.c.revision)
        if limit is not None:
            query = query.limit(limit)
        found = [_change(row) for row in self._conn.execute(query)]
        if found and found[0].revision > revision + 1:
            raise Compacted(revision, found[0].revision - 1)
        return found

    def lease(self, name: str) -> Lease | None:
        row = self._conn.execute(select(leases).where(leases.c.name == name)).first()
        if row is None:
            return None
        return Lease(row.holder, row.expires, row.cursor, json.loads(row.pending))


def _change(row: Row[Any]) -> Change:
    return Change(row.revision, row.type, json.loads(row.body))


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

    def _row(self, key: Key) -> tuple[int, str] | None:
        if key not in self._rows:
            row = self._conn.execute(_GET_REVISION_AND_BODY, _key_params(key)).first()
            self._rows[key] = (int(row.revision), row.body) if row else None
        return self._rows[key]

    def get(self, key: Key) -> Obj | None:
        row = self._row(key)
        return json.loads(row[1]) if row else None

    @property
    def revision(self) -> int:
        """The revision of the last write so far (the store's revision once committed)."""
        return self._revision

    def flush(self) -> None:
        if self._log_rows:
            self._conn.execute(_INSERT_CHANGE, self._log_rows)
            self._log_rows = []

    def changes_after(self, revision: int, limit: int | None = None) -> builtins.list[Change]:
        self.flush()
        return super().changes_after(revision, limit)

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

    def _log(self, change_type: ChangeType, key: Key, body: str) -> None:
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
            self._conn.execute(_DELETE_OWNER_REFS, _key_params(key))
        uids = {r["uid"] for r in owner_references(obj)} if obj else set()
        if uids:
            self._conn.execute(
                _INSERT_OWNER_REF,
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
        try:
            self._conn.execute(
                _INSERT_OBJECT,
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
        except IntegrityError as exc:
            self._revision -= 1
            raise KeyExists(key) from exc
        self._rows[key] = (self._revision, body)
        self._write_owner_refs(key, obj, replace=False)
        self._log(ChangeType.ADDED, key, body)
        return obj

    def _stored(self, key: Key, expected_revision: int | None) -> Obj:
        row = self._row(key)
        if row is None:
            raise KeyMissing(key)
        if expected_revision is not None and row[0] != expected_revision:
            raise RevisionMismatch(key)
        stored: Obj = json.loads(row[1])
        return stored

    def update(self, obj: Obj, expected_revision: int | None) -> Obj:
        """Replace an object; with `expected_revision`, only if it is still at that revision."""
        key = key_of(obj)
        old = self._stored(key, expected_revision)
        self._next_revision(obj)
        body = self._body(obj)
        self._conn.execute(
            _UPDATE_OBJECT,
            {**_key_params(key), "cuid": controller_uid(obj), "rev": self._revision, "data": body},
        )
        self._rows[key] = (self._revision, body)
        if owner_references(old) != owner_references(obj):
            self._write_owner_refs(key, obj, replace=True)
        self._log(ChangeType.MODIFIED, key, body)
        return obj

    def delete(self, key: Key, expected_revision: int | None = None) -> Obj:
        """Remove an object; the log keeps its last state under a new revision."""
        obj = self._stored(key, expected_revision)
        self._next_revision(obj)
        self._conn.execute(_DELETE_OBJECT, _key_params(key))
        self._rows[key] = None
        if owner_references(obj):
            self._write_owner_refs(key, None, replace=True)
        self._log(ChangeType.DELETED, key, _dumps(obj))
        return obj

    def compact(self, keep_revision: int) -> int:
        """Drop the changes before `keep_revision` (never the newest); returns how many."""
        newest = self.current_revision()
        done = self._conn.execute(
            delete(changes).where(changes.c.revision < min(keep_revision, newest))
        )
        return int(done.rowcount)

    def save_lease(self, name: str, lease: Lease) -> None:
        values = {
            "holder": lease.holder,
            "expires": lease.expires,
            "cursor": lease.cursor,
            "pending": json.dumps(lease.pending),
        }
        if self.lease(name) is None:
            self._conn.execute(insert(leases).values(name=name, **values))
        else:
            self._conn.execute(update(leases).where(leases.c.name == name).values(**values))


class Store:
    """A SQLAlchemy URL's worth of cluster; several processes may share one SQLite file."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = make_engine(url)
        # Under the write lock: processes opening a new file at once would otherwise each
        # read "no tables" and then fail to upgrade to a writer ("database is locked").
        with self._write_connection() as connection, connection.begin():
            metadata.create_all(connection)

    def _write_connection(self) -> Connection:
        return self._engine.connect().execution_options(**{WRITE_OPTION: True})

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        with self._engine.connect() as connection, connection.begin():
            yield Reader(connection)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """All writes inside commit together, or (on any exception) none of them."""
        with self._write_connection() as connection, connection.begin():
            txn = Transaction(connection)
            yield txn
            txn.flush()

    def reset(self) -> None:
        """Drop every object, change and lease: an empty cluster at revision 0."""
        with self._write_connection() as connection, connection.begin():
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())

    def dispose(self) -> None:
        self._engine.dispose()
