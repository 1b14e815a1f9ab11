"""The controller lease: who reconciles, and where the manager keeps its cursor and the
keys still to do (the row `store.Lease`). Kept beside the verbs, not among them: it is the
controllers' coordination, not a Kubernetes object (upstream's coordination.k8s.io Lease,
as client-go's tools/leaderelection takes and renews it).

The API server's periodic tasks (compaction, the events' TTL) keep when they are next due,
and the revision they marked, in a row of the same table (`mark`, `next_due`), as
kube-apiserver's compactor keeps its state in etcd under `compact_rev_key`.
"""

from __future__ import annotations

from controlplane.api.transactions import Transactions
from controlplane.store.store import Lease


class Leases(Transactions):
    def try_acquire_lease(
        self, name: str, holder: str, ttl: float, *, take_over: str = ""
    ) -> Lease | None:
        """Take (or renew) the lease if it is free, expired, already ours, or held by
        `take_over` (a holder known to be dead)."""
        now = self.clock.now()
        with self._writing() as txn:
            lease = txn.lease(name) or Lease(holder, 0.0, 0, [])
            if lease.holder not in (holder, take_over) and lease.expires > now:
                return None
            lease.holder, lease.expires = holder, now + ttl
            txn.save_lease(name, lease)
            return lease

    def lease(self, name: str) -> Lease | None:
        with self._reading() as r:
            return r.lease(name)

    def save_lease(self, name: str, lease: Lease) -> None:
        with self._writing() as txn:
            txn.save_lease(name, lease)

    def mark(self, task: str, due: float, revision: int = 0) -> None:
        """Record that the periodic `task` is next due at `due`, and the revision it marked."""
        with self._writing() as txn:
            txn.save_lease(task, Lease(task, due, revision, []))

    def next_due(self, task: str) -> float | None:
        """When the periodic `task` is next due; None if it never ran."""
        found = self.lease(task)
        return None if found is None else found.expires
