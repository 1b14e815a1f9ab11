"""Tables of the store.

- `objects`: the current state, one row per object, keyed (kind, namespace, name) so that a
  list comes back in Kubernetes' order (namespace, then name); `controller_uid` indexes
  what a controller owns.
- `owner_refs`: one row per ownerReference, so the garbage collector finds the dependents of
  a deleted owner without scanning.
- `changes`: the append-only log; `revision` is the global counter (kine's `id`).
- `leases`: who runs the controllers, and where their change-log cursor stands.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()

objects = Table(
    "objects",
    metadata,
    Column("kind", String, nullable=False),
    Column("namespace", String, nullable=False),
    Column("name", String, nullable=False),
    Column("uid", String, nullable=False),
    Column("controller_uid", String, nullable=True),
    Column("revision", Integer, nullable=False),
    Column("body", Text, nullable=False),
    PrimaryKeyConstraint("kind", "namespace", "name"),
)
Index("objects_by_controller", objects.c.controller_uid)

owner_refs = Table(
    "owner_refs",
    metadata,
    Column("owner_uid", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("namespace", String, nullable=False),
    Column("name", String, nullable=False),
    PrimaryKeyConstraint("owner_uid", "kind", "namespace", "name"),
)

changes = Table(
    "changes",
    metadata,
    Column("revision", Integer, primary_key=True, autoincrement=False),
    Column("type", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("namespace", String, nullable=False),
    Column("name", String, nullable=False),
    Column("body", Text, nullable=False),
)

leases = Table(
    "leases",
    metadata,
    Column("name", String, primary_key=True),
    Column("holder", String, nullable=False),
    Column("expires", Float, nullable=False),
    Column("cursor", Integer, nullable=False),
    Column("pending", Text, nullable=False),
)
