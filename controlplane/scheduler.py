"""The fake scheduler: bind each new pod to a node that passes its filters.

A node passes when it is not cordoned, is Ready (or its pod tolerates what it is tainted
with), matches the pod's nodeName, nodeSelector and required node affinity, and has room
for one more pod and its cpu and memory requests (`models.scheduling.filter_reasons`, the
default profile's filters). Among the nodes that pass, Kubernetes' default scheduler spreads
the pods of one ReplicaSet (the default PodTopologySpread constraint on
`kubernetes.io/hostname`); this one does the same with a simple rule: the node with the
fewest pods of the same owner, then the fewest pods placed by this scheduler so far, then
the node name. A pod no node takes stays Pending with the scheduler's `FailedScheduling`
event and a PodScheduled=False condition, both saying why in kube-scheduler's words, and is
tried again when a node or a pod changes. A pod whose PersistentVolumeClaim is missing or
not yet bound waits the same way (the VolumeBinding plugin), until a claim of its namespace
changes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import compress, islice
from typing import Any

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import rfc3339
from controlplane.models.constants import SCHEDULER, ChangeType, EventType, Kind, Obj
from controlplane.models.meta import (
    Change,
    Key,
    controller_uid,
    is_being_deleted,
    key_of,
    name_of,
    namespace_of,
)
from controlplane.models.scheduling import (
    NodeUsage,
    SharedRequests,
    allocatable_of,
    fit_error,
    holds_its_place,
    placement_reasons,
    requests_of,
    resource_fit_reasons,
)
from controlplane.models.storage import pod_claim_names, prefilter_fit_error, volume_binding_reason
from controlplane.runtime.actions import Action, Bind, RecordEvent, UpdateStatus
from controlplane.runtime.derived import Totals

PODS = ""  # the resource key of a node's pod count in `share_of_node`


def share_of_node(requests: SharedRequests) -> Callable[[Obj], dict[tuple[str, str], Any]]:
    """What a pod takes of its node: one pod and its requests, while it holds its place."""

    def share(pod: Obj) -> dict[tuple[str, str], Any]:
        node = pod["spec"].get("nodeName")
        if not node or not holds_its_place(pod):
            return {}
        return {(node, PODS): 1, **{(node, name): v for name, v in requests.of(pod).items()}}

    return share


def _unbound(pod: Obj) -> bool:
    return not pod["spec"].get("nodeName") and not is_being_deleted(pod)


def _marked_unschedulable(pod: Obj) -> bool:
    return any(
        c.get("type") == "PodScheduled" and c.get("reason") == "Unschedulable"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5


def num_feasible_nodes_to_find(num_all_nodes: int) -> int:
    """How many feasible nodes to find before choosing among them, with
    percentageOfNodesToScore unset (pkg/scheduler/schedule_one.go numFeasibleNodesToFind):
    every node of a cluster under 100, then an adaptive share, 42% of 1,000 nodes. Each pod
    starts filtering where the last one stopped (`nextStartNodeIndex`), so all nodes get
    their turn."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    return max(num_all_nodes * percentage // 100, MIN_FEASIBLE_NODES_TO_FIND)


class OwnersPodsPerNode:
    """How many pods of each owner (namespace, controller uid) each node holds, bound pods of
    every phase: what `choose_node` spreads by. Kept from the informer's pod changes
    (`Informer.follow`), as kube-scheduler's PodTopologySpread counts from its cache's
    NodeInfo (pkg/scheduler/framework/plugins/podtopologyspread), not a list per pod."""

    saved_as = "scheduler/owners"  # saved with the informer (api/informer_followers.py)

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], Counter[str]] = {}

    def relisted(self, objects: list[Obj]) -> None:
        self._counts = {}
        for pod in objects:
            self._count(pod, 1)

    def saved(self, position: Mapping[int, int]) -> list[tuple[str, str, dict[str, int]]]:
        return [(ns, owner, dict(nodes)) for (ns, owner), nodes in self._counts.items()]

    def resumed(self, state: list[tuple[str, str, dict[str, int]]], objects: list[Obj]) -> None:
        self._counts = {(ns, owner): Counter(dict(nodes)) for ns, owner, nodes in state}

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        if old is not None:
            self._count(old, -1)
        if new is not None:
            self._count(new, 1)

    def of(self, namespace: str, owner: str | None) -> Counter[str]:
        """The owner's pods per node; a copy (the scheduler adds the pods it places)."""
        return Counter(self._counts.get((namespace, owner or ""), ()))

    def _count(self, pod: Obj, sign: int) -> None:
        owner, node = controller_uid(pod), pod["spec"].get("nodeName")
        if not owner or not node:
            return
        counts = self._counts.setdefault((namespace_of(pod), owner), Counter())
        counts[node] += sign
        if not counts[node]:
            del counts[node]
            if not counts:
                del self._counts[(namespace_of(pod), owner)]


def choose_node(nodes: list[str], owner_pods_on: Counter[str], placed_on: Counter[str]) -> str:
    """The node with the fewest pods of the owner, then the fewest placed by this scheduler,
    then the first name."""
    return NodeScores(nodes, owner_pods_on, placed_on).best(range(len(nodes)))


class NodeScores:
    """`choose_node`'s order over one pass's nodes as one integer per node, so that choosing
    among up to 420 feasible nodes of 1,000 (kube-scheduler scores every feasible node,
    prioritizeNodes in pkg/scheduler/schedule_one.go) is one `min` over a list, not a key
    function called per node; kept current as the pass places pods."""

    OWNER, PLACED = 1 << 128, 1 << 64  # then the name's rank in the low bits

    def __init__(self, nodes: list[str], owner_pods_on: Counter[str], placed_on: Counter[str]):
        self._by_rank = sorted(nodes)
        rank = {name: index for index, name in enumerate(self._by_rank)}
        self.scores = [
            owner_pods_on[n] * self.OWNER + placed_on[n] * self.PLACED + rank[n] for n in nodes
        ]

    def best(self, positions: Iterable[int]) -> str:
        """The chosen node among those at `positions` (in the order the scores were made)."""
        return self._by_rank[min(map(self.scores.__getitem__, positions)) % self.PLACED]

    def placed(self, position: int, *, owned: bool) -> None:
        """A pod was placed on the node at `position`; `owned`: one of this owner's."""
        self.scores[position] += self.PLACED + (self.OWNER if owned else 0)


class FitsByNode:
    """Which nodes pass every filter for the pods of one spec, in the order the scheduler
    walks the nodes, kept current as the pass places pods: a node's answer changes only when
    a pod is placed on it. Finding a pod's feasible nodes is then a slice of this list, not a
    filter call per node (kube-scheduler runs its filters on each node in parallel,
    findNodesThatPassFilters in pkg/scheduler/schedule_one.go)."""

    def __init__(
        self,
        placement: dict[str, list[str]],
        requests: dict[str, Any],
        allocatable: dict[str, dict[str, Any]],
        usage: dict[str, NodeUsage],
    ) -> None:
        self.placement = placement  # the filters before NodeResourcesFit, by node name
        self.requests = requests
        self._allocatable = allocatable
        self._usage = usage
        self.fits = [not self.reasons(name) for name in placement]

    def reasons(self, name: str) -> list[str]:
        """Why the node fails the pod (the first filter that fails), or nothing."""
        return self.placement[name] or resource_fit_reasons(
            self.requests, self._allocatable[name], self._usage.get(name) or NodeUsage()
        )

    def placed(self, name: str, index: int) -> None:
        self.fits[index] = not self.reasons(name)


class Scheduler:
    name = "scheduler"

    def __init__(self, api: Api) -> None:
        self.api = api
        self._placed: Counter[str] = Counter()
        self._unbound: set[Key] | None = None
        self._next_start_node_index = 0  # where the next pod's filtering starts
        # The scheduler cache's NodeInfo: what the pods on each node take of it, and how
        # many pods of each owner it holds.
        self._usage = Totals(share_of_node(SharedRequests()), saved_as="scheduler/usage")
        self._owners = OwnersPodsPerNode()
        # Each node's allocatable, parsed once per version of the node (the informer's
        # objects are never changed in place): a pass over 1,000 nodes parsed 3,000
        # quantities, and a 100,000-pod apply runs some 200 passes.
        self._allocatable: dict[str, tuple[Obj, dict[str, Decimal]]] = {}

    def keys_for(self, change: Change) -> Iterable[Key]:
        """A new pod; and every waiting pod when a node changes or a bound pod goes, which may
        make room (the scheduling queue's NodeAdd, NodeUpdate and AssignedPodDelete events).
        A pod already marked unschedulable waits for those, not for its own status write."""
        obj = change.obj
        if obj["kind"] == Kind.NODE and change.type != ChangeType.DELETED:
            return sorted(self._waiting())
        if obj["kind"] == Kind.PERSISTENT_VOLUME_CLAIM:  # the queue's PVC events
            return sorted(k for k in self._waiting() if k.namespace == namespace_of(obj))
        if obj["kind"] != Kind.POD:
            return []
        key = key_of(obj)
        waiting = self._waiting()
        if change.type == ChangeType.DELETED or not _unbound(obj):
            waiting.discard(key)
            if change.type == ChangeType.DELETED and obj["spec"].get("nodeName"):
                return sorted(waiting)
            return []
        waiting.add(key)
        return [] if _marked_unschedulable(obj) else [key]

    def _waiting(self) -> set[Key]:
        """The unbound pods, listed once per process and kept current from the changes."""
        if self._unbound is None:
            self._unbound = {key_of(p) for p in self.api.list(Kind.POD) if _unbound(p)}
        return self._unbound

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        nodes = {name_of(n): n for n in self.api.list(Kind.NODE)}
        allocatable = self._allocatable_of(nodes)
        names = list(nodes)
        positions = list(range(len(names)))
        position = dict(zip(names, positions, strict=True))
        to_find = num_feasible_nodes_to_find(len(names))
        self._follow_pods()
        usage = self._usage_by_node()
        fits_by_spec: dict[str, FitsByNode] = {}  # by pod spec, as JSON
        actions: list[Action] = []
        scores: dict[str | None, NodeScores] = {}  # by owner
        for key in keys:
            try:
                pod = self.api.get(Kind.POD, key.namespace, key.name)
            except ApiError:
                continue
            if pod["spec"].get("nodeName") or is_being_deleted(pod):
                continue
            volumes = self._volume_binding_reason(pod)
            if volumes:
                actions += _unschedulable(pod, prefilter_fit_error(len(nodes), volumes), self.api)
                continue
            spec_key = json.dumps(pod["spec"], sort_keys=True)
            fits = fits_by_spec.get(spec_key)
            if fits is None:
                placement = {name: placement_reasons(pod["spec"], n) for name, n in nodes.items()}
                fits = fits_by_spec[spec_key] = FitsByNode(
                    placement, requests_of(pod), allocatable, usage
                )
            # The first `to_find` nodes that fit, walking from where the last pod stopped.
            start = self._next_start_node_index % len(names) if names else 0
            walk = positions[start:] + positions[:start]
            feasible = list(islice(compress(walk, fits.fits[start:] + fits.fits[:start]), to_find))
            examined = (feasible[-1] - start) % len(names) + 1 if feasible else len(walk)
            if names:
                self._next_start_node_index = (start + examined) % len(names)
            if not feasible:
                reasons = {names[i]: fits.reasons(names[i]) for i in walk}
                actions += _unschedulable(pod, fit_error(len(nodes), reasons), self.api)
                continue
            owner = controller_uid(pod)
            if owner not in scores:
                scores[owner] = NodeScores(
                    names, self._owners.of(key.namespace, owner), self._placed
                )
            node = scores[owner].best(feasible)
            where = position[node]
            self._placed[node] += 1
            for scored_owner, owner_scores in scores.items():
                owner_scores.placed(where, owned=scored_owner == owner)
            usage.setdefault(node, NodeUsage()).add(fits.requests)
            for spec_fits in fits_by_spec.values():
                spec_fits.placed(node, where)
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

    def _allocatable_of(self, nodes: dict[str, Obj]) -> dict[str, dict[str, Decimal]]:
        known = self._allocatable
        self._allocatable = {
            name: known[name]
            if name in known and known[name][0] is node
            else (node, allocatable_of(node))
            for name, node in nodes.items()
        }
        return {name: parsed for name, (_, parsed) in self._allocatable.items()}

    def _volume_binding_reason(self, pod: Obj) -> str:
        if not pod_claim_names(pod):
            return ""
        claims = self.api.list(Kind.PERSISTENT_VOLUME_CLAIM, namespace_of(pod))
        classes = self.api.list(Kind.STORAGE_CLASS)
        return volume_binding_reason(
            pod, {name_of(c): c for c in claims}, {name_of(c): c for c in classes}
        )

    def _follow_pods(self) -> None:
        """Bring the per-node sums up to date: from the informer's pod changes since the last
        pass (kube-scheduler's cache AddPod, UpdatePod, RemovePod:
        pkg/scheduler/eventhandlers.go), or from a list where no informer serves the reads."""
        if self.api.follow(Kind.POD, self._usage) and self.api.follow(Kind.POD, self._owners):
            return
        pods = self.api.list(Kind.POD)
        self._usage.relisted(pods)
        self._owners.relisted(pods)

    def _usage_by_node(self) -> dict[str, NodeUsage]:
        """What the bound pods that still hold their place take of each node."""
        usage: dict[str, NodeUsage] = {}
        for (node, name), amount in self._usage.totals().items():
            used = usage.setdefault(node, NodeUsage())
            if name == PODS:
                used.pods = amount
            else:
                used.requested[name] = amount
        return usage


def _unschedulable(pod: Obj, message: str, api: Api) -> list[Action]:
    """The scheduler's FailedScheduling event and the pod's PodScheduled=False condition
    (pkg/scheduler/schedule_one.go handleSchedulingFailure); the condition is written only
    when it changes, so a retry that fails the same way writes nothing but the event."""
    condition = {
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": rfc3339(api.clock.now()),
        "reason": "Unschedulable",
        "message": message,
    }
    status = pod.get("status") or {}
    others = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
    current = next(
        (c for c in status.get("conditions") or [] if c.get("type") == "PodScheduled"), None
    )
    actions: list[Action] = [
        RecordEvent(pod, EventType.WARNING, "FailedScheduling", message, SCHEDULER)
    ]
    if current is None or (current.get("reason"), current.get("message")) != (
        "Unschedulable",
        message,
    ):
        updated = {
            **pod,
            "status": {**status, "phase": "Pending", "conditions": [*others, condition]},
        }
        actions.append(UpdateStatus(updated))
    return actions
