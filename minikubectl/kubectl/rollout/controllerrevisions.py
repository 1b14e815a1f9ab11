"""Rollout history and undo through ControllerRevisions (StatefulSets and DaemonSets).

As kubectl does it client-side (pkg/polymorphichelpers/history.go statefulSetHistory,
daemonSetHistory, printHistory; rollback.go StatefulSetRollbacker, DaemonSetRollbacker,
findHistory): the history is the set's ControllerRevisions selected by
its selector and controlled by it; undo sends the chosen revision's data, a strategic merge
patch, back to the set. The controller then finds that old revision equal to the template
and renumbers it to latest + 1.
"""

from __future__ import annotations

from collections.abc import Callable

from controlplane.api.clusterapi import ClusterApi, controlled_by
from controlplane.models.constants import CHANGE_CAUSE_ANNOTATION, Kind, Obj
from controlplane.models.history import (
    apply_revision,
    revision_data,
    revision_number,
    sort_revisions,
)
from controlplane.models.meta import annotations_of, name_of
from minikubectl.kubectl.rollout.base import Rollout, RolloutError
from minikubectl.kubectl.rollout.restart import restart


def controlled_history(api: ClusterApi, obj: Obj) -> list[Obj]:
    """controlledHistoryV1: revisions matching the selector and controlled by `obj`, oldest
    revision first."""
    return sort_revisions(controlled_by(api, Kind.CONTROLLER_REVISION, obj))


def history(api: ClusterApi, obj: Obj) -> list[tuple[int, str]]:
    """(revision, CHANGE-CAUSE) rows; the revisions carry the set's annotations."""
    return [
        (revision_number(r), annotations_of(r).get(CHANGE_CAUSE_ANNOTATION, "<none>"))
        for r in controlled_history(api, obj)
    ]


def revision_template(api: ClusterApi, obj: Obj, revision: int) -> Obj:
    """The pod template of one revision: the set with that revision applied."""
    for candidate in controlled_history(api, obj):
        if revision_number(candidate) == revision:
            template: Obj = apply_revision(obj, candidate)["spec"]["template"]
            return template
    raise RolloutError("unable to find the specified revision")


def rollback_target(api: ClusterApi, obj: Obj, to_revision: int = 0) -> Obj:
    """The ControllerRevision an undo goes back to (rollback.go `findHistory`): `to_revision`,
    or the one before the latest."""
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    revisions = controlled_history(api, obj)
    if to_revision == 0 and len(revisions) <= 1:
        raise RolloutError("no last revision to roll back to")
    if to_revision == 0:
        target: Obj | None = revisions[-2]
    else:
        target = next((r for r in revisions if revision_number(r) == to_revision), None)
    if target is None:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    return target


def rollback_template(api: ClusterApi, obj: Obj, to_revision: int = 0) -> Obj:
    """What `rollout undo --dry-run=client` shows: the set with the revision applied, its
    template (rollback.go `applyDaemonSetHistory`, `applyRevision`)."""
    target = rollback_target(api, obj, to_revision)
    template: Obj = apply_revision(obj, target)["spec"]["template"]
    return template


def undo(api: ClusterApi, obj: Obj, to_revision: int = 0, *, dry_run: bool = False) -> str:
    """Patch the set back to an earlier revision; kubectl's verb for the result line."""
    target = rollback_target(api, obj, to_revision)
    if target.get("data") == revision_data(obj):
        number = revision_number(target)
        return f"skipped rollback (current template already matches revision {number})"
    namespace, name = obj["metadata"]["namespace"], name_of(obj)
    api.patch(obj["kind"], namespace, name, target["data"], "strategic", dry_run=dry_run)
    return "rolled back"


def revisions_rollout(status: Callable[[Obj, int], tuple[str, bool]]) -> Rollout:
    """The helpers of a kind whose history is its ControllerRevisions (StatefulSets and
    DaemonSets): all but the status viewer are the same."""
    return Rollout(
        history=history,
        revision_template=revision_template,
        rollback_template=rollback_template,
        undo=undo,
        status=status,
        restart=restart,
    )
