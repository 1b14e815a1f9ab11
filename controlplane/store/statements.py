"""The store's SQL, written once for both dialects (SQLite and PostgreSQL): the fixed
statements (objects by key, their owner references, the change log, the leases) and the
conditions store.py builds a list's query from (`of_kind`).

Parameters are named (`:kind`); a `Connection` (engine.py) binds them for its driver.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.meta import Key

BY_KEY = "kind = :k AND namespace = :ns AND name = :n"
GET_BODY = f"SELECT body FROM objects WHERE {BY_KEY}"
GET_REVISION_AND_BODY = f"SELECT revision, body FROM objects WHERE {BY_KEY}"
# A taken key inserts nothing (and the transaction goes on, which PostgreSQL does not allow
# after a failed statement): the row count tells the create it already exists.
INSERT_OBJECT = (
    "INSERT INTO objects (kind, namespace, name, uid, controller_uid, revision, body)"
    " VALUES (:kind, :namespace, :name, :uid, :controller_uid, :revision, :body)"
    " ON CONFLICT DO NOTHING"
)
UPDATE_OBJECT = (
    f"UPDATE objects SET controller_uid = :cuid, revision = :rev, body = :data WHERE {BY_KEY}"
)
DELETE_OBJECT = f"DELETE FROM objects WHERE {BY_KEY}"
INSERT_CHANGE = (
    "INSERT INTO changes (revision, type, kind, namespace, name, body)"
    " VALUES (:revision, :type, :kind, :namespace, :name, :body)"
)
INSERT_OWNER_REF = (
    "INSERT INTO owner_refs (owner_uid, kind, namespace, name)"
    " VALUES (:owner_uid, :kind, :namespace, :name)"
)
DELETE_OWNER_REFS = f"DELETE FROM owner_refs WHERE {BY_KEY}"
DEPENDENTS = "SELECT kind, namespace, name FROM owner_refs WHERE owner_uid = :owner"
KEYS_OF_KIND = "SELECT namespace, name FROM objects WHERE kind = :kind"
CURRENT_REVISION = "SELECT COALESCE(MAX(revision), 0) FROM changes"
BY_NAME_PREFIX = (
    "SELECT body FROM objects WHERE kind = :k AND namespace = :ns"
    " AND name >= :lo AND name < :hi ORDER BY name"
)
CHANGES_AFTER = (
    "SELECT revision, type, kind, namespace, name, body FROM changes"
    " WHERE revision > :after ORDER BY revision"
)
LEASE = "SELECT holder, expires, cursor, pending FROM leases WHERE name = :name"
INSERT_LEASE = (
    "INSERT INTO leases (name, holder, expires, cursor, pending)"
    " VALUES (:name, :holder, :expires, :cursor, :pending)"
)
UPDATE_LEASE = (
    "UPDATE leases SET holder = :holder, expires = :expires, cursor = :cursor,"
    " pending = :pending WHERE name = :name"
)
COMPACT = "DELETE FROM changes WHERE revision < :keep"


def key_params(key: Key) -> dict[str, str]:
    """The parameters of `BY_KEY`."""
    return {"k": key.kind, "ns": key.namespace, "n": key.name}


def of_kind(kind: str, namespace: str | None) -> tuple[list[str], dict[str, Any]]:
    """The conditions, and their parameters, that select a kind's objects in one namespace
    (or in all, `namespace=None`)."""
    where = ["kind = :kind"]
    params: dict[str, Any] = {"kind": kind}
    if namespace is not None:
        where.append("namespace = :namespace")
        params["namespace"] = namespace
    return where, params
