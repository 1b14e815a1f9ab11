"""DaemonSet helpers: which nodes should run a daemon pod, and what that pod looks like.

Ported from pkg/controller/daemon/daemon_controller.go (nodeShouldRunDaemonPod, predicates,
NewPod, podByCreationTimestampAndPhase, getNodesToDaemonPods) and util/daemonset_util.go
(CreatePodTemplate, AddOrUpdateDaemonPodTolerations, ReplaceDaemonSetPodNodeNameNodeAffinity,
IsPodUpdated, SurgeCount, UnavailableCount).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from controlplane.controllers.sets import rolling_update
from controlplane.models import intstr, nodes
from controlplane.models.constants import (
    CONTROLLER_REVISION_HASH_LABEL,
    TEMPLATE_GENERATION_ANNOTATION,
    TEMPLATE_GENERATION_LABEL,
    Obj,
    PodPhase,
)
from controlplane.models.meta import annotations_of, labels_of, name_of

# AddOrUpdateDaemonPodTolerations: daemon pods run on nodes that are not ready, unreachable,
# under pressure or cordoned (all operator Exists, no tolerationSeconds).
DAEMON_TOLERATIONS: tuple[tuple[str, str], ...] = (
    ("node.kubernetes.io/not-ready", nodes.NO_EXECUTE),
    ("node.kubernetes.io/unreachable", nodes.NO_EXECUTE),
    ("node.kubernetes.io/disk-pressure", nodes.NO_SCHEDULE),
    ("node.kubernetes.io/memory-pressure", nodes.NO_SCHEDULE),
    ("node.kubernetes.io/pid-pressure", nodes.NO_SCHEDULE),
    (nodes.UNSCHEDULABLE_TAINT, nodes.NO_SCHEDULE),
)
NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", nodes.NO_SCHEDULE)


def with_daemon_tolerations(pod_spec: Obj) -> Obj:
    """A copy of the pod spec with every daemon toleration added (existing ones kept)."""
    spec = copy.deepcopy(pod_spec)
    tolerations: list[Obj] = list(spec.get("tolerations") or [])
    wanted = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(NETWORK_UNAVAILABLE)
    for key, effect in wanted:
        toleration = {"key": key, "operator": "Exists", "effect": effect}
        if toleration not in tolerations:
            tolerations.append(toleration)
    spec["tolerations"] = tolerations
    return spec


def should_run(ds: Obj, node_list: Iterable[Obj]) -> dict[str, tuple[bool, bool]]:
    """nodeShouldRunDaemonPod for each node: (a pod should run there, an existing one may
    stay there).

    The hypothetical pod is the template with the daemon tolerations. A NoSchedule taint
    nobody tolerates keeps new pods off but lets a running one stay; an untolerated NoExecute
    taint evicts it too.
    """
    template_spec = ds["spec"]["template"].get("spec") or {}
    spec = with_daemon_tolerations(template_spec)
    return {name_of(node): _should_run(template_spec, spec, node) for node in node_list}


def _should_run(template_spec: Obj, spec: Obj, node: Obj) -> tuple[bool, bool]:
    if template_spec.get("nodeName") and template_spec["nodeName"] != name_of(node):
        return False, False
    if not nodes.fits_node_affinity(spec, node):
        return False, False
    taints = nodes.node_taints(node)
    if nodes.untolerated_taint(taints, spec["tolerations"], nodes.HARD_EFFECTS) is None:
        return True, True
    evicted = nodes.untolerated_taint(taints, spec["tolerations"], [nodes.NO_EXECUTE])
    return False, evicted is None


def template_generation(ds: Obj) -> str | None:
    """GetTemplateGeneration: the API server's annotation, None when missing or bad."""
    value = annotations_of(ds).get(TEMPLATE_GENERATION_ANNOTATION)
    return value if value and value.isdigit() else None


def daemon_template(ds: Obj, hash_: str) -> Obj:
    """CreatePodTemplate: the template with daemon tolerations, generation and hash labels."""
    template: Obj = copy.deepcopy(ds["spec"]["template"])
    template["spec"] = with_daemon_tolerations(template.get("spec") or {})
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    generation = template_generation(ds)
    if generation is not None:
        labels[TEMPLATE_GENERATION_LABEL] = generation
    if hash_:
        labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
    return template


def pin_to_node(template: Obj, node: str) -> Obj:
    """ReplaceDaemonSetPodNodeNameNodeAffinity: a copy whose required node affinity is the one
    term `metadata.name In [node]`, so that the default scheduler binds it there (the node
    already passed the template's own affinity in `should_run`)."""
    pinned = copy.deepcopy(template)
    term = {"matchFields": [{"key": nodes.NODE_NAME_FIELD, "operator": "In", "values": [node]}]}
    affinity = pinned["spec"].setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    required["nodeSelectorTerms"] = [term]
    return pinned


def is_pod_updated(pod: Obj, hash_: str, generation: str | None) -> bool:
    """IsPodUpdated: the current hash, or (older pods) the current template generation."""
    labels = labels_of(pod)
    hash_matches = bool(hash_) and labels.get(CONTROLLER_REVISION_HASH_LABEL) == hash_
    return hash_matches or (
        generation is not None and labels.get(TEMPLATE_GENERATION_LABEL) == generation
    )


def pod_order(pod: Obj) -> tuple[bool, str, str]:
    """podByCreationTimestampAndPhase: scheduled pods first, then oldest, then by name."""
    return (
        not pod["spec"].get("nodeName"),
        str(pod["metadata"].get("creationTimestamp") or ""),
        name_of(pod),
    )


def is_terminal(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in (PodPhase.FAILED, PodPhase.SUCCEEDED)


def nodes_to_daemon_pods(
    pods: Iterable[Obj], include_deleted_terminal: bool
) -> dict[str, list[Obj]]:
    """getNodesToDaemonPods: pods by the node they run on, or are pinned to."""
    by_node: dict[str, list[Obj]] = {}
    for pod in pods:
        if (
            not include_deleted_terminal
            and is_terminal(pod)
            and pod["metadata"].get("deletionTimestamp")
        ):
            continue
        node = nodes.target_node_name(pod)
        if node is not None:
            by_node.setdefault(node, []).append(pod)
    return by_node


# --- the rolling update budget ---


def surge_count(ds: Obj, desired: int) -> int:
    """SurgeCount: maxSurge against the desired number of nodes, percentages rounding up."""
    rolling = rolling_update(ds)
    if rolling is None or rolling.get("maxSurge") is None:
        return 0
    return intstr.int_or_percent(rolling["maxSurge"], desired, True)


def unavailable_count(ds: Obj, desired: int) -> int:
    """UnavailableCount: maxUnavailable the same way (rounding up too, unlike Deployments)."""
    rolling = rolling_update(ds)
    if rolling is None:
        return 0
    return intstr.int_or_percent(rolling.get("maxUnavailable"), desired, True)


def allows_surge(ds: Obj) -> bool:
    return surge_count(ds, 1) > 0
