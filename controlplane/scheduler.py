"""The fake scheduler: bind each new pod to a Ready node it fits.

A pod fits a node when its nodeSelector and required node affinity match the node and it
tolerates the node's NoSchedule and NoExecute taints, a cordoned node's included
(`models.nodes.fits`, the predicate the DaemonSet controller uses too). Among the nodes that
fit, Kubernetes' default scheduler spreads the pods of one ReplicaSet (the default
PodTopologySpread constraint on `kubernetes.io/hostname`); this one does the same with a
simple rule: the node with the fewest pods of the same owner, then the fewest pods placed
by this scheduler so far, then the node name. A pod that fits nowhere stays Pending until a
node is added or changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.models.constants import SCHEDULER, ChangeType, EventType, Kind, Obj
from controlplane.models.meta import (
    Change,
    Key,
    controller_uid,
    is_being_deleted,
    key_of,
    name_of,
)
from controlplane.models.nodes import fits, is_node_ready
from controlplane.runtime.actions import Action, Bind, RecordEvent


def _unbound(pod: Obj) -> bool:
    return not pod["spec"].get("nodeName") and not is_being_deleted(pod)


def choose_node(nodes: list[str], owner_pods_on: Counter[str], placed_on: Counter[str]) -> str:
    return min(nodes, key=lambda n: (owner_pods_on[n], placed_on[n], n))


class Scheduler:
    name = "scheduler"

    def __init__(self, api: Api) -> None:
        self.api = api
        self._placed: Counter[str] = Counter()

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] == Kind.NODE and change.type != ChangeType.DELETED:
            # A new or changed node may fit pods that fit nowhere before.
            return [key_of(p) for p in self.api.list(Kind.POD) if _unbound(p)]
        if obj["kind"] == Kind.POD and change.type != ChangeType.DELETED and _unbound(obj):
            return [key_of(obj)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        ready = [n for n in self.api.list(Kind.NODE) if is_node_ready(n)]
        actions: list[Action] = []
        owner_counts: dict[str | None, Counter[str]] = {}
        for key in keys:
            try:
                pod = self.api.get(Kind.POD, key.namespace, key.name)
            except ApiError:
                continue
            nodes = sorted(name_of(n) for n in ready if fits(pod["spec"], n))
            if pod["spec"].get("nodeName") or is_being_deleted(pod) or not nodes:
                continue
            owner = controller_uid(pod)
            if owner not in owner_counts:
                owner_counts[owner] = self._pods_per_node(key.namespace, owner)
            node = choose_node(nodes, owner_counts[owner], self._placed)
            owner_counts[owner][node] += 1
            self._placed[node] += 1
            actions.append(Bind(key.namespace, key.name, node))
            actions.append(
                RecordEvent(
                    pod,
                    EventType.NORMAL,
                    "Scheduled",
                    f"Successfully assigned {key.namespace}/{key.name} to {node}",
                    SCHEDULER,
                )
            )
        return actions

    def _pods_per_node(self, namespace: str, owner: str | None) -> Counter[str]:
        if owner is None:
            return Counter()
        pods = self.api.list(Kind.POD, namespace, controller_uid=owner)
        return Counter(p["spec"]["nodeName"] for p in pods if p["spec"].get("nodeName"))
