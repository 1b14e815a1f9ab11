"""The PVC and PV protection controllers (pkg/controller/volume/pvcprotection/
pvc_protection_controller.go, pkg/controller/volume/pvprotection/pv_protection_controller.go).

A claim being deleted keeps its `kubernetes.io/pvc-protection` finalizer, and so stays
Terminating, while a pod that has not terminated uses it; a volume being deleted keeps
`kubernetes.io/pv-protection` while it is Bound. Once neither holds, the finalizer is removed
and the API server lets the object go.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.controllers.base import ControllerBase
from controlplane.models.constants import Kind, Obj, PodPhase
from controlplane.models.meta import Change, Key, is_being_deleted, key_of, namespace_of
from controlplane.models.storage import (
    PV_PROTECTION_FINALIZER,
    PVC_PROTECTION_FINALIZER,
    pod_claim_names,
)
from controlplane.runtime.actions import Action, Update

_FINALIZERS = {
    Kind.PERSISTENT_VOLUME_CLAIM.value: PVC_PROTECTION_FINALIZER,
    Kind.PERSISTENT_VOLUME.value: PV_PROTECTION_FINALIZER,
}


def _protected(obj: Obj) -> bool:
    finalizer = _FINALIZERS.get(str(obj.get("kind")))
    return finalizer in (obj["metadata"].get("finalizers") or []) and is_being_deleted(obj)


def without_finalizer(obj: Obj) -> Obj:
    released = copy.deepcopy(obj)
    finalizer = _FINALIZERS[obj["kind"]]
    released["metadata"]["finalizers"] = [
        f for f in obj["metadata"]["finalizers"] if f != finalizer
    ]
    return released


def uses(pod: Obj, claim_name: str) -> bool:
    """podUsesPVC for a pod that has not terminated (Succeeded and Failed pods let go)."""
    phase = (pod.get("status") or {}).get("phase")
    return claim_name in pod_claim_names(pod) and phase not in (
        PodPhase.SUCCEEDED,
        PodPhase.FAILED,
    )


class StorageProtectionController(ControllerBase):
    name = "storage-protection"

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] in _FINALIZERS:
            return [key_of(obj)] if _protected(obj) else []
        if obj["kind"] == Kind.POD:  # a pod that goes may free its claims
            namespace = namespace_of(obj)
            return [Key(Kind.PERSISTENT_VOLUME_CLAIM, namespace, n) for n in pod_claim_names(obj)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        for key in dict.fromkeys(keys):
            try:
                obj = self.api.get(key.kind, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            if not _protected(obj) or self._in_use(obj):
                continue
            actions.append(Update(without_finalizer(obj)))
        return actions

    def _in_use(self, obj: Obj) -> bool:
        if obj["kind"] == Kind.PERSISTENT_VOLUME:
            return bool((obj.get("status") or {}).get("phase") == "Bound")
        name = obj["metadata"]["name"]
        return any(uses(p, name) for p in self.api.list(Kind.POD, namespace_of(obj)))
