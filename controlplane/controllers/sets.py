"""What the StatefulSet and DaemonSet controllers share around their planners: the keys a
change wakes, and the reads behind one sync.

A set is synced when it changes, when one of its pods or ControllerRevisions changes, and
when an orphan pod it could adopt appears (upstream addPod/updatePod/deletePod and the
history event handlers of both controllers). Each controller says what its kind is, which
orphans it may adopt, and how to plan one sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.models import selectors
from controlplane.models.constants import ChangeType, Kind, Obj
from controlplane.models.meta import (
    Change,
    Key,
    controller_key,
    controller_ref,
    controller_uid,
    is_being_deleted,
    key_of,
    labels_of,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action


class SetController:
    name: str
    kind: str

    def __init__(self, api: Api) -> None:
        self.api = api

    def adopts(self, owner: Obj, pod: Obj) -> bool:
        """Whether `owner` may claim this orphan pod besides its selector matching."""
        return True

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
        obj = change.obj
        kind = obj["kind"]
        if kind == self.kind:
            return [key_of(obj)]
        if kind == Kind.CONTROLLER_REVISION:
            return controller_key(obj, self.kind)
        if kind != Kind.POD:
            return []
        if controller_ref(obj) is not None:
            return controller_key(obj, self.kind)
        if change.type == ChangeType.DELETED or is_being_deleted(obj):
            return []
        return [
            key_of(owner)
            for owner in self.api.list(self.kind, namespace_of(obj))
            if selectors.matches(owner["spec"].get("selector"), labels_of(obj))
            and self.adopts(owner, obj)
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        """For each set: its pods and the namespace's orphan pods, its revisions and orphan
        revisions, and every revision name of the namespace (hash collisions)."""
        actions: list[Action] = []
        now = self.api.clock.now()
        for key in dict.fromkeys(keys):
            try:
                owner = self.api.get(self.kind, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            uid = uid_of(owner)
            pods = self.api.list(Kind.POD, key.namespace, controller_uid=uid, include_orphans=True)
            taken = self.api.list(Kind.CONTROLLER_REVISION, key.namespace)
            revisions = [r for r in taken if controller_uid(r) in (uid, None)]
            by_name = {r["metadata"]["name"]: r for r in taken}
            actions += self.plan(owner, pods, revisions, by_name, now)
        return actions
