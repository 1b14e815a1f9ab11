"""Metadata accessors: names, keys, labels, annotations and owner references."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from controlplane.models.constants import Obj


class Key(NamedTuple):
    """Where an object lives: kind, namespace ('' for cluster-scoped kinds) and name."""

    kind: str
    namespace: str
    name: str


def key_of(obj: Obj) -> Key:
    meta = obj.get("metadata", {})
    return Key(obj["kind"], meta.get("namespace", ""), meta["name"])


def name_of(obj: Obj) -> str:
    return str(obj["metadata"]["name"])


def namespace_of(obj: Obj) -> str:
    return str(obj["metadata"].get("namespace", ""))


def uid_of(obj: Obj) -> str:
    return str(obj["metadata"]["uid"])


def labels_of(obj: Obj) -> dict[str, str]:
    labels: dict[str, str] = obj.get("metadata", {}).get("labels") or {}
    return labels


def annotations_of(obj: Obj) -> dict[str, str]:
    annotations: dict[str, str] = obj.get("metadata", {}).get("annotations") or {}
    return annotations


def is_being_deleted(obj: Obj) -> bool:
    return bool(obj.get("metadata", {}).get("deletionTimestamp"))


def owner_references(obj: Obj) -> list[dict[str, Any]]:
    refs: list[dict[str, Any]] = obj.get("metadata", {}).get("ownerReferences") or []
    return refs


def controller_ref(obj: Obj) -> dict[str, Any] | None:
    """The one ownerReference with `controller: true`, if any."""
    for ref in owner_references(obj):
        if ref.get("controller"):
            return ref
    return None


def controller_key(obj: Obj, kind: str) -> list[Key]:
    """The key of `obj`'s controller when that is a `kind` (same namespace), else none."""
    ref = controller_ref(obj)
    if ref is None or ref.get("kind") != kind:
        return []
    return [Key(kind, obj.get("metadata", {}).get("namespace", ""), str(ref["name"]))]


def controller_uid(obj: Obj) -> str | None:
    ref = controller_ref(obj)
    return str(ref["uid"]) if ref else None


def is_controlled_by(obj: Obj, owner: Obj) -> bool:
    return controller_uid(obj) == uid_of(owner)


def new_controller_ref(owner: Obj) -> dict[str, Any]:
    """The ownerReference a controller writes on what it creates (metav1.NewControllerRef)."""
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": name_of(owner),
        "uid": uid_of(owner),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def owned_metadata(
    owner: Obj, labels: Mapping[str, str], annotations: Mapping[str, str] | None, **names: str
) -> dict[str, Any]:
    """The metadata of an object a controller makes for `owner`, in its namespace: copies of
    `labels` and of `annotations` (if any), a controller ownerReference, and `names` (`name`,
    `generateName`)."""
    meta: dict[str, Any] = {
        **names,
        "namespace": owner["metadata"].get("namespace", ""),
        "labels": dict(labels),
        "ownerReferences": [new_controller_ref(owner)],
    }
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


class Change(NamedTuple):
    """One entry of the store's change log: what a watch delivers and controllers wake on."""

    revision: int
    type: str  # ChangeType: ADDED, MODIFIED or DELETED
    obj: Obj  # the object after the change (for DELETED: its last state)
    # Only the key was read (`obj` holds kind, namespace and name): a change of a kind the
    # reader said it does not read (store.Reader.changes_after `unread_kinds`).
    partial: bool = False
    # `obj` is already as an informer keeps it (`api/transform.py`: no managedFields, parts
    # shared, never to be changed), copied when this process wrote it.
    kept: bool = False

    @property
    def key(self) -> Key:
        return key_of(self.obj)
