"""StatefulSet identities, pod states and status arithmetic (upstream stateful_set_utils.go).

A StatefulSet's pods are named `<set>-<ordinal>` and keep that name for life: a pod that
fails is deleted and created again under the same name (with a new uid). Each pod carries
its identity as labels (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`),
`spec.hostname`/`spec.subdomain`, and the name of the ControllerRevision it was made from in
`controller-revision-hash` (upstream stateful_set_utils.go initIdentity, setPodRevision).
"""

from __future__ import annotations

import re
from typing import Any

from controlplane.controllers.pod_control import pod_from_template
from controlplane.controllers.sets import rolling_update
from controlplane.controllers.statefulset.claims import update_storage
from controlplane.models.constants import (
    CONTROLLER_REVISION_HASH_LABEL,
    POD_INDEX_LABEL,
    STATEFULSET_POD_NAME_LABEL,
    Obj,
    PodManagementPolicy,
    PodPhase,
    StrategyType,
)
from controlplane.models.meta import labels_of, name_of
from controlplane.models.pods import is_pod_available, is_pod_ready

_POD_NAME = re.compile(r"(.*)-([0-9]+)$")
_MAX_INT32 = 2**31 - 1


# --- identity ---


def parent_and_ordinal(name: str) -> tuple[str, int]:
    """getParentNameAndOrdinal: `web-2` -> ("web", 2); ("", -1) when the name has no ordinal."""
    match = _POD_NAME.fullmatch(name)
    if match is None:
        return "", -1
    ordinal = int(match[2])
    return (match[1], ordinal) if ordinal <= _MAX_INT32 else (match[1], -1)


def ordinal_of(pod: Obj) -> int:
    return parent_and_ordinal(name_of(pod))[1]


def pod_name(sts: Obj, ordinal: int) -> str:
    return f"{name_of(sts)}-{ordinal}"


def start_ordinal(sts: Obj) -> int:
    return int((sts["spec"].get("ordinals") or {}).get("start", 0))


def replicas_of(sts: Obj) -> int:
    return int(sts["spec"].get("replicas", 1))


def in_ordinal_range(sts: Obj, pod: Obj) -> bool:
    """podInOrdinalRange: start <= ordinal < start + replicas."""
    ordinal, start = ordinal_of(pod), start_ordinal(sts)
    return start <= ordinal < start + replicas_of(sts)


def is_member_of(sts: Obj, pod: Obj) -> bool:
    """isMemberOf: the pod's name is `<this set>-<ordinal>`; others are never claimed."""
    return parent_and_ordinal(name_of(pod))[0] == name_of(sts)


def identity_matches(sts: Obj, pod: Obj) -> bool:
    parent, ordinal = parent_and_ordinal(name_of(pod))
    labels = labels_of(pod)
    return (
        ordinal >= 0
        and parent == name_of(sts)
        and pod["metadata"].get("namespace") == sts["metadata"].get("namespace")
        and labels.get(STATEFULSET_POD_NAME_LABEL) == name_of(pod)
        and labels.get(POD_INDEX_LABEL) == str(ordinal)
    )


def update_identity(pod: Obj) -> None:
    """updateIdentity: the pod-name and pod-index labels (GA since v1.32), in place."""
    labels = pod["metadata"].setdefault("labels", {})
    labels[STATEFULSET_POD_NAME_LABEL] = name_of(pod)
    labels[POD_INDEX_LABEL] = str(ordinal_of(pod))


def new_stateful_pod(sts: Obj, ordinal: int, revision: str) -> Obj:
    """newStatefulSetPod + setPodRevision: the pod for one ordinal, built from `sts`'s template.

    Pass a set whose template is the wanted revision's (models.history.apply_revision).
    Hostname and subdomain are set at creation only, as initIdentity does; each
    volumeClaimTemplate becomes a volume naming the ordinal's claim (updateStorage).
    """
    pod = pod_from_template(sts, pod_name(sts, ordinal))
    update_identity(pod)
    pod["spec"]["hostname"] = name_of(pod)
    if sts["spec"].get("serviceName"):
        pod["spec"]["subdomain"] = sts["spec"]["serviceName"]
    pod["metadata"]["labels"][CONTROLLER_REVISION_HASH_LABEL] = revision
    update_storage(sts, pod, ordinal)
    return pod


def pod_revision(pod: Obj) -> str:
    return labels_of(pod).get(CONTROLLER_REVISION_HASH_LABEL, "")


# --- pod states (a pod not created yet has no status at all) ---


def _phase(pod: Obj) -> Any:
    return (pod.get("status") or {}).get("phase")


def is_created(pod: Obj) -> bool:
    return bool(_phase(pod))


def is_pending(pod: Obj) -> bool:
    return bool(_phase(pod) == PodPhase.PENDING)


def is_finished(pod: Obj) -> bool:
    """Failed or Succeeded: either way the pod is deleted and made again (processReplica)."""
    return _phase(pod) in (PodPhase.FAILED, PodPhase.SUCCEEDED)


def is_terminating(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_running_and_ready(pod: Obj) -> bool:
    return _phase(pod) == PodPhase.RUNNING and is_pod_ready(pod)


def is_running_and_available(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    return _phase(pod) == PodPhase.RUNNING and is_pod_available(pod, min_ready_seconds, now)


def is_unavailable(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """isUnavailable: not healthy (Running, Ready, not terminating) or not yet available."""
    healthy = is_running_and_ready(pod) and not is_terminating(pod)
    return not healthy or not is_running_and_available(pod, min_ready_seconds, now)


# --- spec ---


def min_ready_seconds(sts: Obj) -> int:
    return int(sts["spec"].get("minReadySeconds", 0))


def is_monotonic(sts: Obj) -> bool:
    """OrderedReady sets go one pod at a time; Parallel ones burst (allowsBurst)."""
    return bool(sts["spec"].get("podManagementPolicy") != PodManagementPolicy.PARALLEL)


def strategy_type(sts: Obj) -> str:
    return str((sts["spec"].get("updateStrategy") or {}).get("type", ""))


def partition(sts: Obj) -> int:
    return int((rolling_update(sts) or {}).get("partition", 0))


# --- status ---


def replica_status(
    pods: list[Obj], min_ready: int, now: float, current: str, update: str
) -> dict[str, int]:
    """computeReplicaStatus (stateful_set_control.go): what status counts of these pods."""
    counts = dict.fromkeys(("replicas", "ready", "available", "current", "updated"), 0)
    for pod in pods:
        created = is_created(pod)
        counts["replicas"] += created
        if is_running_and_ready(pod):
            counts["ready"] += 1
            counts["available"] += is_running_and_available(pod, min_ready, now)
        if created and not is_terminating(pod):
            counts["current"] += pod_revision(pod) == current
            counts["updated"] += pod_revision(pod) == update
    return counts


def status_object(
    sts: Obj, counts: dict[str, int], current: str, update: str, collision_count: int
) -> Obj:
    """A StatefulSetStatus, completing a finished rolling update (completeRollingUpdate).

    Field order and omitempty as the Go type: `replicas` and `availableReplicas` are always
    written, zero counts and empty names are not.
    """
    desired = replicas_of(sts)
    if (
        strategy_type(sts) == StrategyType.ROLLING_UPDATE
        and counts["updated"] == desired
        and counts["ready"] == desired
        and counts["replicas"] == desired
    ):
        counts = {**counts, "current": counts["updated"]}
        current = update
    status: Obj = {
        "observedGeneration": sts["metadata"].get("generation", 1),
        "replicas": counts["replicas"],
        "readyReplicas": counts["ready"],
        "currentReplicas": counts["current"],
        "updatedReplicas": counts["updated"],
        "currentRevision": current,
        "updateRevision": update,
        "collisionCount": collision_count,
        "availableReplicas": counts["available"],
    }
    always = ("replicas", "collisionCount", "availableReplicas")
    conditions = (sts.get("status") or {}).get("conditions")
    if conditions:
        status["conditions"] = conditions
    return {k: v for k, v in status.items() if v or k in always}
