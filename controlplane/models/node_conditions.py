"""Node health: the conditions a healthy kubelet posts, and mkctl's stopped-kubelet mark."""

from __future__ import annotations

from controlplane.clock import parse_rfc3339
from controlplane.models.constants import Obj
from controlplane.models.meta import annotations_of

# Set by `mkctl node stop` to the RFC 3339 time the node's kubelet stopped posting status.
KUBELET_STOPPED_ANNOTATION = "mkctl.dev/kubelet-stopped"

HEALTHY = (
    (
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
)


def healthy_conditions(stamp: str) -> list[Obj]:
    return [
        {
            "type": t,
            "status": s,
            "reason": r,
            "message": m,
            "lastHeartbeatTime": stamp,
            "lastTransitionTime": stamp,
        }
        for t, s, r, m in HEALTHY
    ]


def kubelet_stopped_at(node: Obj) -> float | None:
    """When the node's (simulated) kubelet stopped, or None while it runs."""
    value = annotations_of(node).get(KUBELET_STOPPED_ANNOTATION)
    return parse_rfc3339(value) if value else None
