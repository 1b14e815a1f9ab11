"""The scheduler's filters with the reasons they give, and its FailedScheduling message.

kube-scheduler runs its filter plugins on each node in order and stops at the first that
fails (pkg/scheduler/framework/runtime/framework.go RunFilterPlugins); each failure carries
reasons, counted over the nodes into the message a learner reads in `describe pod`:

    0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available:
    3 No preemption victims found for incoming pod..

The filters simulated, in the default profile's order: NodeUnschedulable, NodeName,
TaintToleration, NodeAffinity and NodeResourcesFit (pods, cpu and memory against the node's
allocatable, pkg/scheduler/framework/plugins/noderesources/fit.go). Preemption is not
simulated, so its part says what it says when no lower-priority pod could make room.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from controlplane.models import quantity
from controlplane.models.constants import Obj
from controlplane.models.nodes import (
    HARD_EFFECTS,
    UNSCHEDULABLE_TAINT,
    fits_node_affinity,
    fits_node_name,
    is_node_ready,
    node_taints,
    tolerates,
    untolerated_taint,
)

NOT_READY_TAINT = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
UNSCHEDULABLE = "node(s) were unschedulable"
NODE_NAME = "node(s) didn't match the requested node name"
NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
TOO_MANY_PODS = "Too many pods"
# Reasons preemption could resolve by evicting lower-priority pods (framework's
# UnschedulableAndUnresolvable is every other reason).
RESOURCE_REASONS = (TOO_MANY_PODS, "Insufficient cpu", "Insufficient memory")
NO_VICTIMS = "No preemption victims found for incoming pod"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
SCHEDULED_RESOURCES = ("cpu", "memory")


def requests_of(pod: Obj) -> dict[str, Decimal]:
    """The pod's effective requests of cpu and memory (resourcehelper.PodRequests)."""
    requests, _ = quantity.pod_requests_and_limits(pod)
    return {name: requests[name].value for name in SCHEDULED_RESOURCES if name in requests}


class SharedRequests:
    """`requests_of`, computed once per set of the parts it reads (containers, init
    containers, overhead) as long as they are the very same objects: the pods of one
    template share theirs in the informer (`api/transform.py`), which never changes an
    object it holds, so 10,000 pods' first sum parses one template's quantities, not
    10,000 (a new process's scheduler sums every pod once). The parts are held beside the
    answer, so that their ids are not reused while remembered."""

    MOST = 1024

    def __init__(self) -> None:
        self._known: dict[tuple[int, ...], tuple[tuple[Any, ...], dict[str, Decimal]]] = {}

    def of(self, pod: Obj) -> dict[str, Decimal]:
        spec = pod["spec"]
        parts = (spec.get("containers"), spec.get("initContainers"), spec.get("overhead"))
        ids = (id(parts[0]), id(parts[1]), id(parts[2]))
        known = self._known.get(ids)
        if known is None or any(a is not b for a, b in zip(known[0], parts, strict=True)):
            if len(self._known) >= self.MOST:
                self._known.clear()
            known = self._known[ids] = (parts, requests_of(pod))
        return known[1]


@dataclass
class NodeUsage:
    """What the pods assigned to one node take of it (the scheduler cache's NodeInfo)."""

    pods: int = 0
    requested: dict[str, Decimal] = field(default_factory=dict)

    def add(self, requests: Mapping[str, Decimal]) -> None:
        self.pods += 1
        for name, amount in requests.items():
            self.requested[name] = self.requested.get(name, Decimal(0)) + amount


def holds_its_place(pod: Obj) -> bool:
    """A bound pod takes its node's room until it has Succeeded or Failed."""
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def allocatable_of(node: Obj) -> dict[str, Decimal]:
    """The node's allocatable pods, cpu and memory, parsed once per scheduling pass."""
    listed = (node.get("status") or {}).get("allocatable") or {}
    return {
        name: quantity.parse(listed[name]).value if name in listed else Decimal(0)
        for name in ("pods", *SCHEDULED_RESOURCES)
    }


def resource_fit_reasons(
    requests: Mapping[str, Decimal], allocatable: Mapping[str, Decimal], used: NodeUsage
) -> list[str]:
    """NodeResourcesFit: one more pod, and its requests, within the node's allocatable."""
    reasons = []
    if used.pods + 1 > allocatable["pods"]:
        reasons.append(TOO_MANY_PODS)
    for name, amount in requests.items():
        if amount and used.requested.get(name, Decimal(0)) + amount > allocatable[name]:
            reasons.append(f"Insufficient {name}")
    return reasons


def placement_reasons(pod_spec: Mapping[str, Any], node: Obj) -> list[str]:
    """The filters before NodeResourcesFit, which depend on the pod's spec and the node only,
    so the pods of one template share their answer; the first that fails gives the reason."""
    tolerations = pod_spec.get("tolerations") or []
    taints = node_taints(node)
    if not is_node_ready(node) and not any(t.get("key") == NOT_READY_TAINT["key"] for t in taints):
        taints = [*taints, NOT_READY_TAINT]  # the node lifecycle controller's taint
    cordon = [t for t in taints if t.get("key") == UNSCHEDULABLE_TAINT]
    if cordon and not any(tolerates(t, cordon[0]) for t in tolerations):
        return [UNSCHEDULABLE]
    if not fits_node_name(pod_spec, node):
        return [NODE_NAME]
    taint = untolerated_taint(
        [t for t in taints if t.get("key") != UNSCHEDULABLE_TAINT], tolerations, HARD_EFFECTS
    )
    if taint is not None:
        return [f"node(s) had untolerated taint {{{taint.get('key')}: {taint.get('value') or ''}}}"]
    if not fits_node_affinity(pod_spec, node):
        return [NODE_AFFINITY]
    return []


def _histogram(reasons: Iterable[str]) -> str:
    """FitError's sortReasonsHistogram: `N reason` per reason, sorted as strings."""
    return ", ".join(sorted(f"{count} {reason}" for reason, count in Counter(reasons).items()))


def fit_error(node_count: int, reasons_by_node: Mapping[str, list[str]]) -> str:
    """The FailedScheduling message, with the preemption diagnosis after it."""
    if node_count == 0:
        return "no nodes available to schedule pods"
    found = _histogram(r for reasons in reasons_by_node.values() for r in reasons)
    preemption = _histogram(
        NO_VICTIMS if reasons and all(r in RESOURCE_REASONS for r in reasons) else NOT_HELPFUL
        for reasons in reasons_by_node.values()
    )
    return (
        f"0/{node_count} nodes are available: {found}. preemption: 0/{node_count} nodes are "
        f"available: {preemption}.."
    )
