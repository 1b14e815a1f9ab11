"""A DaemonSet's ControllerRevisions (upstream pkg/controller/daemon/update.go:
constructHistory, snapshot, cleanupHistory).

The current revision is the one whose data equals the DaemonSet's template patch. It is
named `<ds>-<pod-template-hash>` (the Deployment hash function, with the collision count)
and labelled with that hash, which its pods carry as `controller-revision-hash`. Returning
to an older template (`rollout undo`) renumbers that revision to max + 1 instead of copying.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from controlplane.controllers.history import create_revision, raise_revision, truncate_history
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import CONTROLLER_REVISION_HASH_LABEL, Obj
from controlplane.models.history import (
    max_revision,
    new_controller_revision,
    revision_data,
    revision_name,
    sort_revisions,
)
from controlplane.models.meta import labels_of, name_of
from controlplane.models.revisions import compute_hash
from controlplane.runtime.actions import UpdateStatus


def revision_hash(revision: Obj) -> str:
    return labels_of(revision).get(CONTROLLER_REVISION_HASH_LABEL, "")


def construct_history(
    plan: SyncWrites, ds: Obj, history: list[Obj], taken: Mapping[str, Obj]
) -> tuple[Obj | None, list[Obj]]:
    """(current revision, old revisions); None when a hash collision must be resolved first.

    Several revisions matching the template (only possible after a race upstream guards
    against with dedupCurHistories) resolve to the one with the highest number.
    """
    data = revision_data(ds)
    current: list[Obj] = []
    old: list[Obj] = []
    for revision in history:
        if CONTROLLER_REVISION_HASH_LABEL not in labels_of(revision):
            revision = copy.deepcopy(revision)
            revision["metadata"].setdefault("labels", {})[CONTROLLER_REVISION_HASH_LABEL] = name_of(
                revision
            )
            plan.update(revision)
        (current if revision.get("data") == data else old).append(revision)
    number = max_revision(old) + 1
    if not current:
        return _snapshot(plan, ds, data, number, taken), old
    keep = sort_revisions(current)[-1]
    if int(keep.get("revision") or 0) < number:
        keep = raise_revision(plan, keep, number)
    return keep, old


def _snapshot(
    plan: SyncWrites, ds: Obj, data: Obj, number: int, taken: Mapping[str, Obj]
) -> Obj | None:
    """snapshot: a new revision; a name taken by other data bumps status.collisionCount."""
    status = ds.get("status") or {}
    collisions = status.get("collisionCount")
    hash_ = compute_hash(ds["spec"]["template"], collisions)
    name = revision_name(name_of(ds), hash_)
    existing = taken.get(name)
    if existing is not None:
        if existing.get("data") == data:
            return existing
        bumped = {**status, "collisionCount": int(collisions or 0) + 1}
        plan.add(UpdateStatus({**ds, "status": bumped}))
        return None
    labels = {
        **((ds["spec"]["template"].get("metadata") or {}).get("labels") or {}),
        CONTROLLER_REVISION_HASH_LABEL: hash_,
    }
    return create_revision(plan, new_controller_revision(ds, name, labels, data, number))


def cleanup_history(plan: SyncWrites, ds: Obj, old: list[Obj], pods: list[Obj]) -> None:
    """cleanupHistory: beyond revisionHistoryLimit, delete the oldest revisions whose hash no
    pod (terminated ones included) still carries."""
    excess = len(old) - int(ds["spec"].get("revisionHistoryLimit", 10))
    if excess <= 0:
        return
    live = {labels_of(p).get(CONTROLLER_REVISION_HASH_LABEL) for p in pods}
    stale = [r for r in sort_revisions(old) if revision_hash(r) not in live]
    truncate_history(plan, stale, excess)
