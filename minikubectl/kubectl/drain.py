"""What `cordon`, `uncordon` and `drain` do to a node and its pods (staging/src/k8s.io/kubectl/
pkg/drain: cordon.go CordonHelper, drain.go GetPodsForDeletion and EvictPods).

Cordoning patches `spec.unschedulable`; draining lists the node's active pods and evicts
them. mkctl's Eviction has no PodDisruptionBudgets to consult: a graceful delete of each pod,
guarded by its uid.
"""

from __future__ import annotations

from controlplane.api.clusterapi import ClusterApi
from controlplane.models.constants import Obj


def set_unschedulable(api: ClusterApi, node: str, unschedulable: bool) -> bool:
    """Cordon (True) or uncordon (False) a node; False when it already was."""
    obj = api.get("Node", "", node)
    if bool(obj.get("spec", {}).get("unschedulable")) == unschedulable:
        return False
    api.patch("Node", "", node, {"spec": {"unschedulable": unschedulable or None}}, "merge")
    return True


def pods_on_node(api: ClusterApi, node: str) -> list[Obj]:
    """Active pods bound to a node, in every namespace (drain's candidates)."""
    api.get("Node", "", node)
    return [
        p
        for p in api.list("Pod")
        if p["spec"].get("nodeName") == node and not p["metadata"].get("deletionTimestamp")
    ]


def evict(api: ClusterApi, pods: list[Obj]) -> None:
    """The Eviction API, without PodDisruptionBudgets: a graceful delete of each pod."""
    with api.batch():
        for pod in pods:
            meta = pod["metadata"]
            api.delete("Pod", meta["namespace"], meta["name"], uid=meta["uid"])
