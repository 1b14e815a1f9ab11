"""The pass shared by controllers that sync each queued object on its own: read the object (a
key whose object is gone is dropped, as job_controller.go's syncJob forgets a Job that is
NotFound), read what it needs beside it, and collect the planned actions. The ReplicaSet,
Deployment, StatefulSet, DaemonSet, Job, CronJob and TTL-after-finished controllers are this
shape; each says which changes wake which key (`keys_for`) and how one object is synced
(`sync`). Two common wake-up rules are here too: an owner of pods that may adopt orphans
(`PodOwnerController`), and an owner of what it controls by reference alone
(`ControllingOwnerController`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.controllers.base import ControllerBase
from controlplane.models import selectors
from controlplane.models.constants import ChangeType, Kind, Obj
from controlplane.models.meta import (
    Change,
    Key,
    controller_key,
    controller_ref,
    is_being_deleted,
    key_of,
    labels_of,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action


class ObjectSyncController(ControllerBase):
    kind: str  # the kind of the queued keys

    def sync(self, obj: Obj, now: float) -> list[Action]:
        raise NotImplementedError

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        """Each key of this kind once: a batch may name a key twice, and two syncs of one
        object would both write against the resourceVersion they read."""
        actions: list[Action] = []
        now = self.clock.now()
        for key in dict.fromkeys(k for k in keys if k.kind == self.kind):
            obj = self.get_or_none(key)
            if obj is not None:
                actions += self.sync(obj, now)
        return actions


class PodOwnerController(ObjectSyncController):
    """An owner of pods (ReplicaSet, StatefulSet, DaemonSet): synced when it changes, when a
    pod it controls changes, and when an orphan pod it could adopt appears (upstream
    addPod/updatePod/deletePod of the three controllers)."""

    def adopts(self, owner: Obj, pod: Obj) -> bool:
        """Whether `owner` may claim this orphan pod besides its selector matching."""
        return True

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        kind = obj["kind"]
        if kind == self.kind:
            return [key_of(obj)]
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


class ControllingOwnerController(ObjectSyncController):
    """An owner synced with the objects it controls (a Job's pods, a CronJob's Jobs): woken
    by its own changes but its deletion, and by any change of an object it controls; claimed
    by controller reference alone (a Job's generated selector matches only its own pods)."""

    controlled_kind: str

    def plan(self, owner: Obj, controlled: list[Obj], now: float, /) -> list[Action]:
        raise NotImplementedError

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] == self.kind:
            return [] if change.type == ChangeType.DELETED else [key_of(obj)]
        if obj["kind"] == self.controlled_kind:
            return controller_key(obj, self.kind)
        return []

    def sync(self, obj: Obj, now: float) -> list[Action]:
        controlled = self.api.list(
            self.controlled_kind, namespace_of(obj), controller_uid=uid_of(obj)
        )
        return self.plan(obj, controlled, now)
