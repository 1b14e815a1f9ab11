"""What the StatefulSet and DaemonSet controllers share around their planners: the keys a
change wakes, and the reads behind one sync.

A set is synced when it changes, when one of its pods or ControllerRevisions changes, and
when an orphan pod it could adopt appears (upstream addPod/updatePod/deletePod and the
history event handlers of both controllers). Each controller says what its kind is, which
orphans it may adopt, and how to plan one sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from controlplane.controllers.owner_sync import PodOwnerController
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import (
    Change,
    Key,
    controller_key,
    controller_uid,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action


class SetController(PodOwnerController):
    def plan(
        self,
        owner: Obj,
        pods: list[Obj],
        revisions: list[Obj],
        taken: Mapping[str, Obj],
        now: float,
    ) -> list[Action]:
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
        by_name = {r["metadata"]["name"]: r for r in taken}
        return self.plan(obj, pods, revisions, by_name, now)
