"""The pod-level status the kubelet derives from its containers: phase, conditions, addresses.

`pod_phase` follows the kubelet's getPhase (pkg/kubelet/kubelet_pods.go) for pods without init
containers; conditions follow pkg/kubelet/status/generate.go (`containers with unready status:
[nginx]`) in the order generateAPIPodStatus appends them. A condition keeps its
lastTransitionTime until its status flips. A pod that finished (Succeeded or Failed) is not
Ready for the reason `PodCompleted` or `PodFailed` (generateContainersReadyConditionForTerminal
Phase), and its sandbox is gone, so PodReadyToStartContainers turns False.
"""

from __future__ import annotations

from typing import Any

from controlplane.clock import parse_rfc3339, rfc3339
from controlplane.kubelet.images import digest_of
from controlplane.kubelet.runs import Run, RunState
from controlplane.models.constants import ConditionStatus, Obj, PodConditionType, PodPhase

CONTAINERS_NOT_READY = "ContainersNotReady"
TERMINAL_REASONS = {PodPhase.SUCCEEDED: "PodCompleted", PodPhase.FAILED: "PodFailed"}


def pod_phase(runs: list[Run], restart_policy: str) -> PodPhase:
    """Pending while a container has never started; Running once all have started and one
    runs or restarts; Succeeded or Failed only for pods that do not restart their containers."""
    waiting = running = stopped = succeeded = 0
    for run in runs:
        if run.running:
            running += 1
        elif run.state is RunState.EXITED:
            stopped += 1
            succeeded += run.exit is not None and run.exit.exit_code == 0
        elif run.last_exit is not None:
            stopped += 1
        else:
            waiting += 1
    if waiting or not runs:
        return PodPhase.PENDING
    if running:
        return PodPhase.RUNNING
    if restart_policy == "Always":
        return PodPhase.RUNNING
    if stopped == succeeded:
        return PodPhase.SUCCEEDED
    return PodPhase.FAILED if restart_policy == "Never" else PodPhase.RUNNING


def _condition(
    previous: dict[str, Obj],
    kind: PodConditionType,
    ok: bool,
    now: float,
    message: str = "",
    reason: str = CONTAINERS_NOT_READY,
) -> Obj:
    status = (ConditionStatus.TRUE if ok else ConditionStatus.FALSE).value
    before = previous.get(kind.value)
    since = (
        (before or {}).get("lastTransitionTime") if (before or {}).get("status") == status else None
    )
    condition: dict[str, Any] = {
        "type": kind.value,
        "status": status,
        "lastProbeTime": None,
        "lastTransitionTime": since or rfc3339(now),
    }
    if not ok and reason:
        condition["reason"] = reason
        if message:
            condition["message"] = message
    return condition


def pod_conditions(
    old_status: Obj, runs: list[Run], now: float, phase: PodPhase = PodPhase.RUNNING
) -> list[Obj]:
    previous = {c.get("type", ""): c for c in old_status.get("conditions") or []}
    unready = [run.name for run in runs if not run.ready]
    message = f"containers with unready status: [{' '.join(unready)}]"
    terminal = TERMINAL_REASONS.get(phase)
    if terminal:
        return [
            _condition(previous, PodConditionType.READY_TO_START_CONTAINERS, False, now, "", ""),
            _condition(previous, PodConditionType.INITIALIZED, True, now),
            _condition(previous, PodConditionType.READY, False, now, "", terminal),
            _condition(previous, PodConditionType.CONTAINERS_READY, False, now, "", terminal),
            previous.get(PodConditionType.SCHEDULED.value)
            or _condition(previous, PodConditionType.SCHEDULED, True, now),
        ]
    scheduled = previous.get(PodConditionType.SCHEDULED.value) or _condition(
        previous, PodConditionType.SCHEDULED, True, now
    )
    return [
        _condition(previous, PodConditionType.READY_TO_START_CONTAINERS, True, now),
        _condition(previous, PodConditionType.INITIALIZED, True, now),
        _condition(previous, PodConditionType.READY, not unready, now, message),
        _condition(previous, PodConditionType.CONTAINERS_READY, not unready, now, message),
        scheduled,
    ]


def pod_status(pod: Obj, runs: list[Run], now: float, *, host_ip: str, pod_ip: str) -> Obj:
    """The whole `status` of a pod the kubelet runs (addresses fixed once assigned)."""
    old = pod.get("status", {})
    host = old.get("hostIP") or host_ip
    ip = old.get("podIP") or pod_ip
    phase = pod_phase(runs, pod["spec"].get("restartPolicy", "Always"))
    return {
        "phase": phase.value,
        "conditions": pod_conditions(old, runs, now, phase),
        "hostIP": host,
        "hostIPs": [{"ip": host}],
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "startTime": old.get("startTime") or rfc3339(now),
        "qosClass": old.get("qosClass", "BestEffort"),
        "containerStatuses": [run.status() for run in runs],
    }


def creating_since(pod: Obj) -> float:
    """When the kubelet admitted the pod (its sandbox became ready)."""
    status = pod.get("status", {})
    for condition in status.get("conditions") or []:
        if condition.get("type") == PodConditionType.READY_TO_START_CONTAINERS:
            return parse_rfc3339(condition["lastTransitionTime"])
    return parse_rfc3339(status["startTime"]) if status.get("startTime") else 0.0


def pod_ip(node: Obj, pod_uid: str) -> str:
    """An address in the node's pod CIDR (`10.244.0.0/24` -> `10.244.0.<n>`), stable per pod."""
    cidr = str(node.get("spec", {}).get("podCIDR") or "10.244.0.0/24")
    network = cidr.split("/", 1)[0].rsplit(".", 1)[0]
    return f"{network}.{2 + int(digest_of(pod_uid)[:8], 16) % 250}"
