"""ControllerRevision bookkeeping shared by the StatefulSet and DaemonSet controllers.

The data side (patches, hashes, names, ordering) is in `controlplane.models.history`; this
module turns history decisions into writes on a sync's `SyncWrites`: claiming revisions (the
ControllerRevision ControllerRefManager), raising an old revision's number when the template
returns to it (history.UpdateControllerRevision), and deleting revisions beyond
`revisionHistoryLimit` (the two controllers differ only in which revisions count as live).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import Kind, Obj
from controlplane.models.history import sort_revisions
from controlplane.models.meta import name_of, uid_of
from controlplane.runtime.actions import Create, Delete


def claim_revisions(plan: SyncWrites, revisions: list[Obj]) -> list[Obj]:
    """Adopt matching orphans, release revisions that stopped matching; the claimed, sorted."""
    return sort_revisions(claim_objects(plan, revisions))


def create_revision(plan: SyncWrites, revision: Obj) -> Obj:
    plan.add(Create(revision))
    return revision


def raise_revision(plan: SyncWrites, revision: Obj, number: int) -> Obj:
    """UpdateControllerRevision: the same snapshot, renumbered (this is how undo shows up)."""
    raised = copy.deepcopy(revision)
    raised["revision"] = number
    plan.update(raised)
    return raised


def truncate_history(plan: SyncWrites, candidates: Iterable[Obj], excess: int) -> None:
    """Delete the `excess` oldest `candidates` (revisions nothing uses any more).

    `candidates` must be sorted oldest first; the callers work out how many are too many.
    """
    for revision in list(candidates)[: max(excess, 0)]:
        namespace = revision["metadata"].get("namespace", "")
        plan.add(
            Delete(Kind.CONTROLLER_REVISION, namespace, name_of(revision), uid=uid_of(revision))
        )
