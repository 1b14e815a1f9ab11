"""The store: Kubernetes objects and their change log in one SQL database (SQLite by default).

The only package that speaks SQL. Modelled on kine (etcd over SQLite): one global revision
counter that doubles as every object's resourceVersion, compare-and-swap updates, and an
append-only change log that watches and controllers read.
"""

from controlplane.store.errors import (
    Compacted,
    KeyExists,
    KeyMissing,
    RevisionMismatch,
    StoreError,
    TooLarge,
)
from controlplane.store.store import Store, Transaction

__all__ = [
    "Compacted",
    "KeyExists",
    "KeyMissing",
    "RevisionMismatch",
    "Store",
    "StoreError",
    "TooLarge",
    "Transaction",
]
