"""The CRD finalizer: a deleted CustomResourceDefinition's objects go before it does
(staging/src/k8s.io/apiextensions-apiserver/pkg/controller/finalizer/crd_finalizer.go).

Deleting a CRD marks it (the `customresourcecleanup.apiextensions.k8s.io` finalizer and a
Terminating condition, `api/crd/strategy.py`); this controller deletes every object of its
kind, and once none is left (objects with finalizers of their own are waited for) removes
the finalizer, so that the CRD, and with it the kind, is gone.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from controlplane.api.crd.served import custom
from controlplane.controllers.base import ControllerBase
from controlplane.models.constants import (
    FINALIZER_CUSTOM_RESOURCE_CLEANUP,
    ChangeType,
    Kind,
    Obj,
    Propagation,
)
from controlplane.models.meta import Change, Key, is_being_deleted, key_of, uid_of
from controlplane.runtime.actions import Action, Delete, Update


class CRDFinalizer(ControllerBase):
    name = "crd-finalizer"

    def keys_for(self, change: Change) -> Iterable[Key]:
        kind = change.obj.get("kind", "")
        if kind == Kind.CUSTOM_RESOURCE_DEFINITION and is_being_deleted(change.obj):
            return [key_of(change.obj)]
        resource = custom(kind)
        if change.type == ChangeType.DELETED and resource is not None:
            return [Key(Kind.CUSTOM_RESOURCE_DEFINITION, "", resource.crd_name)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        for key in keys:
            crd = self.get_or_none(key)
            if crd is None:
                continue
            finalizers = crd["metadata"].get("finalizers") or []
            if is_being_deleted(crd) and FINALIZER_CUSTOM_RESOURCE_CLEANUP in finalizers:
                actions += self._clean_up(crd)
        return actions

    def _clean_up(self, crd: Obj) -> list[Action]:
        """deleteInstances: every object of the kind, then the finalizer."""
        kind = crd["spec"]["names"]["kind"]
        resource = custom(kind)
        objects = self.api.list(kind) if resource is not None else []
        if objects:
            return [
                Delete(
                    kind,
                    o["metadata"].get("namespace", ""),
                    o["metadata"]["name"],
                    uid=uid_of(o),
                    propagation=Propagation.BACKGROUND.value,
                )
                for o in objects
                if not is_being_deleted(o)
            ]
        finalized = copy.deepcopy(crd)
        meta = finalized["metadata"]
        meta["finalizers"] = [
            f for f in meta.get("finalizers") or [] if f != FINALIZER_CUSTOM_RESOURCE_CLEANUP
        ]
        if not meta["finalizers"]:
            del meta["finalizers"]
        return [Update(finalized)]
