"""Who holds the controller lease, and whether that process is still alive.

A holder identity is `<role>:<host>:<pid>:<nonce>`, role `daemon` or `cli`. A lease held by a
process on this machine that no longer exists (a daemon killed with SIGKILL) can be taken
over at once instead of waiting for it to expire, as a new leader would after the lease
duration in Kubernetes' leader election; a lease held elsewhere simply expires.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from controlplane.api.verbs import Api

LEASE_NAME = "kube-controller-manager"
DAEMON = "daemon"
CLI = "cli"


def holder_identity(role: str) -> str:
    return f"{role}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def role_of(holder: str) -> str:
    return holder.split(":", 1)[0]


def pid_of(holder: str) -> int | None:
    parts = holder.split(":")
    if len(parts) != 4 or parts[1] != socket.gethostname():
        return None
    try:
        return int(parts[2])
    except ValueError:
        return None


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


def daemon_reconciles(api: Api, me: str | None = None) -> bool:
    """A live daemon (other than `me`) holds the controller lease: it does the reconciling,
    and commands only read and write, as kubectl does. Kept apart from the manager so that
    a command can ask without importing the controllers."""
    current = api.lease(LEASE_NAME)
    return (
        current is not None
        and role_of(current.holder) == DAEMON
        and current.holder != me
        and current.expires > api.clock.now()
        and not holder_is_dead(current.holder)
    )
