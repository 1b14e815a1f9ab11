"""Pod lifecycle stages as data, after kwok: which pods a stage applies to, and what it does.

In embedded mode every stage has zero delay, so a bound pod goes straight to Running and
Ready within the command that created it, and a deleted pod is gone before the command
returns. The daemon (later) gives the same stages real delays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from controlplane.clock import rfc3339
from controlplane.models.constants import ConditionStatus, Obj, PodConditionType, PodPhase


@dataclass(frozen=True)
class Stage:
    name: str
    applies: Callable[[Obj], bool]
    delay_seconds: float


def _is_new(pod: Obj) -> bool:
    status = pod.get("status", {})
    return (
        bool(pod["spec"].get("nodeName"))
        and not pod["metadata"].get("deletionTimestamp")
        and not status.get("containerStatuses")
        and status.get("phase") == PodPhase.PENDING
    )


def _is_terminating(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp")) and bool(pod["spec"].get("nodeName"))


START = Stage("start", _is_new, 0.0)
TERMINATE = Stage("terminate", _is_terminating, 0.0)
STAGES = (TERMINATE, START)


def full_image_reference(image: str) -> str:
    """What the container runtime reports: `nginx:1.14.2` -> `docker.io/library/nginx:1.14.2`."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not digest:
        name += ":latest"
    first = name.split("/", 1)[0]
    if "/" not in name:
        name = f"docker.io/library/{name}"
    elif "." not in first and ":" not in first and first != "localhost":
        name = f"docker.io/{name}"
    return f"{name}@{digest}" if digest else name


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def image_id(image: str) -> str:
    repository = full_image_reference(image).split("@")[0].rsplit(":", 1)[0]
    return f"{repository}@sha256:{_digest(image)}"


def condition(kind: PodConditionType, now: float) -> Obj:
    return {
        "type": kind.value,
        "status": ConditionStatus.TRUE.value,
        "lastProbeTime": None,
        "lastTransitionTime": rfc3339(now),
    }


def running_status(pod: Obj, host_ip: str, pod_ip: str, now: float) -> Obj:
    """The status of a pod whose containers all started and are ready."""
    started = rfc3339(now)
    scheduled = [
        c
        for c in pod.get("status", {}).get("conditions") or []
        if c.get("type") == PodConditionType.SCHEDULED
    ] or [condition(PodConditionType.SCHEDULED, now)]
    return {
        "phase": PodPhase.RUNNING.value,
        "conditions": [
            condition(PodConditionType.READY_TO_START_CONTAINERS, now),
            condition(PodConditionType.INITIALIZED, now),
            condition(PodConditionType.READY, now),
            condition(PodConditionType.CONTAINERS_READY, now),
            *scheduled,
        ],
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "podIP": pod_ip,
        "podIPs": [{"ip": pod_ip}],
        "startTime": started,
        "qosClass": pod.get("status", {}).get("qosClass", "BestEffort"),
        "containerStatuses": [
            {
                "containerID": "containerd://" + _digest(pod["metadata"]["uid"] + c["name"]),
                "image": full_image_reference(c["image"]),
                "imageID": image_id(c["image"]),
                "lastState": {},
                "name": c["name"],
                "ready": True,
                "restartCount": 0,
                "started": True,
                "state": {"running": {"startedAt": started}},
            }
            for c in pod["spec"]["containers"]
        ],
    }


def pod_ip(node_index: int, pod_uid: str) -> str:
    """An address in the node's pod CIDR 10.244.<node>.0/24, stable for the pod."""
    return f"10.244.{node_index}.{2 + int(_digest(pod_uid)[:8], 16) % 250}"
