"""The ControllerRefManager: which dependents an owner claims, adopting matching orphans and
releasing the ones that stopped matching (pkg/controller/controller_ref_manager.go
ClaimObject), for every claimer: a ReplicaSet's, StatefulSet's or DaemonSet's pods, a
Deployment's ReplicaSets, and the ControllerRevisions of StatefulSets and DaemonSets. The
adoptions and releases are written through the sync's `SyncWrites`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models import selectors
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import (
    controller_ref,
    is_being_deleted,
    labels_of,
    namespace_of,
    new_controller_ref,
    owner_references,
    uid_of,
)
from controlplane.models.pods import is_pod_active


def claim_objects(
    plan: SyncWrites, candidates: Iterable[Obj], accepts: Callable[[Obj], bool] | None = None
) -> list[Obj]:
    """ClaimObject over `candidates`: the claimed, adopted ones as adopted.

    Ours and matching: claimed. Ours but no longer matching: released (our ownerReference
    removed), unless the owner is being deleted. A matching orphan, while neither is being
    deleted: adopted (a controller ownerReference added). Others' objects are ignored.
    `accepts` is the test an object must pass besides the selector (a StatefulSet only claims
    `<name>-<ordinal>`). A pod that is no longer active is never adopted nor released, as a
    ReplicaSet claims only active pods (replica_set.go syncReplicaSet FilterActivePods).
    """
    owner = plan.owner
    selector, uid, namespace = owner["spec"].get("selector"), uid_of(owner), namespace_of(owner)
    claimed: list[Obj] = []
    for obj in candidates:
        if namespace_of(obj) != namespace:
            continue
        ref = controller_ref(obj)
        matches = selectors.matches(selector, labels_of(obj)) and (accepts is None or accepts(obj))
        settled = obj["kind"] == Kind.POD and not is_pod_active(obj)
        if ref is not None:
            if ref.get("uid") != uid:
                continue
            if matches:
                claimed.append(obj)
            elif not is_being_deleted(owner) and not settled:
                released = plan.edit(obj)
                released["metadata"]["ownerReferences"] = [
                    r for r in owner_references(obj) if r.get("uid") != uid
                ]
            continue
        if matches and not (is_being_deleted(owner) or is_being_deleted(obj) or settled):
            adopted = plan.edit(obj)
            adopted["metadata"]["ownerReferences"] = [
                *owner_references(obj),
                new_controller_ref(owner),
            ]
            claimed.append(adopted)
    return claimed
