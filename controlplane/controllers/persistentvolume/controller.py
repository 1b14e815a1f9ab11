"""The PersistentVolume controller: its wiring around the pure planners of `binder`.

Upstream's controller (pkg/controller/volume/persistentvolume/pv_controller_base.go) keeps
two queues, claims and volumes, fed by their informers; here one queue holds both kinds of
key. A claim is synced when it changes or when a volume that names it changes; a volume
when it changes, or when the claim it names changes or is deleted (then it is Released).
A new StorageClass, or a pod that uses a waiting claim, syncs the claims still Pending.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.controllers.base import ControllerBase
from controlplane.controllers.persistentvolume.binder import sync_claim, sync_volume
from controlplane.models.constants import ChangeType, Kind, Obj
from controlplane.models.meta import Change, Key, is_being_deleted, key_of, name_of, namespace_of
from controlplane.models.storage import pod_claim_names
from controlplane.runtime.actions import Action, Create, Update, UpdateStatus


class PersistentVolumeController(ControllerBase):
    name = "persistentvolume-binder"

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj, kind = change.obj, change.obj["kind"]
        if kind == Kind.PERSISTENT_VOLUME_CLAIM:
            volume = (obj.get("spec") or {}).get("volumeName")
            keys = [] if change.type == ChangeType.DELETED else [key_of(obj)]
            if volume:
                keys.append(Key(Kind.PERSISTENT_VOLUME, "", volume))
            elif change.type == ChangeType.DELETED:
                keys += [key_of(v) for v in self._volumes_naming(obj)]
            return keys
        if kind == Kind.PERSISTENT_VOLUME:
            keys = [] if change.type == ChangeType.DELETED else [key_of(obj)]
            ref = (obj.get("spec") or {}).get("claimRef") or {}
            if ref.get("name"):
                keys.append(
                    Key(Kind.PERSISTENT_VOLUME_CLAIM, ref.get("namespace", ""), ref["name"])
                )
            return keys
        if kind == Kind.STORAGE_CLASS and change.type == ChangeType.ADDED:
            return [key_of(c) for c in self.api.list(Kind.PERSISTENT_VOLUME_CLAIM) if _pending(c)]
        if kind == Kind.POD and change.type == ChangeType.ADDED:
            namespace = namespace_of(obj)
            return [Key(Kind.PERSISTENT_VOLUME_CLAIM, namespace, n) for n in pod_claim_names(obj)]
        return []

    def _volumes_naming(self, claim: Obj) -> list[Obj]:
        return [
            v
            for v in self.api.list(Kind.PERSISTENT_VOLUME)
            if ((v.get("spec") or {}).get("claimRef") or {}).get("uid") == claim["metadata"]["uid"]
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        """Claims first, then volumes that no claim's sync has just written (one write per
        object and pass keeps every write a compare-and-swap on what was read)."""
        now = self.clock.now()
        volumes = self.api.list(Kind.PERSISTENT_VOLUME)
        actions: list[Action] = []
        unique = list(dict.fromkeys(keys))
        for key in unique:
            claim = self.get_or_none(key) if key.kind == Kind.PERSISTENT_VOLUME_CLAIM else None
            if claim is not None:
                actions += self._sync_claim(claim, volumes, now)
        written = {_written_name(a) for a in actions}
        for key in unique:
            volume = self.get_or_none(key) if key.kind == Kind.PERSISTENT_VOLUME else None
            if volume is not None and key.name not in written:
                ref = volume["spec"].get("claimRef") or {}
                claim_key = Key(
                    Kind.PERSISTENT_VOLUME_CLAIM, ref.get("namespace", ""), ref.get("name", "")
                )
                actions += sync_volume(
                    volume, self.get_or_none(claim_key) if ref.get("name") else None, now
                )
        return actions

    def _sync_claim(self, claim: Obj, volumes: list[Obj], now: float) -> list[Action]:
        classes = {name_of(c): c for c in self.api.list(Kind.STORAGE_CLASS)}

        def consumed() -> bool:
            return any(
                name_of(claim) in pod_claim_names(pod) and not is_being_deleted(pod)
                for pod in self.api.list(Kind.POD, namespace_of(claim))
            )

        return sync_claim(claim, volumes, classes, now, consumed)


def _pending(claim: Obj) -> bool:
    return not claim["spec"].get("volumeName") and not is_being_deleted(claim)


def _written_name(action: Action) -> str:
    """The name of the volume an action writes, or ""."""
    if (
        isinstance(action, Update | UpdateStatus | Create)
        and action.obj["kind"] == Kind.PERSISTENT_VOLUME
    ):
        return str(action.obj["metadata"]["name"])
    return ""
