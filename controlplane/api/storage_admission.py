"""The DefaultStorageClass admission plugin
(plugin/pkg/admission/storage/storageclass/setdefault/admission.go): a claim created without
a class gets the cluster's default one, so that the provisioner of that class makes its
volume. A claim that names a class, even "" (no class: bind only to a volume made by hand),
is left alone; with no default class, nothing changes.

When several classes are marked default, upstream picks the newest (GetDefaultClass: latest
creationTimestamp, then name); so does this.
"""

from __future__ import annotations

from controlplane.models.constants import Kind, Obj
from controlplane.models.storage import BETA_CLASS_ANNOTATION, is_default_class
from controlplane.store.store import Reader


def default_class_name(reader: Reader) -> str | None:
    defaults = [c for c in reader.list(Kind.STORAGE_CLASS, None) if is_default_class(c)]
    if not defaults:
        return None
    newest = max(
        defaults, key=lambda c: (c["metadata"]["creationTimestamp"], c["metadata"]["name"])
    )
    return str(newest["metadata"]["name"])


def admit_claim(reader: Reader, claim: Obj) -> None:
    """Fill in `spec.storageClassName` of a new claim that has none, in place."""
    if claim.get("kind") != Kind.PERSISTENT_VOLUME_CLAIM:
        return
    spec = claim.get("spec")
    annotations = claim["metadata"].get("annotations") or {}
    if not isinstance(spec, dict) or spec.get("storageClassName") is not None:
        return
    if BETA_CLASS_ANNOTATION in annotations:
        return
    name = default_class_name(reader)
    if name is not None:
        spec["storageClassName"] = name
