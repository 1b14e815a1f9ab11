"""The controller lease: who reconciles, and where the manager keeps its cursor and the
keys still to do (the row `store.Lease`). Kept beside the verbs, not among them: it is the
controllers' coordination, not a Kubernetes object (upstream's coordination.k8s.io Lease,
as client-go's tools/leaderelection takes and renews it).

The API server's periodic tasks (compaction, the events' TTL) keep when they last ran, and
the revision they marked, in a row of the same table (`mark`, `last_mark`), as
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

    def mark(self, task: str, revision: int = 0) -> None:
        """Record that the periodic `task` ran now, at `revision`."""
        with self._writing() as txn:
            txn.save_lease(task, Lease(task, self.clock.now(), revision, []))

    def last_mark(self, task: str) -> tuple[float, int] | None:
        """When `task` last ran, and the revision it marked; None if never."""
        found = self.lease(task)
        return None if found is None else (found.expires, found.cursor)
