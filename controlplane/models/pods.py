"""What controllers ask of a pod: is it active, ready, available.

Upstream controller_utils.go IsPodActive and pkg/api/v1/pod/util.go IsPodReady,
IsPodAvailable."""

from __future__ import annotations

from controlplane.clock import parse_rfc3339
from controlplane.models.constants import ConditionStatus, Obj, PodConditionType, PodPhase

# Plain strings for the checks that run per pod on every sync (a ReplicaSet of 100,000 pods
# syncs ~200 times on its way up): reading a member off an Enum class costs 0.2 us a time.
_FINISHED = (PodPhase.SUCCEEDED.value, PodPhase.FAILED.value)
_READY = PodConditionType.READY.value
_TRUE = ConditionStatus.TRUE.value


def is_pod_active(pod: Obj) -> bool:
    """Counts toward a controller's replicas: not finished and not terminating."""
    phase = pod.get("status", {}).get("phase")
    return phase not in _FINISHED and not pod["metadata"].get("deletionTimestamp")


def ready_condition(pod: Obj) -> Obj | None:
    """The pod's own Ready condition, not a copy: read it, never change it."""
    for condition in pod.get("status", {}).get("conditions") or ():
        if condition.get("type") == _READY:
            return condition  # type: ignore[no-any-return]
    return None


def is_pod_ready(pod: Obj) -> bool:
    condition = ready_condition(pod)
    return condition is not None and condition.get("status") == _TRUE


def is_pod_available(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """Ready, and ready for longer than minReadySeconds (strictly), as upstream podutil."""
    condition = ready_condition(pod)
    if condition is None or condition.get("status") != _TRUE:
        return False
    if min_ready_seconds == 0:
        return True
    since = condition.get("lastTransitionTime")
    return since is not None and parse_rfc3339(since) + min_ready_seconds < now


def seconds_until_available(pod: Obj, min_ready_seconds: int, now: float) -> float | None:
    """For a ready but not yet available pod, when to look again; else None."""
    if min_ready_seconds == 0:
        return None
    condition = ready_condition(pod)
    if condition is None or condition.get("status") != "True":
        return None
    since = condition.get("lastTransitionTime")
    if since is None:
        return None
    remaining = parse_rfc3339(since) + min_ready_seconds - now
    return remaining + 1 if remaining >= 0 else None
