"""Leader election over the Lease `kube-system/kube-controller-manager`, as client-go does it
(staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go, tryAcquireOrRenew and
release, over resourcelock/leaselock.go).

Every process that may run the controllers is a candidate. Each RetryPeriod it reads the
Lease; it takes it when it has no holder, when the holder's hold has run out, or (mkctl's
addition) when the holder is a process on this machine that has exited; the leader renews
it. Each write is a compare-and-swap on the Lease's resourceVersion, so of two candidates
only one wins. A leader that finds the Lease held by another, or fails to renew within
RenewDeadline, stops its controllers.

A hold runs out LeaseDuration after the candidate last saw the record change (client-go's
observedTime: no trust in another machine's clock) or after the record's own renewTime,
whichever comes first (so that a command starting long after a holder vanished need not wait
a whole LeaseDuration). Clocks may disagree; what keeps two leaders from both writing is
`fence`: every controller write checks, in its own transaction, that the Lease is still the
one this leader last wrote.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import replace

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.models.constants import Kind, Obj
from controlplane.models.leases import LEASE_NAMESPACE, LeaderElectionRecord, new_lease
from controlplane.runtime.lease import LEASE_NAME, LeaderElectionConfig, holder_is_dead

log = logging.getLogger(__name__)

# The field manager of the leader's Lease writes, as kube-controller-manager's client names it.
LEASE_MANAGER = "kube-controller-manager"


class LeaderLost(RuntimeError):
    """This process no longer holds the controller lease: its controllers must stop."""


class LeaderElector:
    def __init__(self, api: Api, identity: str, config: LeaderElectionConfig) -> None:
        self.api = api
        self.identity = identity
        self.config = config
        self._observed: LeaderElectionRecord | None = None
        self._observed_time = 0.0
        self._resource_version = ""  # of the Lease as this leader last wrote it
        self.renewed_at: float | None = None  # when this leader last acquired or renewed

    @property
    def is_leader(self) -> bool:
        return self.renewed_at is not None

    def try_acquire_or_renew(self) -> bool:
        """One attempt to take or keep the Lease; False when another holds it, or when a
        concurrent write won the compare-and-swap."""
        now = self.api.clock.now()
        duration = max(1, round(self.config.lease_duration))
        try:
            lease = self.api.get(Kind.LEASE, LEASE_NAMESPACE, LEASE_NAME)
        except ApiError as exc:
            if exc.code != 404:
                raise
            record = LeaderElectionRecord(self.identity, duration, now, now, 0)
            self._ensure_namespace()
            return self._write(new_lease(LEASE_NAME, record), record, create=True)
        old = LeaderElectionRecord.from_lease(lease)
        if old != self._observed:
            self._observed, self._observed_time = old, now
        mine = old.holder_identity == self.identity
        if not mine and self._held_by_another(old, now):
            self.renewed_at = None
            return False
        if mine:
            record = replace(old, lease_duration_seconds=duration, renew_time=now)
        else:
            if old.holder_identity:
                log.info("taking over the controller lease from %s", old.holder_identity)
            record = LeaderElectionRecord(
                self.identity, duration, now, now, old.leader_transitions + 1
            )
        return self._write(lease, record, create=False)

    def _held_by_another(self, record: LeaderElectionRecord, now: float) -> bool:
        if not record.holder_identity or holder_is_dead(record.holder_identity):
            return False
        observed_valid = self._observed_time + record.lease_duration_seconds > now
        return observed_valid and not record.expired(now)

    def _ensure_namespace(self) -> None:
        """kube-system exists in every cluster: kube-apiserver's system namespaces
        controller (pkg/controlplane/controller/systemnamespaces) makes it when it is
        missing, as it is in a bare store."""
        try:
            self.api.get(Kind.NAMESPACE, "", LEASE_NAMESPACE)
        except ApiError as exc:
            if exc.code != 404:
                raise
            namespace: Obj = {
                "apiVersion": "v1",
                "kind": Kind.NAMESPACE.value,
                "metadata": {"name": LEASE_NAMESPACE},
            }
            try:
                self.api.create(namespace)
            except ApiError as exists:
                if exists.code != 409:
                    raise

    def _write(self, lease: Obj, record: LeaderElectionRecord, *, create: bool) -> bool:
        body = copy.deepcopy(lease)
        body["spec"] = record.lease_spec()
        try:
            with self.api.acting_as(LEASE_MANAGER):
                written = self.api.create(body) if create else self.api.update(body)
        except ApiError as exc:
            if exc.code in (404, 409):  # another candidate wrote first
                return False
            raise
        self._observed, self._observed_time = record, self.api.clock.now()
        self._resource_version = str(written["metadata"]["resourceVersion"])
        self.renewed_at = record.renew_time
        return True

    def fence(self) -> None:
        """Inside a write transaction: refuse it (LeaderLost) unless the Lease is still held
        by this process, exactly as it last wrote it. A leader deposed while it was paused
        finds another holder, or at least another resourceVersion, and writes nothing."""
        try:
            lease = self.api.get(Kind.LEASE, LEASE_NAMESPACE, LEASE_NAME)
        except ApiError as exc:
            raise LeaderLost("the controller lease is gone") from exc
        holder = LeaderElectionRecord.from_lease(lease).holder_identity
        if (
            holder != self.identity
            or lease["metadata"]["resourceVersion"] != self._resource_version
        ):
            self.renewed_at = None
            raise LeaderLost(f"the controller lease is now held by {holder or 'no one'}")

    def release(self) -> None:
        """Give the Lease up at once (client-go's release, ReleaseOnCancel): no holder, a
        one-second duration, the transitions kept. Only if it is still ours."""
        if not self.is_leader:
            return
        self.renewed_at = None
        try:
            lease = self.api.get(Kind.LEASE, LEASE_NAMESPACE, LEASE_NAME)
        except ApiError:
            return
        if LeaderElectionRecord.from_lease(lease).holder_identity != self.identity:
            return
        now = self.api.clock.now()
        transitions = self._observed.leader_transitions if self._observed else 0
        self._write(lease, LeaderElectionRecord("", 1, now, now, transitions), create=False)
        self.renewed_at = None
