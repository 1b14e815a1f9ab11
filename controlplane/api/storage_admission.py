"""Storage admission on create.

The DefaultStorageClass plugin (plugin/pkg/admission/storage/storageclass/setdefault/
admission.go): a claim created without a class gets the cluster's default one, so that the
provisioner of that class makes its volume. A claim that names a class, even "" (no class:
bind only to a volume made by hand), is left alone; with no default class, nothing changes.

The StorageObjectInUseProtection plugin (plugin/pkg/admission/storage/storageobjectinuse
protection/admission.go): every claim gets the `kubernetes.io/pvc-protection` finalizer and
every volume `kubernetes.io/pv-protection`, which their protection controllers remove once
no pod uses the claim, or the volume is no longer bound.

When several classes are marked default, upstream picks the newest (GetDefaultClass: latest
creationTimestamp, then name); so does this.
"""

from __future__ import annotations

from controlplane.models.constants import Kind, Obj
from controlplane.models.storage import (
    BETA_CLASS_ANNOTATION,
    PV_PROTECTION_FINALIZER,
    PVC_PROTECTION_FINALIZER,
    is_default_class,
)
from controlplane.store.reader import Reader

_PROTECTION = {
    Kind.PERSISTENT_VOLUME_CLAIM.value: PVC_PROTECTION_FINALIZER,
    Kind.PERSISTENT_VOLUME.value: PV_PROTECTION_FINALIZER,
}


def default_class_name(reader: Reader) -> str | None:
    defaults = [c for c in reader.list(Kind.STORAGE_CLASS, None) if is_default_class(c)]
    if not defaults:
        return None
    newest = max(
        defaults, key=lambda c: (c["metadata"]["creationTimestamp"], c["metadata"]["name"])
    )
    return str(newest["metadata"]["name"])


def admit_storage(reader: Reader, obj: Obj) -> None:
    """Both plugins, in place, on a new object of any kind."""
    finalizer = _PROTECTION.get(str(obj.get("kind")))
    if finalizer is None:
        return
    finalizers = obj["metadata"].setdefault("finalizers", [])
    if finalizer not in finalizers:
        finalizers.append(finalizer)
    if obj["kind"] == Kind.PERSISTENT_VOLUME_CLAIM:
        admit_claim(reader, obj)


def admit_claim(reader: Reader, claim: Obj) -> None:
    """Fill in `spec.storageClassName` of a new claim that has none, in place."""
    spec = claim.get("spec")
    annotations = claim["metadata"].get("annotations") or {}
    if not isinstance(spec, dict) or spec.get("storageClassName") is not None:
        return
    if BETA_CLASS_ANNOTATION in annotations:
        return
    name = default_class_name(reader)
    if name is not None:
        spec["storageClassName"] = name
