"""Which nodes a pod may run on: nodeName, nodeSelector, required node affinity and taints.

One fit predicate, used by the scheduler to bind pods and by the DaemonSet controller to
decide which nodes get a daemon pod (daemon_controller.go NodeShouldRunDaemonPod). Ported from
k8s.io/component-helpers/scheduling/corev1 (nodeaffinity.GetRequiredNodeAffinity, Match,
MatchNodeSelectorTerms, FindMatchingUntoleratedTaint) and core/v1 Toleration.ToleratesTaint.

A cordoned node (`spec.unschedulable: true`) is seen through the taint the node lifecycle
controller gives it, `node.kubernetes.io/unschedulable:NoSchedule`: ordinary pods stay off it,
DaemonSet pods (which tolerate that taint) still run there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from controlplane.models.constants import ConditionStatus, Obj

UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"
HARD_EFFECTS = (NO_SCHEDULE, NO_EXECUTE)  # the effects that keep a pod off a node
NODE_NAME_FIELD = "metadata.name"  # the one field a nodeSelectorTerm's matchFields may name

_INT64 = re.compile(r"[+-]?[0-9]+")


def is_node_ready(node: Obj) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == ConditionStatus.TRUE
        for c in (node.get("status") or {}).get("conditions") or []
    )


def node_taints(node: Obj) -> list[Obj]:
    """spec.taints, plus the NoSchedule taint a cordoned node carries."""
    spec = node.get("spec") or {}
    taints: list[Obj] = list(spec.get("taints") or [])
    if spec.get("unschedulable") and not any(
        t.get("key") == UNSCHEDULABLE_TAINT and t.get("effect") == NO_SCHEDULE for t in taints
    ):
        taints.append({"key": UNSCHEDULABLE_TAINT, "effect": NO_SCHEDULE})
    return taints


# --- taints and tolerations ---


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """Toleration.ToleratesTaint: effects match (empty = all), keys match (empty = all), and
    operator Exists, or Equal (the default) with the same value."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def untolerated_taint(
    taints: Iterable[Obj], tolerations: Iterable[Obj] | None, effects: Iterable[str]
) -> Obj | None:
    """FindMatchingUntoleratedTaint: the first taint with one of `effects` nobody tolerates."""
    wanted = set(effects)
    tolerations = list(tolerations or [])
    for taint in taints:
        if taint.get("effect") in wanted and not any(tolerates(t, taint) for t in tolerations):
            return taint
    return None


# --- node affinity ---


def _requirement_matches(req: Mapping[str, Any], value: str | None) -> bool:
    """One NodeSelectorRequirement against a label (or field) value, None when absent."""
    operator, values = req.get("operator"), list(req.get("values") or [])
    if operator == "In":
        return value is not None and value in values
    if operator == "NotIn":
        return value is None or value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    if operator not in ("Gt", "Lt") or value is None or len(values) != 1:
        return False
    if not (_INT64.fullmatch(value) and _INT64.fullmatch(values[0])):
        return False
    have, want = int(value), int(values[0])
    return have > want if operator == "Gt" else have < want


def term_matches(term: Mapping[str, Any], node: Obj) -> bool:
    """A NodeSelectorTerm: every expression on labels and every field must match.

    An empty term matches nothing; matchFields only knows `metadata.name`.
    """
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False
    labels = (node.get("metadata") or {}).get("labels") or {}
    name = (node.get("metadata") or {}).get("name")
    return all(_requirement_matches(e, labels.get(e.get("key"))) for e in expressions) and all(
        f.get("key") == NODE_NAME_FIELD and _requirement_matches(f, name) for f in fields
    )


def required_terms(pod_spec: Mapping[str, Any]) -> list[Obj] | None:
    """requiredDuringSchedulingIgnoredDuringExecution's terms, None when there is no such rule."""
    node_affinity = (pod_spec.get("affinity") or {}).get("nodeAffinity") or {}
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        return None
    terms: list[Obj] = list(required.get("nodeSelectorTerms") or [])
    return terms


def fits_node_affinity(pod_spec: Mapping[str, Any], node: Obj) -> bool:
    """GetRequiredNodeAffinity(pod).Match(node): the nodeSelector map, then any one term."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    for key, value in (pod_spec.get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    terms = required_terms(pod_spec)
    return terms is None or any(term_matches(t, node) for t in terms)


def fits_node_name(pod_spec: Mapping[str, Any], node: Obj) -> bool:
    wanted = pod_spec.get("nodeName")
    return not wanted or wanted == (node.get("metadata") or {}).get("name")


def fits(pod_spec: Mapping[str, Any], node: Obj) -> bool:
    """The scheduler's filters a simulated node can fail: NodeName, NodeAffinity (nodeSelector
    included), NodeUnschedulable and TaintToleration (NoSchedule and NoExecute taints)."""
    return (
        fits_node_name(pod_spec, node)
        and fits_node_affinity(pod_spec, node)
        and untolerated_taint(node_taints(node), pod_spec.get("tolerations"), HARD_EFFECTS) is None
    )


def target_node_name(pod: Obj) -> str | None:
    """GetTargetNodeName: the bound node, else the one a `metadata.name` matchFields names.

    DaemonSet pods are created unbound with such an affinity, so they count for their node
    while the scheduler has yet to bind them.
    """
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    for term in required_terms(spec) or []:
        for field in term.get("matchFields") or []:
            values = field.get("values") or []
            if field.get("key") == NODE_NAME_FIELD and field.get("operator") == "In" and values:
                return str(values[0])
    return None
