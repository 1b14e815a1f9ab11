"""PersistentVolumeClaim, PersistentVolume and StorageClass validation.

Ported from `pkg/apis/core/validation/validation.go` (ValidatePersistentVolumeClaim,
ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaimUpdate,
ValidatePersistentVolumeSpec, ValidatePersistentVolumeUpdate) and
`pkg/apis/storage/validation/validation.go` (ValidateStorageClass, ValidateStorageClassUpdate,
validateProvisioner, validateParameters). A claim's spec is immutable once created, except
that the PV binder may fill in `volumeName` and a missing `storageClassName`, and a bound
claim may ask for more storage (expansion).
"""

from __future__ import annotations

from typing import Any

from controlplane.api.errors import FieldError, forbidden, invalid_value, required, unsupported
from controlplane.api.validation.common import (
    FIELD_IMMUTABLE,
    Errors,
    meta_errors,
    name_is_dns_subdomain,
    obj_or_empty,
)
from controlplane.models import quantity
from controlplane.models.constants import Obj
from controlplane.models.identifiers import dns1123_subdomain_errors, label_key_errors

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
PV_RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]
SC_RECLAIM_POLICIES = ["Delete", "Retain"]
BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
# The volume sources of a PersistentVolumeSpec (PersistentVolumeSource's fields).
VOLUME_SOURCES = (
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "hostPath",
    "glusterfs",
    "nfs",
    "rbd",
    "iscsi",
    "cinder",
    "cephfs",
    "fc",
    "flocker",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "local",
    "storageos",
    "csi",
)
_MAX_PROVISIONER_LENGTH = 255
_MAX_PARAMETERS_SIZE = 256 * 1024
_CLAIM_SPEC_IMMUTABLE = (
    "spec is immutable after creation except resources.requests and volumeAttributesClassName "
    "for bound claims"
)


def _access_mode_errors(modes: Any, path: str, detail: str) -> Errors:
    """validatePersistentVolumeAccessModes (shared by claims and volumes)."""
    modes = modes if isinstance(modes, list) else []
    if not modes:
        return [required(path, detail)]
    errs: Errors = [unsupported(path, m, ACCESS_MODES) for m in modes if m not in ACCESS_MODES]
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _quantity_errors(value: Any, path: str) -> Errors:
    """ValidateResourceQuantityValue and ValidatePositiveQuantityValue of a storage size."""
    try:
        amount = quantity.parse(value).value
    except ValueError:
        return [invalid_value(path, value, "must be a valid quantity")]
    if amount < 0:
        return [invalid_value(path, str(value), "must be greater than or equal to 0")]
    if amount == 0:
        return [invalid_value(path, str(value), "must be greater than zero")]
    return []


def _volume_mode_errors(spec: Obj, path: str) -> Errors:
    mode = spec.get("volumeMode")
    return [] if mode is None or mode in VOLUME_MODES else [unsupported(path, mode, VOLUME_MODES)]


def _class_name_errors(spec: Obj, path: str) -> Errors:
    name = spec.get("storageClassName") or ""
    return [invalid_value(path, name, m) for m in dns1123_subdomain_errors(name)] if name else []


# --- claims ---


def claim_spec_errors(spec: Obj, path: str = "spec") -> Errors:
    """ValidatePersistentVolumeClaimSpec; also checks a StatefulSet's claim templates."""
    errs = _access_mode_errors(
        spec.get("accessModes"), f"{path}.accessModes", "at least 1 access mode is required"
    )
    requests = obj_or_empty(obj_or_empty(spec.get("resources")).get("requests"))
    storage_path = f"{path}.resources[storage]"
    if "storage" not in requests:
        errs.append(required(storage_path))
    else:
        errs += _quantity_errors(requests["storage"], storage_path)
    errs += _class_name_errors(spec, f"{path}.storageClassName")
    errs += _volume_mode_errors(spec, f"{path}.volumeMode")
    return errs


def validate_persistent_volume_claim(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += claim_spec_errors(spec)
    if old is not None and not errs:
        errs += _claim_update_errors(spec, old)
    return errs


def _claim_update_errors(spec: Obj, old: Obj) -> Errors:
    """ValidatePersistentVolumeClaimUpdate: what may change in a claim's spec."""
    old_spec = obj_or_empty(old.get("spec"))
    bound = obj_or_empty(old.get("status")).get("phase") == "Bound"
    comparable = dict(spec)
    if not old_spec.get("volumeName"):
        comparable["volumeName"] = old_spec.get("volumeName")  # the binder sets it once
    if old_spec.get("storageClassName") is None:
        comparable["storageClassName"] = None  # a default class given retroactively
        if comparable.get("storageClassName") is None and "storageClassName" not in old_spec:
            comparable.pop("storageClassName")
    if "volumeName" not in old_spec and comparable.get("volumeName") is None:
        comparable.pop("volumeName", None)
    old_size = _storage_request(old_spec)
    new_size = _storage_request(spec)
    if bound:
        comparable["resources"] = old_spec.get("resources")
    errs: Errors = []
    if comparable != old_spec:
        errs.append(forbidden("spec", _CLAIM_SPEC_IMMUTABLE))
    elif bound and new_size is not None and old_size is not None and new_size < old_size:
        errs.append(
            forbidden(
                "spec.resources.requests.storage", "field can not be less than status.capacity"
            )
        )
    return errs


def _storage_request(spec: Obj) -> Any:
    value = obj_or_empty(obj_or_empty(spec.get("resources")).get("requests")).get("storage")
    try:
        return quantity.parse(value).value if value is not None else None
    except ValueError:
        return None


# --- volumes ---


def validate_persistent_volume(obj: Obj, old: Obj | None) -> Errors:
    """ValidatePersistentVolume (+ ValidatePersistentVolumeUpdate: the source is immutable)."""
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=False, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    errs += _access_mode_errors(
        spec.get("accessModes"), "spec.accessModes", "must specify at least 1 access mode"
    )
    capacity = spec.get("capacity")
    if not isinstance(capacity, dict) or not capacity:
        errs.append(required("spec.capacity"))
    elif "storage" not in capacity or len(capacity) > 1:
        errs.append(unsupported("spec.capacity", sorted(capacity), ["storage"]))
    else:
        errs += _quantity_errors(capacity["storage"], "spec.capacity[storage]")
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy is not None and policy not in PV_RECLAIM_POLICIES:
        errs.append(unsupported("spec.persistentVolumeReclaimPolicy", policy, PV_RECLAIM_POLICIES))
    errs += _class_name_errors(spec, "spec.storageClassName")
    errs += _volume_mode_errors(spec, "spec.volumeMode")
    errs += _source_errors(spec)
    if old is not None and not errs:
        old_spec = obj_or_empty(old.get("spec"))
        if _source(spec) != _source(old_spec):
            detail = "spec.persistentvolumesource is immutable after creation"
            errs.append(forbidden("spec.persistentvolumesource", detail))
    return errs


def _source(spec: Obj) -> dict[str, Any]:
    return {key: spec[key] for key in VOLUME_SOURCES if spec.get(key) is not None}


def _source_errors(spec: Obj) -> Errors:
    sources = _source(spec)
    if not sources:
        return [required("spec", "must specify a volume type")]
    errs: Errors = [
        forbidden(f"spec.{key}", "may not specify more than 1 volume type")
        for key in list(sources)[1:]
    ]
    host_path = sources.get("hostPath")
    if isinstance(host_path, dict) and not host_path.get("path"):
        errs.append(required("spec.hostPath.path"))
    return errs


# --- storage classes ---


def validate_storage_class(obj: Obj, old: Obj | None) -> Errors:
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=False, update=old is not None)
    errs += _provisioner_errors(obj.get("provisioner") or "")
    errs += _parameter_errors(obj.get("parameters"))
    policy = obj.get("reclaimPolicy")
    if policy is not None and policy not in SC_RECLAIM_POLICIES:
        errs.append(unsupported("reclaimPolicy", policy, SC_RECLAIM_POLICIES))
    mode = obj.get("volumeBindingMode")
    if mode is None:
        errs.append(required("volumeBindingMode"))
    elif mode not in BINDING_MODES:
        errs.append(unsupported("volumeBindingMode", mode, BINDING_MODES))
    if old is not None and not errs:
        errs += _storage_class_update_errors(obj, old)
    return errs


def _provisioner_errors(provisioner: str) -> Errors:
    if not provisioner:
        return [required("provisioner")]
    if len(provisioner) > _MAX_PROVISIONER_LENGTH:
        detail = f"may not be more than {_MAX_PROVISIONER_LENGTH} bytes"
        return [FieldError("provisioner", "Too long", detail=detail)]
    return [
        invalid_value("provisioner", provisioner, m) for m in label_key_errors(provisioner.lower())
    ]


def _parameter_errors(parameters: Any) -> Errors:
    parameters = parameters if isinstance(parameters, dict) else {}
    errs: Errors = []
    if any(not key for key in parameters):
        errs.append(invalid_value("parameters", parameters, "key name must not be empty"))
    size = sum(len(k) + len(str(v)) for k, v in parameters.items())
    if size > _MAX_PARAMETERS_SIZE:
        detail = f"may not be more than {_MAX_PARAMETERS_SIZE} bytes"
        errs.append(FieldError("parameters", "Too long", detail=detail))
    return errs


def _storage_class_update_errors(obj: Obj, old: Obj) -> Errors:
    """ValidateStorageClassUpdate: only metadata, mount options and expansion may change."""
    errs: Errors = []
    for field in ("parameters", "provisioner", "reclaimPolicy"):
        if (obj.get(field) or None) != (old.get(field) or None):
            errs.append(forbidden(field, f"updates to {field} are forbidden."))
    if obj.get("volumeBindingMode") != old.get("volumeBindingMode"):
        errs.append(
            invalid_value("volumeBindingMode", obj.get("volumeBindingMode"), FIELD_IMMUTABLE)
        )
    return errs
