"""coordination.k8s.io/v1 Lease as leader election reads and writes it.

client-go's resource lock (staging/src/k8s.io/client-go/tools/leaderelection/resourcelock/
leaselock.go) turns a Lease's spec into a `LeaderElectionRecord` and back
(LeaseSpecToLeaderElectionRecord, LeaderElectionRecordToLeaseSpec): the holder, how long its
hold lasts, when it was acquired and last renewed, and how many times it changed hands.
Times are MicroTime: RFC 3339 with microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from controlplane.models.constants import Kind, Obj

API_VERSION = "coordination.k8s.io/v1"
# kube-controller-manager's lock: --leader-elect-resource-namespace and -name's defaults.
LEASE_NAMESPACE = "kube-system"


def micro_time(seconds: float) -> str:
    """metav1.MicroTime's JSON: `2006-01-02T15:04:05.000000Z` (RFC3339Micro, UTC)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_micro_time(text: object) -> float | None:
    """Seconds since the epoch of a MicroTime (or a whole-second Time); None if unset or
    unreadable."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


@dataclass(frozen=True)
class LeaderElectionRecord:
    holder_identity: str
    lease_duration_seconds: int
    acquire_time: float | None
    renew_time: float | None
    leader_transitions: int

    @classmethod
    def from_lease(cls, lease: Obj) -> LeaderElectionRecord:
        """LeaseSpecToLeaderElectionRecord: unset fields read as empty and zero."""
        spec = lease.get("spec")
        spec = spec if isinstance(spec, dict) else {}
        duration, transitions = spec.get("leaseDurationSeconds"), spec.get("leaseTransitions")
        return cls(
            holder_identity=str(spec.get("holderIdentity") or ""),
            lease_duration_seconds=duration if isinstance(duration, int) else 0,
            acquire_time=parse_micro_time(spec.get("acquireTime")),
            renew_time=parse_micro_time(spec.get("renewTime")),
            leader_transitions=transitions if isinstance(transitions, int) else 0,
        )

    def lease_spec(self) -> Obj:
        """LeaderElectionRecordToLeaseSpec: every field set, the holder even when empty."""
        spec: Obj = {
            "holderIdentity": self.holder_identity,
            "leaseDurationSeconds": self.lease_duration_seconds,
        }
        if self.acquire_time is not None:
            spec["acquireTime"] = micro_time(self.acquire_time)
        if self.renew_time is not None:
            spec["renewTime"] = micro_time(self.renew_time)
        spec["leaseTransitions"] = self.leader_transitions
        return spec

    def expired(self, now: float) -> bool:
        """No holder, or the holder's last renewal is older than its lease duration."""
        if not self.holder_identity or self.renew_time is None:
            return True
        return self.renew_time + self.lease_duration_seconds <= now


def new_lease(name: str, record: LeaderElectionRecord) -> Obj:
    return {
        "apiVersion": API_VERSION,
        "kind": Kind.LEASE.value,
        "metadata": {"name": name, "namespace": LEASE_NAMESPACE},
        "spec": record.lease_spec(),
    }
