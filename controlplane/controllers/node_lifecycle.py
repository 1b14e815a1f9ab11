"""Node lifecycle: a node whose kubelet stops is marked Unknown, tainted, and emptied.

Upstream (pkg/controller/nodelifecycle): after `node-monitor-grace-period` without a status
update the node controller sets every node condition to Unknown (`NodeStatusUnknown`,
`Kubelet stopped posting node status.`), adds the `node.kubernetes.io/unreachable` taints
and marks the node's pods not ready; the taint-based eviction then deletes each pod once
its toleration for `unreachable:NoExecute` runs out (300 s, added to every pod by
admission). The pods stay Terminating on the dead node, but the ReplicaSet has already
replaced them elsewhere. When the kubelet comes back, the taints go and the node is Ready.

mkctl simulates a stopped kubelet with the annotation `mkctl.dev/kubelet-stopped`, whose
value is the RFC 3339 time it stopped (`mkctl node stop`).

A Node created through the API (a Node manifest applied) has no kubelet behind it; mkctl's
fake one registers it here, as a kubelet would have: the node IPAM allocator gives it a pod
CIDR, the kubelet adds its standard labels and posts its status, and the node controller
records `RegisteredNode` (models/node_registration.py).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.clock import Clock, parse_rfc3339, rfc3339
from controlplane.controllers.base import ControllerBase, ReadApi
from controlplane.ids import Ids
from controlplane.models.constants import ChangeType, EventType, Kind, Obj
from controlplane.models.meta import Change, Key, key_of, name_of, uid_of
from controlplane.models.node_conditions import healthy_conditions, kubelet_stopped_at
from controlplane.models.node_registration import (
    cidr_index,
    free_cidr_index,
    kubelet_status,
    needs_registration,
    pod_cidr,
    standard_labels,
)
from controlplane.runtime.actions import (
    Action,
    Delete,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)

UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
# kube-controller-manager --node-monitor-grace-period: 50 s since v1.32 (40 s before;
# kubernetes/kubernetes#121793).
NODE_MONITOR_GRACE_SECONDS = 50.0
DEFAULT_TOLERATION_SECONDS = 300  # DefaultTolerationSeconds admission plugin
NODE_CONTROLLER = "node-controller"
UNKNOWN_REASON = "NodeStatusUnknown"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."


def is_ready(node: Obj) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in node.get("status", {}).get("conditions") or []
    )


def _unreachable_taints(node: Obj) -> list[Obj]:
    return [t for t in node.get("spec", {}).get("taints") or [] if t["key"] == UNREACHABLE_TAINT]


def toleration_seconds(pod: Obj) -> float | None:
    """How long a pod tolerates `unreachable:NoExecute`; None: forever."""
    for toleration in pod["spec"].get("tolerations") or []:
        if toleration.get("key") in (UNREACHABLE_TAINT, None, "") and toleration.get("effect") in (
            "NoExecute",
            None,
            "",
        ):
            seconds = toleration.get("tolerationSeconds")
            return None if seconds is None else float(seconds)
    return 0.0


class NodeLifecycleController(ControllerBase):
    name = "nodelifecycle"

    def __init__(self, api: ReadApi, clock: Clock, ids: Ids, *, speed: float = 1.0) -> None:
        super().__init__(api, clock, ids)
        self.speed = speed  # how fast simulated grace periods pass (the daemon's --speed)

    def keys_for(self, change: Change) -> Iterable[Key]:
        if change.obj["kind"] == Kind.NODE and change.type != ChangeType.DELETED:
            return [key_of(change.obj)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.clock.now()
        for key in keys:
            try:
                node = self.api.get(Kind.NODE, "", key.name)
            except ApiError:
                continue
            stopped = kubelet_stopped_at(node)
            if needs_registration(node):
                actions += self._register(node, now)
            elif stopped is None:
                actions += self._recovered(node, now)
            elif is_ready(node):
                actions += self._maybe_mark_unknown(node, stopped, now)
            else:
                actions += self._evict_pods(node, now)
        return actions

    def _register(self, node: Obj, now: float) -> list[Action]:
        name = name_of(node)
        index = cidr_index(node)
        if index is None:
            index = free_cidr_index(self.api.list(Kind.NODE))
        labelled = copy.deepcopy(node)
        meta = labelled["metadata"]
        meta["labels"] = {**standard_labels(name), **(meta.get("labels") or {})}
        spec = labelled.setdefault("spec", {})
        spec.setdefault("podCIDR", pod_cidr(index))
        spec.setdefault("podCIDRs", [spec["podCIDR"]])
        posted = copy.deepcopy(labelled)
        posted["metadata"].pop("resourceVersion", None)  # after the write above
        posted["status"] = kubelet_status(name, index, now)
        return [
            Update(labelled),
            UpdateStatus(posted),
            RecordEvent(
                node,
                EventType.NORMAL,
                "RegisteredNode",
                f"Node {name} event: Registered Node {name} in Controller",
                NODE_CONTROLLER,
            ),
        ]

    def _pods_on(self, node: Obj) -> list[Obj]:
        return [p for p in self.api.list(Kind.POD) if p["spec"].get("nodeName") == name_of(node)]

    def _maybe_mark_unknown(self, node: Obj, stopped: float, now: float) -> list[Action]:
        due = stopped + NODE_MONITOR_GRACE_SECONDS / self.speed
        if now < due:
            return [RequeueAfter(key_of(node), due - now)]
        stamp = rfc3339(now)
        unknown = copy.deepcopy(node)
        for condition in unknown["status"]["conditions"]:
            condition.update(
                status="Unknown",
                reason=UNKNOWN_REASON,
                message=UNKNOWN_MESSAGE,
                lastTransitionTime=stamp,
            )
        tainted = copy.deepcopy(node)
        tainted["spec"]["taints"] = [
            t for t in tainted["spec"].get("taints") or [] if t["key"] != UNREACHABLE_TAINT
        ] + [
            {"key": UNREACHABLE_TAINT, "effect": "NoSchedule", "timeAdded": stamp},
            {"key": UNREACHABLE_TAINT, "effect": "NoExecute", "timeAdded": stamp},
        ]
        actions: list[Action] = [
            Update(tainted),
            RecordEvent(
                node, EventType.NORMAL, "NodeNotReady", "Node is not ready", NODE_CONTROLLER
            ),
        ]
        for pod in self._pods_on(node):
            actions.append(UpdateStatus(_not_ready(pod, stamp)))
        # The status write follows the taint write, which moved the resourceVersion on.
        unknown["metadata"].pop("resourceVersion", None)
        actions.append(UpdateStatus(unknown))
        return actions

    def _evict_pods(self, node: Obj, now: float) -> list[Action]:
        added = [t for t in _unreachable_taints(node) if t["effect"] == "NoExecute"]
        if not added:
            return []
        since = parse_rfc3339(added[0]["timeAdded"])
        actions: list[Action] = []
        waits: list[float] = []
        for pod in self._pods_on(node):
            if pod["metadata"].get("deletionTimestamp"):
                continue
            tolerated = toleration_seconds(pod)
            if tolerated is None:
                continue
            evict_at = since + tolerated / self.speed
            if now >= evict_at:
                ref = f"{pod['metadata']['namespace']}/{name_of(pod)}"
                actions.append(
                    Delete(Kind.POD, pod["metadata"]["namespace"], name_of(pod), uid=uid_of(pod))
                )
                actions.append(
                    RecordEvent(
                        pod,
                        EventType.NORMAL,
                        "TaintManagerEviction",
                        f"Marking for deletion Pod {ref}",
                        "taint-eviction-controller",
                    )
                )
            else:
                waits.append(evict_at - now)
        if waits:
            actions.append(RequeueAfter(key_of(node), min(waits)))
        return actions

    def _recovered(self, node: Obj, now: float) -> list[Action]:
        if is_ready(node) and not _unreachable_taints(node):
            return []
        actions: list[Action] = []
        if _unreachable_taints(node):
            cleared = copy.deepcopy(node)
            taints = [t for t in cleared["spec"]["taints"] if t["key"] != UNREACHABLE_TAINT]
            if taints:
                cleared["spec"]["taints"] = taints
            else:
                cleared["spec"].pop("taints")
            actions.append(Update(cleared))
        if not is_ready(node):
            ready = copy.deepcopy(node)
            ready["metadata"].pop("resourceVersion", None)
            ready["status"]["conditions"] = healthy_conditions(rfc3339(now))
            actions.append(UpdateStatus(ready))
            actions.append(
                RecordEvent(
                    node,
                    EventType.NORMAL,
                    "NodeReady",
                    f"Node {name_of(node)} status is now: NodeReady",
                    "kubelet",
                    host=name_of(node),
                )
            )
        return actions


def _not_ready(pod: Obj, stamp: str) -> Obj:
    """MarkPodsNotReady: the Ready condition of a pod on an unreachable node goes False."""
    updated = copy.deepcopy(pod)
    for condition in updated.get("status", {}).get("conditions") or []:
        if condition["type"] == "Ready":
            condition.update(status="False", lastTransitionTime=stamp)
    return updated
