"""The controllers' progress row: where the leader's manager keeps its change-log cursor and
the keys still to do (the row `store.Lease`), for whoever leads next. Kept beside the verbs,
not among them: it is bookkeeping of the controllers, not a Kubernetes object. Who leads is
the Lease object kube-system/kube-controller-manager (`runtime/leader_election.py`); the
row's `holder` only says who saved it last.

The API server's periodic tasks (compaction, the events' TTL) keep when they are next due,
and the revision they marked, in a row of the same table (`mark`, `next_due`), as
kube-apiserver's compactor keeps its state in etcd under `compact_rev_key`.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.transactions import Transactions
from controlplane.store.reader import Lease


class Leases(Transactions):
    def lease(self, name: str) -> Lease | None:
        with self._reading() as r:
            return r.lease(name)

    def save_progress(self, name: str, holder: str, cursor: int, pending: list[Any]) -> None:
        with self._writing() as txn:
            txn.save_lease(name, Lease(holder, 0.0, cursor, pending))

    def mark(self, task: str, due: float, revision: int = 0) -> None:
        """Record that the periodic `task` is next due at `due`, and the revision it marked."""
        with self._writing() as txn:
            txn.save_lease(task, Lease(task, due, revision, []))

    def next_due(self, task: str) -> float | None:
        """When the periodic `task` is next due; None if it never ran."""
        found = self.lease(task)
        return None if found is None else found.expires
