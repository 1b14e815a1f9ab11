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
  An older store is migrated in place when opened; a newer one is refused (store.py).

Tables are listed parents first; `reset` empties them in reverse.
"""

SCHEMA_VERSION = 2
UNVERSIONED = 1  # a store written before the version was recorded

TABLES = {
    "objects": """
        CREATE TABLE IF NOT EXISTS objects (
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            uid TEXT NOT NULL,
            controller_uid TEXT,
            revision INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (kind, namespace, name)
        )""",
    "owner_refs": """
        CREATE TABLE IF NOT EXISTS owner_refs (
            owner_uid TEXT NOT NULL,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (owner_uid, kind, namespace, name)
        )""",
    "changes": """
        CREATE TABLE IF NOT EXISTS changes (
            revision INTEGER NOT NULL,
            type TEXT NOT NULL,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (revision)
        )""",
    "leases": """
        CREATE TABLE IF NOT EXISTS leases (
            name TEXT NOT NULL,
            holder TEXT NOT NULL,
            expires DOUBLE PRECISION NOT NULL,
            cursor INTEGER NOT NULL,
            pending TEXT NOT NULL,
            PRIMARY KEY (name)
        )""",
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (name)
        )""",
}

INDEXES = ("CREATE INDEX IF NOT EXISTS objects_by_controller ON objects (controller_uid)",)

SCHEMA_VERSION_ROW = "SELECT value FROM meta WHERE name = 'schema_version'"
INSERT_SCHEMA_VERSION = "INSERT INTO meta (name, value) VALUES ('schema_version', :version)"
UPDATE_SCHEMA_VERSION = "UPDATE meta SET value = :version WHERE name = 'schema_version'"
