"""The Deployment controller: which keys a change wakes, and one pure sync per key.

`sync_deployment` is upstream's syncDeployment (deployment_controller.go) as a pure planner:
given the Deployment, the ReplicaSets of its namespace and (for Recreate) the pods of its
ReplicaSets, it returns the actions one upstream sync would perform. `DeploymentController`
only reads through the API and calls it, so every behaviour can be tested on plain dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from controlplane.api.errors import ApiError
from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.deployment.recreate import rollout_recreate
from controlplane.controllers.deployment.rolling import rollout_rolling
from controlplane.controllers.deployment.sync import (
    check_paused_conditions,
    get_all_replica_sets_and_sync_revision,
    is_scaling_event,
    sync,
    sync_status_only,
)
from controlplane.controllers.deployment.util import is_rolling_update
from controlplane.controllers.owner_sync import ObjectSyncController
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models import selectors
from controlplane.models.constants import DEPLOYMENT_CONTROLLER, EventType, Kind, Obj, PodPhase
from controlplane.models.meta import (
    Change,
    Key,
    controller_ref,
    is_being_deleted,
    labels_of,
    name_of,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action

SELECTING_ALL_MESSAGE = "This deployment is selecting all pods. A non-empty selector is required."


def sync_deployment(
    deployment: Obj,
    replica_sets: Sequence[Obj],
    pods_by_rs_uid: Mapping[str, Sequence[Obj]],
    now: float,
) -> list[Action]:
    """Plan one sync of a Deployment, in upstream's order (deployment_controller.go syncDeployment).

    `replica_sets`: every ReplicaSet in the Deployment's namespace (ownership is sorted out
    here: adoption and release are part of the sync). `pods_by_rs_uid`: pods keyed by the
    uid of the RS that controls them; only Recreate looks at them. Returns [] for a settled
    Deployment.
    """
    plan = SyncWrites(deployment, DEPLOYMENT_CONTROLLER, now)
    d = plan.draft
    if selects_everything(d["spec"].get("selector")):
        plan.event("SelectingAll", SELECTING_ALL_MESSAGE, EventType.WARNING)
        generation = int(d["metadata"].get("generation", 0))
        if int((d.get("status") or {}).get("observedGeneration", 0)) < generation:
            d.setdefault("status", {})["observedGeneration"] = generation
        return plan.actions()

    rs_list = claim_objects(plan, replica_sets)
    if is_being_deleted(d):
        sync_status_only(plan, *get_all_replica_sets_and_sync_revision(plan, rs_list))
        return plan.actions()

    check_paused_conditions(plan)
    new_rs, old_rss = get_all_replica_sets_and_sync_revision(plan, rs_list)
    # The legacy `deprecated.deployment.rollback.to` annotation (3.15) is not acted on:
    # kubectl has rolled back client-side for years, and mkctl does too.
    if d["spec"].get("paused") or is_scaling_event(plan, new_rs, old_rss):
        sync(plan, new_rs, old_rss)
    elif is_rolling_update(d):
        rollout_rolling(plan, new_rs, old_rss, replica_sets)
    else:
        rollout_recreate(plan, new_rs, old_rss, replica_sets, pods_by_rs_uid)
    return plan.actions()


def selects_everything(selector: Mapping[str, Any] | None) -> bool:
    """An empty LabelSelector: matches every pod, which validation forbids (SelectingAll)."""
    return (
        selector is not None
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    )


class DeploymentController(ObjectSyncController):
    """Wakes on Deployments, their ReplicaSets and (for Recreate) their pods' deletion."""

    name = "deployment"
    kind = Kind.DEPLOYMENT

    def keys_for(self, change: Change) -> Iterable[Key]:
        kind = change.obj.get("kind")
        if kind == Kind.DEPLOYMENT:
            return [change.key]
        if kind == Kind.REPLICA_SET:
            return self._keys_for_replica_set(change.obj)
        if kind == Kind.POD:
            return self._keys_for_pod(change)
        return []

    def _keys_for_replica_set(self, rs: Obj) -> list[Key]:
        """Its controlling Deployment; for an orphan, every Deployment that could adopt it."""
        ref = controller_ref(rs)
        namespace = namespace_of(rs)
        if ref is not None:
            if ref.get("kind") != Kind.DEPLOYMENT:
                return []
            return [Key(Kind.DEPLOYMENT, namespace, str(ref["name"]))]
        if not labels_of(rs):
            return []
        return [
            Key(Kind.DEPLOYMENT, namespace, name_of(d))
            for d in self.api.list(Kind.DEPLOYMENT, namespace)
            if not selects_everything(d["spec"].get("selector"))
            and selectors.matches(d["spec"].get("selector"), labels_of(rs))
        ]

    def _keys_for_pod(self, change: Change) -> list[Key]:
        """A Recreate Deployment waits for its old pods to vanish; wake it when one does.

        Upstream reacts to pod deletion only; a pod reaching Succeeded/Failed also ends the
        wait here, since mkctl has no periodic resync to notice it later.
        """
        pod = change.obj
        phase = (pod.get("status") or {}).get("phase")
        if change.type != "DELETED" and phase not in (PodPhase.SUCCEEDED, PodPhase.FAILED):
            return []
        ref = controller_ref(pod)
        if ref is None or ref.get("kind") != Kind.REPLICA_SET:
            return []
        try:
            rs = self.api.get(Kind.REPLICA_SET, namespace_of(pod), str(ref["name"]))
            if uid_of(rs) != ref.get("uid") or (rs_ref := controller_ref(rs)) is None:
                return []
            if rs_ref.get("kind") != Kind.DEPLOYMENT:
                return []
            d = self.api.get(Kind.DEPLOYMENT, namespace_of(rs), str(rs_ref["name"]))
        except ApiError as exc:
            if exc.reason == "NotFound":
                return []
            raise
        if uid_of(d) != rs_ref.get("uid") or is_rolling_update(d):
            return []
        return [Key(Kind.DEPLOYMENT, namespace_of(d), name_of(d))]

    def sync(self, obj: Obj, now: float) -> list[Action]:
        """Read the namespace's RSs and (Recreate only) the Deployment's pods; plan."""
        namespace, selector = namespace_of(obj), obj["spec"].get("selector")
        replica_sets = self.api.list(Kind.REPLICA_SET, namespace)
        pods_by_rs_uid: dict[str, list[Obj]] = {}
        if not is_rolling_update(obj) and not selects_everything(selector):
            for pod in self.api.list(Kind.POD, namespace, label_selector=selector):
                ref = controller_ref(pod)
                if ref is not None:
                    pods_by_rs_uid.setdefault(str(ref["uid"]), []).append(pod)
        return sync_deployment(obj, replica_sets, pods_by_rs_uid, now)
