"""ReplicaSet controller: keep `spec.replicas` pods alive (upstream
pkg/controller/replicaset/replica_set.go).

One sync: claim pods (adopt matching orphans, release pods whose labels no longer match),
create or delete pods to reach spec.replicas, then write status. Pods it creates are named
`<rs>-<5 random characters>`; when it must delete, it picks the pods Kubernetes would pick
(pending before running, not ready before ready, youngest first).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from controlplane.clock import parse_rfc3339
from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.owner_sync import PodOwnerController
from controlplane.controllers.pod_control import create_pod, delete_pod, pod_from_template
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models import selectors
from controlplane.models.constants import (
    POD_DELETION_COST_ANNOTATION,
    REPLICASET_CONTROLLER,
    ChangeType,
    Kind,
    Obj,
    PodPhase,
)
from controlplane.models.meta import (
    Change,
    Key,
    controller_ref,
    controller_uid,
    is_being_deleted,
    key_of,
    labels_of,
    namespace_of,
    uid_of,
)
from controlplane.models.pods import (
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    ready_condition,
    seconds_until_available,
)
from controlplane.runtime.actions import Action
from controlplane.runtime.derived import PerObject

BURST_REPLICAS = 500  # upstream replica_set.go: at most this many creates/deletes per sync


class ClaimContext(NamedTuple):
    """What a pod's facts depend on besides the pod: this much of its ReplicaSet."""

    uid: str
    namespace: str
    selector: Obj | None
    template_labels: dict[str, str]

    @classmethod
    def of(cls, rs: Obj) -> ClaimContext:
        spec = rs["spec"]
        labels = spec["template"].get("metadata", {}).get("labels") or {}
        return cls(uid_of(rs), namespace_of(rs), spec.get("selector"), labels)


class PodFacts(NamedTuple):
    """What a sync asks of one pod, the same until the pod changes (see `PerObject`)."""

    claimed: bool  # controlled by this ReplicaSet, matching its selector, and active
    to_claim: bool  # an orphan, or ours but no longer matching: for `claim_objects`
    ready: bool
    fully_labeled: bool  # carries every label of the ReplicaSet's pod template


_CLAIMED = attrgetter("claimed")
_TO_CLAIM = attrgetter("to_claim")
_READY = attrgetter("ready")
_FULLY_LABELED = attrgetter("fully_labeled")


def pod_facts(pod: Obj, rs: ClaimContext) -> PodFacts:
    """ClaimPods' verdict on `pod` without its writes (controller_ref_manager.go
    ClaimObject), and the two questions calculateStatus asks of it."""
    labels = labels_of(pod)
    ref = controller_ref(pod)
    ours = ref is not None and ref.get("uid") == rs.uid
    foreign = namespace_of(pod) != rs.namespace or (ref is not None and not ours)
    matches = selectors.matches(rs.selector, labels)
    return PodFacts(
        claimed=ours and matches and is_pod_active(pod),
        to_claim=not foreign and not (ours and matches),
        ready=is_pod_ready(pod),
        fully_labeled=rs.template_labels.items() <= labels.items(),
    )


class ReplicaSetController(PodOwnerController):
    name = "replicaset"
    kind = Kind.REPLICA_SET
    saved_as = "replicaset"  # its pods' facts, saved with the informer (api/informer_followers.py)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        # Per ReplicaSet uid: its pods' facts, kept from one sync to the next.
        self._facts: dict[str, PerObject[ClaimContext, PodFacts]] = {}
        # The uids (and namespaces) whose facts follow the informer's pod changes since
        # their last list.
        self._following: dict[str, str] = {}

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] == self.kind and change.type == ChangeType.DELETED:
            self._facts.pop(uid_of(obj), None)
            self._following.pop(uid_of(obj), None)
        return super().keys_for(change)

    # --- the informer's pod changes (`Informer.follow`): upstream's addPod, updatePod and
    # deletePod, which find the owner of each changed pod (replica_set.go)

    def relisted(self, objects: list[Obj]) -> None:
        self._following.clear()  # each ReplicaSet lists its pods again at its next sync

    def saved(self, position: Mapping[int, int]) -> dict[str, Any]:
        """The facts of each ReplicaSet followed that controls a pod (those of one deleted,
        or without pods, are not worth keeping), with their context, as plain tuples."""
        state: dict[str, Any] = {}
        for uid in self._following:
            facts = self._facts[uid]
            held = facts.saved(position)
            if held is not None and facts.context and any(f.claimed for f in +facts.tally):
                places, answers, which = held
                plain = [tuple(answer) for answer in answers]
                state[uid] = (tuple(facts.context), places, plain, which)
        return state

    def resumed(self, state: dict[str, Any], objects: list[Obj]) -> None:
        facts: dict[str, PerObject[ClaimContext, PodFacts]] = {}
        following: dict[str, str] = {}
        for uid, (plain_context, places, plain, which) in state.items():
            context, answers = ClaimContext(*plain_context), [PodFacts(*a) for a in plain]
            facts[uid] = PerObject(pod_facts)
            facts[uid].resumed(context, [objects[p] for p in places], [answers[i] for i in which])
            following[uid] = context.namespace
        self._facts.update(facts)
        self._following.update(following)

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        """Hand a changed pod to the facts of the ReplicaSets that list it: its controller's,
        before and after, or every one in its namespace while it is an orphan."""
        pod = new if new is not None else old
        assert pod is not None
        namespace = namespace_of(pod)
        was = controller_uid(old) if old is not None else ""
        now = controller_uid(new) if new is not None else ""
        for uid, listed_in in list(self._following.items()):
            if listed_in != namespace or (uid not in (was, now) and None not in (was, now)):
                continue
            self._facts[uid].changed(
                old if was in (uid, None) else None, new if now in (uid, None) else None
            )

    def sync(self, obj: Obj, now: float) -> list[Action]:
        uid, context = uid_of(obj), ClaimContext.of(obj)
        following = self.api.follow(Kind.POD, self)  # from here on, changes are told
        facts = self._facts.get(uid)
        if following and uid in self._following and facts is not None and facts.context == context:
            return self._sync_from(obj, facts, now)
        pods = self.api.list(Kind.POD, context.namespace, controller_uid=uid, include_orphans=True)
        actions = self.sync_replica_set(obj, pods, now)
        if following:
            self._following[uid] = context.namespace
        return actions

    def sync_replica_set(self, rs: Obj, pods: list[Obj], now: float) -> list[Action]:
        """One sync of one ReplicaSet, given the pods it owns and the orphans in its namespace."""
        context = ClaimContext.of(rs)
        facts = self._facts.setdefault(context.uid, PerObject(pod_facts))
        facts.of(pods, context)
        return self._sync_from(rs, facts, now)

    def _sync_from(
        self, rs: Obj, facts: PerObject[ClaimContext, PodFacts], now: float
    ) -> list[Action]:
        """Each pod is claimed and counted as syncReplicaSet and calculateStatus do, from facts
        derived once per version of the pod and tallied: only orphans and pods that stopped
        matching go through `claim_objects`, which may write. The active pods themselves are
        gathered only for a scale-down and for minReadySeconds."""
        plan = SyncWrites(rs, REPLICASET_CONTROLLER, now)
        context = ClaimContext.of(rs)
        tally = Counter(
            {f: n for f, n in facts.tally.items() if f.claimed},
        )
        to_claim = (
            sorted(facts.objects_where(_TO_CLAIM), key=key_of)
            if any(n for f, n in facts.tally.items() if f.to_claim)
            else []
        )
        adopted: list[Obj] = []
        for pod in claim_objects(plan, to_claim):
            if is_pod_active(pod):
                adopted.append(pod)
                tally[pod_facts(pod, context)] += 1
        count = sum(tally.values())
        min_ready = int(rs["spec"].get("minReadySeconds", 0))
        replicas = int(rs["spec"].get("replicas", 1))
        active: list[Obj] = []
        if min_ready or (count > replicas and not is_being_deleted(rs)):
            active = facts.objects_where(_CLAIMED) + adopted
        if not is_being_deleted(rs):
            plan.add(*self.manage_replicas(rs, count, active, now))
        available = None
        if min_ready:
            available = sum(is_pod_available(p, min_ready, now) for p in active)
        plan.draft["status"] = status_of(rs, tally, available)
        if min_ready:
            waits = [w for p in active if (w := seconds_until_available(p, min_ready, now))]
            if waits:
                plan.requeue_after = min(waits)
        return plan.actions()

    def manage_replicas(self, rs: Obj, count: int, active: list[Obj], now: float) -> list[Action]:
        """Create or delete pods to bring `count` active pods to spec.replicas; `active`
        (the pods themselves) is needed only for a scale-down."""
        diff = count - int(rs["spec"].get("replicas", 1))
        if diff < 0:
            return self._create_pods(rs, min(-diff, BURST_REPLICAS))
        if diff > 0:
            victims = pods_to_delete(active, min(diff, BURST_REPLICAS), self._related(rs), now)
            return [a for pod in victims for a in delete_pod(rs, pod, REPLICASET_CONTROLLER)]
        return []

    def _create_pods(self, rs: Obj, count: int) -> list[Action]:
        actions: list[Action] = []
        for _ in range(count):
            actions.append(create_pod(rs, pod_from_template(rs), REPLICASET_CONTROLLER))
        return actions

    def _related(self, rs: Obj) -> list[Obj]:
        """Active pods of the same owner family (every ReplicaSet of the same Deployment)."""
        namespace = rs["metadata"]["namespace"]
        owner = controller_uid(rs)
        family = self.api.list(Kind.REPLICA_SET, namespace, controller_uid=owner) if owner else [rs]
        pods: list[Obj] = []
        for member in family:
            pods += self.api.list(Kind.POD, namespace, controller_uid=uid_of(member))
        return [p for p in pods if is_pod_active(p)]


_PHASE_ORDER = {PodPhase.PENDING: 0, PodPhase.UNKNOWN: 1, PodPhase.RUNNING: 2}


def _log_bucket(timestamp: str | None, now: float) -> float:
    """LogarithmicScaleDown: floor(log2(age in ns)); a missing time counts as newest."""
    if not timestamp:
        return -math.inf
    age_ns = max((now - parse_rfc3339(timestamp)) * 1e9, 1.0)
    return math.floor(math.log2(age_ns))


def pods_to_delete(pods: list[Obj], count: int, related: list[Obj], now: float) -> list[Obj]:
    """The pods a scale-down removes first (upstream controller_utils.go ActivePodsWithRanks).

    Sort keys, earlier wins: unscheduled; Pending < Unknown < Running; not ready; lower
    deletion cost; more related pods on the same node (doubled-up); became ready more
    recently; more restarts; created more recently. Equal time buckets compare uids.
    """
    if count >= len(pods):
        return list(pods)
    on_node = Counter(p["spec"].get("nodeName") for p in related if p["spec"].get("nodeName"))

    def rank(pod: Obj) -> tuple[Any, ...]:
        spec, status = pod["spec"], pod.get("status", {})
        node = spec.get("nodeName")
        ready = is_pod_ready(pod)
        condition = ready_condition(pod) or {}
        restarts = max(
            (c.get("restartCount", 0) for c in status.get("containerStatuses") or []), default=0
        )
        cost = int((pod["metadata"].get("annotations") or {}).get(POD_DELETION_COST_ANNOTATION, 0))
        return (
            bool(node),
            _PHASE_ORDER.get(status.get("phase", PodPhase.PENDING), 2),
            ready,
            cost,
            -on_node.get(node, 0),
            _log_bucket(condition.get("lastTransitionTime"), now) if ready else 0,
            -restarts,
            _log_bucket(pod["metadata"].get("creationTimestamp"), now),
            uid_of(pod),
        )

    return sorted(pods, key=rank)[:count]


def calculate_status(
    rs: Obj, active: list[Obj], now: float, facts: Sequence[PodFacts] | None = None
) -> Obj:
    """ReplicaSet status from its active pods (replica_set_utils.go calculateStatus);
    `facts`, one per active pod, when the sync has derived them already."""
    min_ready = int(rs["spec"].get("minReadySeconds", 0))
    if facts is None:
        context = ClaimContext.of(rs)
        facts = [pod_facts(pod, context) for pod in active]
    available = None
    if min_ready:
        available = sum(
            is_pod_available(p, min_ready, now)
            for p, f in zip(active, facts, strict=True)
            if f.ready
        )
    return status_of(rs, Counter(facts), available)


def status_of(rs: Obj, tally: Counter[PodFacts], available: int | None) -> Obj:
    """The status from the active pods' facts, counted by kind of answer; `available` as
    counted with minReadySeconds (without it, available is ready: no need to ask twice)."""
    ready = sum(n for f, n in tally.items() if f.ready)
    status: Obj = {
        "replicas": sum(tally.values()),
        "fullyLabeledReplicas": sum(n for f, n in tally.items() if f.fully_labeled),
        "readyReplicas": ready,
        "availableReplicas": ready if available is None else available,
        "observedGeneration": rs["metadata"].get("generation", 1),
    }
    # Like the Go type's `omitempty`: only `replicas` is written when zero.
    return {k: v for k, v in status.items() if v or k == "replicas"}
