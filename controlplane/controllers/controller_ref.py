"""ControllerRef management: which dependents an owner claims, adopting matching orphans and
releasing the ones that stopped matching (pkg/controller/controller_ref_manager.go
ClaimObject), for the pods of a ReplicaSet, StatefulSet or DaemonSet and the
ControllerRevisions of the latter two. The Deployment's claim of its ReplicaSets, which
writes through its SyncPlan, is `deployment.controller.claim_replica_sets`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from controlplane.models import selectors
from controlplane.models.constants import Obj
from controlplane.models.meta import (
    controller_uid,
    is_being_deleted,
    labels_of,
    new_controller_ref,
    uid_of,
)
from controlplane.models.pods import is_pod_active
from controlplane.runtime.actions import Action, Update


def claim_dependents(
    rs: Obj, pods: list[Obj], accepts: Callable[[Obj], bool] | None = None
) -> tuple[list[Obj], list[Action]]:
    """ControllerRef management: adopt matching orphans, release strays.

    ControllerRefManager.ClaimObject (pkg/controller/controller_ref_manager.go) for any
    dependent: the pods of a ReplicaSet, StatefulSet or DaemonSet, and the ControllerRevisions
    of the latter two. `accepts` is the extra test an object must pass besides the selector (a
    StatefulSet only claims `<name>-<ordinal>`).
    """
    selector = rs["spec"].get("selector")
    uid, adopting = uid_of(rs), not is_being_deleted(rs)
    claimed: list[Obj] = []
    actions: list[Action] = []
    for pod in pods:
        matches = selectors.matches(selector, labels_of(pod)) and (accepts is None or accepts(pod))
        owner = controller_uid(pod)
        if owner == uid:
            if matches:
                claimed.append(pod)
            elif is_pod_active(pod):
                released = copy.deepcopy(pod)
                released["metadata"]["ownerReferences"] = [
                    r for r in released["metadata"]["ownerReferences"] if r["uid"] != uid
                ]
                actions.append(Update(released))
        elif owner is None and matches and adopting and is_pod_active(pod):
            adopted = copy.deepcopy(pod)
            adopted["metadata"].setdefault("ownerReferences", []).append(new_controller_ref(rs))
            actions.append(Update(adopted))
            claimed.append(adopted)
    return claimed, actions
