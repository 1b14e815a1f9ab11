"""Who holds the controller lease, and whether that process is still alive.

The lease is kube-controller-manager's: the Lease `kube-system/kube-controller-manager`
(see `leader_election`). A holder identity is `<host>_<role>-<pid>-<nonce>`, upstream's
`<hostname>_<uuid>` with the role (`daemon` or `cli`) and pid in place of the uuid. A lease
held by a process on this machine that no longer exists (a daemon killed with SIGKILL) can be
taken over at once instead of waiting for it to expire, as a new leader would after the lease
duration in Kubernetes' leader election; a lease held elsewhere simply expires.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlplane.models.leases import LEASE_NAMESPACE, LeaderElectionRecord

if TYPE_CHECKING:
    from controlplane.api.clusterapi import ClusterApi
    from controlplane.api.verbs import Api

LEASE_NAME = "kube-controller-manager"
DAEMON = "daemon"
CLI = "cli"


@dataclass(frozen=True)
class LeaderElectionConfig:
    """kube-controller-manager's --leader-elect-lease-duration, --leader-elect-renew-deadline
    and --leader-elect-retry-period, with their defaults (15 s, 10 s, 2 s)."""

    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0

    def check(self) -> None:
        """NewLeaderElector's checks, in its words."""
        if self.lease_duration <= self.renew_deadline:
            raise ValueError("leaseDuration must be greater than renewDeadline")
        if self.renew_deadline <= 1.2 * self.retry_period:
            raise ValueError("renewDeadline must be greater than retryPeriod*JitterFactor")
        if self.retry_period < 0.001:
            raise ValueError("retryPeriod must be positive")


def holder_identity(role: str) -> str:
    return f"{socket.gethostname()}_{role}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _parts(holder: str) -> tuple[str, str, str]:
    """(host, role, pid) of a holder identity; empty strings for a foreign one."""
    host, _, rest = holder.rpartition("_")
    fields = rest.split("-")
    if not host or len(fields) != 3:
        return "", "", ""
    return host, fields[0], fields[1]


def role_of(holder: str) -> str:
    return _parts(holder)[1]


def pid_of(holder: str) -> int | None:
    host, _, pid = _parts(holder)
    if host != socket.gethostname() or not pid.isdigit():
        return None
    return int(pid)


def process_alive(pid: int) -> bool:
    """Is `pid` a running process? An exited one not yet reaped (a zombie) is not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (macOS): the signal check is all there is


def holder_is_dead(holder: str) -> bool:
    """True only when the holder is a process on this machine that has exited."""
    pid = pid_of(holder)
    return pid is not None and pid != os.getpid() and not process_alive(pid)


def current_record(api: ClusterApi) -> LeaderElectionRecord | None:
    """The controller lease as it is stored now (through the daemon's API or the store's),
    or None when there is none."""
    from controlplane.api.errors import ApiError

    try:
        lease = api.get("Lease", LEASE_NAMESPACE, LEASE_NAME)
    except ApiError as exc:
        if exc.code == 404:
            return None
        raise
    return LeaderElectionRecord.from_lease(lease)


def daemon_reconciles(api: Api, me: str | None = None) -> bool:
    """A live daemon (other than `me`) holds the controller lease: it does the reconciling,
    and commands only read and write, as kubectl does. Kept apart from the manager so that
    a command can ask without importing the controllers."""
    record = current_record(api)
    return (
        record is not None
        and role_of(record.holder_identity) == DAEMON
        and record.holder_identity != me
        and not record.expired(api.clock.now())
        and not holder_is_dead(record.holder_identity)
    )
