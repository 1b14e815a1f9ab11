"""One StatefulSet sync as a pure planner (upstream stateful_set_control.go updateStatefulSet).

`sync_stateful_set(sts, pods, revisions, taken, now)` returns the writes one upstream sync
makes, in its order:

1. Claim pods (`<set>-<ordinal>` matching the selector) and ControllerRevisions.
2. Revisions: the update revision is the snapshot of the current template (an identical
   older snapshot is renumbered to latest + 1 instead of copied); the current revision is
   the one named in `status.currentRevision` (getStatefulSetRevisions).
3. Pods, in ordinal order. Worked example, OrderedReady, replicas 3, nothing yet: the first
   sync creates web-0 and stops; web-0 starts, its change wakes the set, the next sync finds
   web-0 Running and Ready and creates web-1; and so on. A pod that is not Running+Ready
   (or not yet available after minReadySeconds) halts the pass. Parallel does it all at once.
4. Scale down: pods beyond the replicas, highest ordinal first, one per sync (OrderedReady).
5. RollingUpdate: from the highest ordinal down to `partition`, delete the first pod not on
   the update revision and stop; step 3 recreates it (same name, new uid) from the update
   revision. Partition 2 of 3 replaces only web-2; pods below the partition keep, and are
   recreated at, the current revision. OnDelete stops before this step.
6. Status (computeReplicaStatus), then history cleanup by revisionHistoryLimit
   (truncateHistory).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from controlplane.api import errors
from controlplane.api.defaults import apply_defaults
from controlplane.api.registry import kind_info
from controlplane.api.validation import validate
from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.history import (
    claim_revisions,
    create_revision,
    raise_revision,
    truncate_history,
)
from controlplane.controllers.sets import rolling_update
from controlplane.controllers.statefulset import claims
from controlplane.controllers.statefulset import util as utils
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import (
    REVISION_HASH_LABEL,
    STATEFULSET_CONTROLLER,
    EventType,
    Obj,
    StrategyType,
)
from controlplane.models.history import (
    apply_revision,
    find_equal_revisions,
    hash_revision,
    new_controller_revision,
    next_revision,
    revision_data,
    revision_name,
)
from controlplane.models.meta import is_being_deleted, key_of, name_of, uid_of
from controlplane.runtime.actions import Action, Create, Delete, RequeueAfter, UpdateStatus

WARNING = EventType.WARNING


def create_error(obj: Obj) -> str:
    """The message the API server would refuse to create this pod or claim with, or ""
    (defaults, then validation)."""
    checked = copy.deepcopy(obj)
    apply_defaults(checked)
    problems = validate(checked)
    if not problems:
        return ""
    return errors.invalid(kind_info(obj["kind"]), name_of(obj), problems).message


def sync_stateful_set(
    sts: Obj,
    pods: list[Obj],
    revisions: list[Obj],
    taken: Mapping[str, Obj],
    now: float,
    claims: Mapping[str, Obj] | None = None,
) -> list[Action]:
    """Plan one sync. `pods` and `revisions`: the set's own plus orphans in its namespace;
    `taken`: every ControllerRevision of the namespace by name (to detect hash collisions);
    `claims`: the namespace's PersistentVolumeClaims by name (for volumeClaimTemplates)."""
    plan = SyncWrites(sts, STATEFULSET_CONTROLLER, now)
    claimed_pods = claim_objects(plan, pods, lambda p: utils.is_member_of(sts, p))
    history = claim_revisions(plan, revisions)
    current, update, collisions = stateful_set_revisions(plan, sts, history, taken)
    sync = StatefulSetSync(plan, sts, current, update, now, dict(claims or {}))
    counts = sync.run(claimed_pods)
    status = utils.status_object(sts, counts, name_of(current), name_of(update), collisions)
    if status != sts.get("status"):
        plan.add(UpdateStatus({**sts, "status": status}))
    live = {name_of(current), name_of(update), *(utils.pod_revision(p) for p in claimed_pods)}
    stale = [r for r in history if name_of(r) not in live]
    truncate_history(plan, stale, len(stale) - int(sts["spec"].get("revisionHistoryLimit", 10)))
    min_ready = utils.min_ready_seconds(sts)
    if min_ready > 0 and status["availableReplicas"] != utils.replicas_of(sts):
        plan.add(RequeueAfter(key_of(sts), min_ready))
    return plan.actions()


def stateful_set_revisions(
    plan: SyncWrites, sts: Obj, history: list[Obj], taken: Mapping[str, Obj]
) -> tuple[Obj, Obj, int]:
    """getStatefulSetRevisions: (current, update, collision count); `history` sorted."""
    collisions = int((sts.get("status") or {}).get("collisionCount") or 0)
    data = revision_data(sts)
    number = next_revision(history)
    equal = find_equal_revisions(history, {"data": data})
    if equal and equal[-1] is history[-1]:
        update = history[-1]  # the template has not changed since the latest revision
    elif equal:
        update = raise_revision(plan, equal[-1], number)  # back to an older template
    else:
        update, collisions = _new_revision(plan, sts, data, number, collisions, taken)
    wanted = (sts.get("status") or {}).get("currentRevision")
    current = next((r for r in history if name_of(r) == wanted), update)
    return current, update, collisions


def _new_revision(
    plan: SyncWrites, sts: Obj, data: Obj, number: int, collisions: int, taken: Mapping[str, Obj]
) -> tuple[Obj, int]:
    """newRevision + CreateControllerRevision: a name clash with other data bumps the count.

    The hash label keeps the first hash, the name the one that was free, as upstream.
    """
    labels = {
        **(sts["spec"]["template"].get("metadata") or {}).get("labels", {}),
        REVISION_HASH_LABEL: hash_revision(data, collisions),
    }
    while True:
        name = revision_name(name_of(sts), hash_revision(data, collisions))
        existing = taken.get(name)
        if existing is None:
            revision = new_controller_revision(sts, name, labels, data, number)
            return create_revision(plan, revision), collisions
        if existing.get("data") == data:
            return existing, collisions
        collisions += 1


class StatefulSetSync:
    """updateStatefulSet: the pod half of one sync; `run` returns the status counts."""

    def __init__(
        self,
        plan: SyncWrites,
        sts: Obj,
        current: Obj,
        update: Obj,
        now: float,
        claims: dict[str, Obj],
    ) -> None:
        self.plan, self.sts, self.now, self.claims = plan, sts, now, claims
        self.current, self.update = name_of(current), name_of(update)
        self.current_set = apply_revision(sts, current)
        self.update_set = apply_revision(sts, update)
        self.min_ready = utils.min_ready_seconds(sts)
        self.monotonic = utils.is_monotonic(sts)

    def run(self, pods: list[Obj]) -> dict[str, int]:
        sts, start = self.sts, utils.start_ordinal(self.sts)
        replicas: list[Obj | None] = [None] * utils.replicas_of(sts)
        condemned: list[Obj] = []
        for pod in pods:
            if utils.in_ordinal_range(sts, pod):
                replicas[utils.ordinal_of(pod) - start] = pod
            elif utils.ordinal_of(pod) >= 0:
                condemned.append(pod)
        slots = [pod or self._new_pod(start + i) for i, pod in enumerate(replicas)]
        condemned.sort(key=utils.ordinal_of, reverse=True)
        counts = self._counts([*slots, *condemned])
        if is_being_deleted(sts):
            return counts
        unhealthy = [p for p in [*slots, *reversed(condemned)] if self._unavailable(p)]
        if not self._process_replicas(slots):
            return counts
        for pod in condemned:
            if not utils.is_terminating(pod):
                self._retain_claims(pod, scaled_down=True)
        if not self._process_condemned(condemned, unhealthy[0] if unhealthy else None):
            return counts
        if utils.strategy_type(sts) == StrategyType.ON_DELETE:
            return counts
        if self._roll(slots):
            counts["current"] -= 1
        return counts

    def _counts(self, pods: list[Obj]) -> dict[str, int]:
        return utils.replica_status(pods, self.min_ready, self.now, self.current, self.update)

    def _unavailable(self, pod: Obj) -> bool:
        return utils.is_unavailable(pod, self.min_ready, self.now)

    def _new_pod(self, ordinal: int) -> Obj:
        """newVersionedStatefulSetPod: below the partition from the current revision.

        Without a rollingUpdate block, the first status.currentReplicas ordinals stay current.
        """
        sts = self.sts
        rolling = rolling_update(sts)
        index = ordinal - utils.start_ordinal(sts)
        if utils.strategy_type(sts) == StrategyType.ROLLING_UPDATE and (
            (rolling is None and index < int((sts.get("status") or {}).get("currentReplicas", 0)))
            or (rolling is not None and index < utils.partition(sts))
        ):
            return utils.new_stateful_pod(self.current_set, ordinal, self.current)
        return utils.new_stateful_pod(self.update_set, ordinal, self.update)

    def _pod_event(self, verb: str, pod: Obj, error: str = "") -> None:
        """recordPodEvent: `create Pod web-0 in StatefulSet web successful`, or `... failed
        error: <the API's message>` as a Warning."""
        about = f"{verb} Pod {name_of(pod)} in StatefulSet {name_of(self.sts)}"
        if error:
            self.plan.event(f"Failed{verb.title()}", f"{about} failed error: {error}", WARNING)
        else:
            self.plan.event(f"Successful{verb.title()}", f"{about} successful")

    def _create(self, pod: Obj) -> bool:
        """CreateStatefulPod: the pod's claims first, then the pod. The API validates a
        StatefulSet's pod spec (and its claim templates) only now, when they are created (the
        set's own validation checks the template's metadata only), so a bad template shows up
        as FailedCreate events, as on a real cluster."""
        ordinal = utils.ordinal_of(pod)
        if any(
            claims.is_stale(self.claims[c["metadata"]["name"]], name_of(pod))
            for c in claims.claims_for(self.sts, ordinal)
            if c["metadata"]["name"] in self.claims
        ):
            return False  # PodClaimIsStale: wait for the garbage collector
        error = self._create_claims(pod, ordinal) or create_error(pod)
        self._pod_event("create", pod, error)
        if not error:
            self.plan.add(Create(pod))
        return not error

    def _create_claims(self, pod: Obj, ordinal: int) -> str:
        """createPersistentVolumeClaims: each missing claim, with the owner references the
        retention policy asks for; the error the pod's creation then fails with, or ""."""
        errors_found = []
        for claim in claims.claims_for(self.sts, ordinal):
            name = claim["metadata"]["name"]
            existing = self.claims.get(name)
            if existing is not None:
                if is_being_deleted(existing):
                    errors_found.append(f"pvc {name} is being deleted")
                continue
            owners = claims.wanted_owners(self.sts, None, scaled_down=False)
            if owners:
                claim["metadata"]["ownerReferences"] = owners
            error = create_error(claim)
            set_name = name_of(self.sts)
            if error:
                errors_found.append(f"failed to create PVC {name}: {error}")
                about = f"Claim {name} for Pod {name_of(pod)} in StatefulSet {set_name}"
                self.plan.event("FailedCreate", f"create {about} failed error: {error}", WARNING)
                continue
            self.plan.add(Create(claim))
            about = f"Claim {name} Pod {name_of(pod)} in StatefulSet {set_name}"
            self.plan.event("SuccessfulCreate", f"create {about} success")
            self.claims[name] = claim
        return ", ".join(errors_found)

    def _retain_claims(self, pod: Obj, *, scaled_down: bool) -> None:
        """ClaimsMatchRetentionPolicy / UpdatePodClaimForRetentionPolicy for a live pod."""
        for wanted in claims.claims_for(self.sts, utils.ordinal_of(pod)):
            claim = self.claims.get(wanted["metadata"]["name"])
            if claim is None or is_being_deleted(claim):
                continue
            updated = claims.with_owners(claim, self.sts, pod, scaled_down)
            if updated is not None:
                self.plan.update(updated)
                self.claims[name_of(claim)] = updated

    def _delete(self, pod: Obj) -> None:
        meta = pod["metadata"]
        self.plan.add(Delete("Pod", meta["namespace"], meta["name"], uid=uid_of(pod)))
        self._pod_event("delete", pod)

    def _process_replicas(self, slots: list[Obj]) -> bool:
        """processReplica for each ordinal, ascending; False when the pass must stop here."""
        for pod in slots:
            if utils.is_finished(pod):
                if not utils.is_terminating(pod):
                    self._delete(pod)  # recreated, same name and a new uid, next sync
                if self.monotonic:
                    return False
                continue
            if not utils.is_created(pod):
                if not self._create(pod) or self.monotonic:
                    return False
                continue
            if not utils.is_terminating(pod):
                if utils.is_pending(pod):
                    self._create_claims(pod, utils.ordinal_of(pod))
                self._retain_claims(pod, scaled_down=False)
            if self.monotonic and (
                utils.is_terminating(pod)
                or not utils.is_running_and_ready(pod)
                or not utils.is_running_and_available(pod, self.min_ready, self.now)
            ):
                return False
            if not utils.identity_matches(self.sts, pod):
                fixed = {**pod, "metadata": {**pod["metadata"]}}
                fixed["metadata"]["labels"] = dict(pod["metadata"].get("labels") or {})
                utils.update_identity(fixed)
                self.plan.update(fixed)
                self._pod_event("update", pod)
        return True

    def _process_condemned(self, condemned: list[Obj], first_unhealthy: Obj | None) -> bool:
        """processCondemned, highest ordinal first; OrderedReady deletes one and waits."""
        for pod in condemned:
            if utils.is_terminating(pod):
                if self.monotonic:
                    return False
                continue
            if self.monotonic and pod is not first_unhealthy and self._unavailable(pod):
                return False
            self._delete(pod)
            if self.monotonic:
                return False
        return True

    def _roll(self, slots: list[Obj]) -> bool:
        """The RollingUpdate step: True when it deleted a pod (one per sync).

        From the highest ordinal down to the partition: the first pod not on the update
        revision is deleted; an updated pod that is not available yet makes the pass wait.
        """
        for pod in reversed(slots[utils.partition(self.sts) :]):
            if utils.pod_revision(pod) != self.update and not utils.is_terminating(pod):
                self._delete(pod)
                return True
            if self._unavailable(pod):
                return False
        return False
