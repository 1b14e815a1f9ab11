"""The READY, STATUS and RESTARTS a user sees for a pod (pkg/printers/internalversion/
printers.go, printPod).

STATUS is not `status.phase`: it is computed from container states, init containers,
conditions and the deletion timestamp. The loop over containers runs from last to first so
that the first container's reason wins, a quirk users rely on when reading `CrashLoopBackOff`.
The pod Table's cells, `describe` and `tree` all need these values, so they live here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from controlplane.clock import parse_rfc3339
from controlplane.models.constants import ConditionStatus, Obj, PodConditionType, PodPhase
from controlplane.models.durations import human_duration

# The reason the node lifecycle controller writes on pods of an unreachable node.
NODE_LOST_REASON = "NodeLost"
SCHEDULING_GATED = "SchedulingGated"


@dataclass(frozen=True, slots=True)
class PodSummary:
    """The computed columns of one pod row."""

    ready: int
    total: int
    status: str
    restarts: int
    last_restart: float | None  # epoch seconds of the latest lastState.terminated.finishedAt


def _condition_true(pod: Obj, ctype: str) -> bool:
    for cond in pod.get("status", {}).get("conditions") or []:
        if cond.get("type") == ctype:
            return bool(cond.get("status") == ConditionStatus.TRUE)
    return False


def _finished_at(status: dict[str, Any]) -> float | None:
    finished = ((status.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
    return parse_rfc3339(finished) if finished else None


def _later(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _exit_reason(prefix: str, terminated: dict[str, Any]) -> str:
    signal = terminated.get("signal") or 0
    if signal:
        return f"{prefix}Signal:{signal}"
    return f"{prefix}ExitCode:{terminated.get('exitCode') or 0}"


def summarize_pod(pod: Obj) -> PodSummary:
    """Port of `printPod`'s cell computation (kubernetes pkg/printers/internalversion)."""
    spec = pod.get("spec", {})
    status = pod.get("status", {})
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if (
            cond.get("type") == PodConditionType.SCHEDULED
            and cond.get("reason") == SCHEDULING_GATED
        ):
            reason = SCHEDULING_GATED

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    sidecars = {n for n, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total = len(spec.get("containers") or []) + len(sidecars)
    ready = 0
    restarts = 0
    sidecar_restarts = 0
    last_restart: float | None = None
    last_sidecar_restart: float | None = None

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, cs in enumerate(init_statuses):
        restarts += cs.get("restartCount") or 0
        last_restart = _later(last_restart, _finished_at(cs))
        is_sidecar = cs.get("name") in sidecars
        if is_sidecar:
            sidecar_restarts += cs.get("restartCount") or 0
            last_sidecar_restart = _later(last_sidecar_restart, _finished_at(cs))
        state = cs.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated is not None and (terminated.get("exitCode") or 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            else:
                reason = _exit_reason("Init:", terminated)
        elif (
            waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing"
        ):
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(pod, PodConditionType.INITIALIZED):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += cs.get("restartCount") or 0
            last_restart = _later(last_restart, _finished_at(cs))
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                reason = _exit_reason("", terminated)
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(pod, PodConditionType.READY) else "NotReady"

    deleting = bool(pod.get("metadata", {}).get("deletionTimestamp"))
    if deleting and status.get("reason") == NODE_LOST_REASON:
        reason = "Unknown"
    elif deleting and phase not in (PodPhase.SUCCEEDED, PodPhase.FAILED):
        reason = "Terminating"
    return PodSummary(ready, total, reason, restarts, last_restart)


def pod_status(pod: Obj) -> str:
    """The STATUS column: `Running`, `ContainerCreating`, `CrashLoopBackOff`, `Terminating`..."""
    return summarize_pod(pod).status


def pod_ready(pod: Obj) -> str:
    """The READY column: `<ready containers>/<containers>`, e.g. `1/1`."""
    summary = summarize_pod(pod)
    return f"{summary.ready}/{summary.total}"


def pod_restarts(pod: Obj, now: float) -> str:
    """The RESTARTS column: `0`, or `3 (45s ago)` when a container has restarted."""
    return _restarts_cell(summarize_pod(pod), now)


def _restarts_cell(summary: PodSummary, now: float) -> str:
    if summary.restarts != 0 and summary.last_restart is not None:
        return f"{summary.restarts} ({human_duration(now - summary.last_restart)} ago)"
    return str(summary.restarts)


def pod_cells(pod: Obj, now: float) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS computed in one pass."""
    summary = summarize_pod(pod)
    return f"{summary.ready}/{summary.total}", summary.status, _restarts_cell(summary, now)
