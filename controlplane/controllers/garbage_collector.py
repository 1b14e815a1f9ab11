"""Garbage collector: cascading deletion over ownerReferences (upstream
pkg/controller/garbagecollector/garbagecollector.go).

- Background: the owner is already gone; delete every dependent whose owners are all gone
  (and drop the dead reference from dependents that still have a live owner). Dependents are
  deleted with Background propagation too, so Deployment -> ReplicaSets -> Pods cascades.
- Foreground: the owner waits, marked with the `foregroundDeletion` finalizer, while its
  dependents are deleted (foreground as well); once no blocking dependent is left the
  finalizer is removed and the API server lets the owner go.
- Orphan: the owner waits with the `orphan` finalizer while its uid is removed from every
  dependent's ownerReferences; then the finalizer is removed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.controllers.base import ControllerBase
from controlplane.models.constants import (
    FINALIZER_FOREGROUND,
    FINALIZER_ORPHAN,
    ChangeType,
    Obj,
    Propagation,
)
from controlplane.models.meta import (
    Change,
    Key,
    is_being_deleted,
    key_of,
    owner_references,
    uid_of,
)
from controlplane.runtime.actions import Action, Delete, Update

# Keys for "the owner with this uid is gone": Key(DELETED_OWNER, namespace, uid).
DELETED_OWNER = "DeletedOwner"


class GarbageCollector(ControllerBase):
    name = "garbagecollector"

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        meta = obj["metadata"]
        keys: list[Key] = []
        if change.type == ChangeType.DELETED:
            keys.append(Key(DELETED_OWNER, meta.get("namespace", ""), uid_of(obj)))
            # An owner waiting in the foreground may now be free to go.
            keys += [
                Key(ref["kind"], meta.get("namespace", ""), ref["name"])
                for ref in owner_references(obj)
            ]
        elif _finalizers_for_gc(obj):
            keys.append(key_of(obj))
        return keys

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        for key in keys:
            if key.kind == DELETED_OWNER:
                actions += self._collect_dependents_of(key.name)
                continue
            try:
                owner = self.api.get(key.kind, key.namespace, key.name)
            except ApiError:
                continue
            if _finalizers_for_gc(owner):
                actions += self._finalize(owner)
        return actions

    def _owner_alive(self, dependent: Obj, ref: dict[str, str]) -> bool:
        try:
            owner = self.api.get(
                ref["kind"], dependent["metadata"].get("namespace", ""), ref["name"]
            )
        except ApiError:
            return False
        return uid_of(owner) == ref["uid"]

    def _collect_dependents_of(self, owner_uid: str) -> list[Action]:
        actions: list[Action] = []
        for dependent in self.api.dependents(owner_uid):
            live = [
                r
                for r in owner_references(dependent)
                if r["uid"] != owner_uid and self._owner_alive(dependent, r)
            ]
            if live:
                actions.append(_without_owner(dependent, owner_uid))
            elif not is_being_deleted(dependent):
                actions.append(_delete(dependent, Propagation.BACKGROUND))
        return actions

    def _finalize(self, owner: Obj) -> list[Action]:
        finalizers = _finalizers_for_gc(owner)
        dependents = self.api.dependents(uid_of(owner))
        if FINALIZER_ORPHAN in finalizers:
            actions: list[Action] = [_without_owner(d, uid_of(owner)) for d in dependents]
            return [*actions, _without_finalizer(owner, FINALIZER_ORPHAN)]
        waiting = [d for d in dependents if _blocks(d, uid_of(owner))]
        if waiting:
            return [_delete(d, Propagation.FOREGROUND) for d in waiting if not is_being_deleted(d)]
        return [_without_finalizer(owner, FINALIZER_FOREGROUND)]


def _finalizers_for_gc(obj: Obj) -> set[str]:
    if not is_being_deleted(obj):
        return set()
    return set(obj["metadata"].get("finalizers") or []) & {FINALIZER_FOREGROUND, FINALIZER_ORPHAN}


def _blocks(dependent: Obj, owner_uid: str) -> bool:
    return any(
        r["uid"] == owner_uid and r.get("blockOwnerDeletion") for r in owner_references(dependent)
    )


def _delete(obj: Obj, propagation: Propagation) -> Delete:
    key = key_of(obj)
    return Delete(key.kind, key.namespace, key.name, uid=uid_of(obj), propagation=propagation.value)


def _without_owner(obj: Obj, owner_uid: str) -> Update:
    updated = copy.deepcopy(obj)
    refs = [r for r in owner_references(updated) if r["uid"] != owner_uid]
    if refs:
        updated["metadata"]["ownerReferences"] = refs
    else:
        updated["metadata"].pop("ownerReferences", None)
    return Update(updated)


def _without_finalizer(obj: Obj, finalizer: str) -> Update:
    updated = copy.deepcopy(obj)
    remaining = [f for f in updated["metadata"].get("finalizers", []) if f != finalizer]
    if remaining:
        updated["metadata"]["finalizers"] = remaining
    else:
        updated["metadata"].pop("finalizers", None)
    return Update(updated)
