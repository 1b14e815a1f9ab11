"""Tables of the store, as portable DDL that both drivers run (see engine.py).

- `objects`: the current state, one row per object, keyed (kind, namespace, name) so that a
  list comes back in Kubernetes' order (namespace, then name); `controller_uid` indexes
  what a controller owns.
- `owner_refs`: one row per ownerReference, so the garbage collector finds the dependents of
  a deleted owner without scanning.
- `changes`: the append-only log; `revision` is the global counter (kine's `id`).
- `leases`: who runs the controllers, and where their change-log cursor stands.
- `meta`: the schema version, so that a store is never read by an mkctl that does not know
  its layout. Version 1 is the layout before `meta` existed (no row); version 2 adds `meta`.
  An older store is migrated in place when opened; a newer one is refused (`prepare`).

Tables are listed parents first; `reset` empties them in reverse. Column types are the
dialect's (`COLUMN_TYPES`): on PostgreSQL, keys compare byte by byte (`COLLATE "C"`), as
SQLite's and Python's strings do, so lists come back in the same order on both, and the
name-prefix ranges of store.py hold; revisions are 64-bit there as in SQLite.
"""

from __future__ import annotations

from controlplane.store.engine import Connection, Database
from controlplane.store.errors import StoreError

SCHEMA_VERSION = 2
UNVERSIONED = 1  # a store written before the version was recorded

TABLES = {
    "objects": """
        CREATE TABLE IF NOT EXISTS objects (
            kind {text} NOT NULL,
            namespace {text} NOT NULL,
            name {text} NOT NULL,
            uid {text} NOT NULL,
            controller_uid {text},
            revision {integer} NOT NULL,
            body {text} NOT NULL,
            PRIMARY KEY (kind, namespace, name)
        )""",
    "owner_refs": """
        CREATE TABLE IF NOT EXISTS owner_refs (
            owner_uid {text} NOT NULL,
            kind {text} NOT NULL,
            namespace {text} NOT NULL,
            name {text} NOT NULL,
            PRIMARY KEY (owner_uid, kind, namespace, name)
        )""",
    "changes": """
        CREATE TABLE IF NOT EXISTS changes (
            revision {integer} NOT NULL,
            type {text} NOT NULL,
            kind {text} NOT NULL,
            namespace {text} NOT NULL,
            name {text} NOT NULL,
            body {text} NOT NULL,
            PRIMARY KEY (revision)
        )""",
    "leases": """
        CREATE TABLE IF NOT EXISTS leases (
            name {text} NOT NULL,
            holder {text} NOT NULL,
            expires DOUBLE PRECISION NOT NULL,
            cursor {integer} NOT NULL,
            pending {text} NOT NULL,
            PRIMARY KEY (name)
        )""",
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            name {text} NOT NULL,
            value {text} NOT NULL,
            PRIMARY KEY (name)
        )""",
}

COLUMN_TYPES = {
    "sqlite": {"text": "TEXT", "integer": "INTEGER"},
    "postgresql": {"text": 'TEXT COLLATE "C"', "integer": "BIGINT"},
}
DEFAULT_TYPES = {"text": "TEXT", "integer": "BIGINT"}

INDEXES = ("CREATE INDEX IF NOT EXISTS objects_by_controller ON objects (controller_uid)",)

SCHEMA_VERSION_ROW = "SELECT value FROM meta WHERE name = 'schema_version'"
INSERT_SCHEMA_VERSION = "INSERT INTO meta (name, value) VALUES ('schema_version', :version)"
UPDATE_SCHEMA_VERSION = "UPDATE meta SET value = :version WHERE name = 'schema_version'"


def prepare(db: Database) -> None:
    """Make the database a store of this schema version: create it, migrate it, or refuse it.

    A store already at this version is only read, so opening one never waits for another
    process's write lock. Otherwise the work is done under the write lock: processes opening
    a new file at once would each read "no tables" and then fail to upgrade to a writer.
    """
    if _is_current(db):
        return
    types = COLUMN_TYPES.get(db.dialect, DEFAULT_TYPES)
    with db.transaction(write=True) as connection:
        for ddl in (*(table.format(**types) for table in TABLES.values()), *INDEXES):
            connection.execute(ddl)
        _migrate(connection, db.where)


def _is_current(db: Database) -> bool:
    """A new or older store has no version row; one that cannot be read fails again, and is
    explained, under the write lock."""
    try:
        with db.transaction(write=False) as connection:
            found = connection.rows(SCHEMA_VERSION_ROW)
    except StoreError:
        return False
    return bool(found) and found[0][0] == str(SCHEMA_VERSION)


def _migrate(connection: Connection, where: str) -> None:
    """Bring an older store to this version in place; refuse a newer one. Version 1 to 2 is
    the `meta` table itself, which the DDL has just created."""
    found = connection.rows(SCHEMA_VERSION_ROW)
    version = int(found[0][0]) if found else UNVERSIONED
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the store {where} has schema version {version}, newer than version "
            f"{SCHEMA_VERSION} that this mkctl knows: use a newer mkctl, or point MKCTL_HOME "
            "elsewhere"
        )
    if version < SCHEMA_VERSION:
        statement = UPDATE_SCHEMA_VERSION if found else INSERT_SCHEMA_VERSION
        connection.execute(statement, {"version": str(SCHEMA_VERSION)})
