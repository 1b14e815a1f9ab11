"""What the StatefulSet and DaemonSet controllers share around their planners: the keys a
change wakes, the reads behind one sync, and the rolling-update strategy's parameters.

A set is synced when it changes, when one of its pods or ControllerRevisions changes, and
when an orphan pod it could adopt appears (upstream addPod/updatePod/deletePod and the
history event handlers of both controllers). Each controller says what its kind is, which
orphans it may adopt, and how to plan one sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from controlplane.controllers.owner_sync import PodOwnerController
from controlplane.models.constants import Kind, Obj, StrategyType
from controlplane.models.meta import (
    Change,
    Key,
    controller_key,
    controller_uid,
    name_of,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action


def rolling_update(owner: Obj) -> Obj | None:
    """spec.updateStrategy.rollingUpdate, only for the RollingUpdate strategy."""
    strategy = owner["spec"].get("updateStrategy") or {}
    if strategy.get("type") != StrategyType.ROLLING_UPDATE:
        return None
    rolling: Obj | None = strategy.get("rollingUpdate")
    return rolling


class History(NamedTuple):
    """A set's ControllerRevisions and its namespace's orphan ones (`revisions`), and every
    ControllerRevision of the namespace by name (`taken`: a new revision's name may be taken
    by other data, a hash collision)."""

    revisions: list[Obj]
    taken: Mapping[str, Obj]


class SetController(PodOwnerController):
    def plan(self, owner: Obj, pods: list[Obj], history: History, now: float) -> list[Action]:
        """One sync, given the set's pods and the namespace's orphan pods."""
        raise NotImplementedError

    def keys_for(self, change: Change) -> Iterable[Key]:
        if change.obj["kind"] == Kind.CONTROLLER_REVISION:
            return controller_key(change.obj, self.kind)
        return super().keys_for(change)

    def sync(self, obj: Obj, now: float) -> list[Action]:
        """The set's pods and the namespace's orphan pods, its revisions and orphan
        revisions, and every revision name of the namespace (hash collisions)."""
        namespace, uid = namespace_of(obj), uid_of(obj)
        pods = self.api.list(Kind.POD, namespace, controller_uid=uid, include_orphans=True)
        taken = self.api.list(Kind.CONTROLLER_REVISION, namespace)
        revisions = [r for r in taken if controller_uid(r) in (uid, None)]
        return self.plan(obj, pods, History(revisions, {name_of(r): r for r in taken}), now)
