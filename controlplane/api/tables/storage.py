"""Table columns and cells of PersistentVolumeClaims, PersistentVolumes and StorageClasses, as
pkg/printers/internalversion/printers.go (AddHandlers, printPersistentVolumeClaim,
printPersistentVolume, printStorageClass) prints them.

A claim shows its capacity and access modes only once it names a volume; the default class
is marked `standard (default)`; anything being deleted shows `Terminating`.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.columns import AGE, NAME, WIDE, ColumnDefinition, name_and_age
from controlplane.models import quantity
from controlplane.models.constants import Obj
from controlplane.models.storage import access_modes_string, class_of, is_default_class

_UNSET = "<unset>"

# staging/src/k8s.io/api/core/v1/types_swagger_doc_generated.go and storage/v1's.
_PHASE_PVC = "phase represents the current phase of PersistentVolumeClaim."
_VOLUME_NAME = "volumeName is the binding reference to the PersistentVolume backing this claim."
_CAPACITY_PVC = "capacity represents the actual resources of the underlying volume."
_MODES_PVC = (
    "accessModes contains the actual access modes the volume backing the PVC has. More info: "
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"
)
_MODE_PVC = (
    "volumeMode defines what type of volume is required by the claim. Value of Filesystem is "
    "implied when not included in claim spec."
)
_CAPACITY_PV = (
    "capacity is the description of the persistent volume's resources and capacity. More info: "
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"
)
_MODES_PV = (
    "accessModes contains all ways the volume can be mounted. More info: "
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"
)
_RECLAIM_PV = (
    "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released "
    "from its claim. Valid options are Retain (default for manually created PersistentVolumes), "
    "Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). "
    "Recycle must be supported by the volume plugin underlying this PersistentVolume. More "
    "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"
)
_PHASE_PV = (
    "phase indicates if a volume is available, bound to a claim, or released by a claim. More "
    "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"
)
_CLAIM_REF = (
    "claimRef is part of a bi-directional binding between PersistentVolume and "
    "PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the "
    "authoritative bind between PV and PVC. More info: "
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"
)
_REASON_PV = (
    "reason is a brief CamelCase string that describes any failure and is meant for machine "
    "parsing and tidy display in the CLI."
)
_MODE_PV = (
    "volumeMode defines if a volume is intended to be used with a formatted filesystem or to "
    "remain in raw block state. Value of Filesystem is implied when not included in spec."
)
_PROVISIONER = "provisioner indicates the type of the provisioner."
_RECLAIM_SC = (
    "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of "
    "this storage class. Defaults to Delete."
)
_BINDING_MODE = (
    "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  "
    "When unset, VolumeBindingImmediate is used. This field is only honored by servers that "
    "enable the VolumeScheduling feature."
)
_EXPANSION = "allowVolumeExpansion shows whether the storage class allow volume expand."

PVC_COLUMNS = (
    NAME,
    ColumnDefinition("Status", _PHASE_PVC),
    ColumnDefinition("Volume", _VOLUME_NAME),
    ColumnDefinition("Capacity", _CAPACITY_PVC),
    ColumnDefinition("Access Modes", _MODES_PVC),
    ColumnDefinition("StorageClass", "StorageClass of the pvc"),
    ColumnDefinition("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
    AGE,
    ColumnDefinition("VolumeMode", _MODE_PVC, priority=WIDE),
)
PV_COLUMNS = (
    NAME,
    ColumnDefinition("Capacity", _CAPACITY_PV),
    ColumnDefinition("Access Modes", _MODES_PV),
    ColumnDefinition("Reclaim Policy", _RECLAIM_PV),
    ColumnDefinition("Status", _PHASE_PV),
    ColumnDefinition("Claim", _CLAIM_REF),
    ColumnDefinition("StorageClass", "StorageClass of the pv"),
    ColumnDefinition("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
    ColumnDefinition("Reason", _REASON_PV),
    AGE,
    ColumnDefinition("VolumeMode", _MODE_PV, priority=WIDE),
)
STORAGECLASS_COLUMNS = (
    NAME,
    ColumnDefinition("Provisioner", _PROVISIONER),
    ColumnDefinition("ReclaimPolicy", _RECLAIM_SC),
    ColumnDefinition("VolumeBindingMode", _BINDING_MODE),
    ColumnDefinition("AllowVolumeExpansion", _EXPANSION),
    AGE,
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _phase(obj: Obj) -> str:
    if _dict(obj.get("metadata")).get("deletionTimestamp"):
        return "Terminating"
    return str(_dict(obj.get("status")).get("phase") or "")


def _storage(resources: Any) -> str:
    """`Quantity.String()` of the `storage` entry; "0" when there is none, as Go's zero."""
    value = _dict(resources).get("storage")
    return quantity.canonical_text(value) if value is not None else "0"


def persistent_volume_claim_cells(claim: Obj, now: float) -> list[Any]:
    """printPersistentVolumeClaim: capacity and access modes from status, once bound."""
    name, created = name_and_age(claim, now)
    spec, status = _dict(claim.get("spec")), _dict(claim.get("status"))
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_string(status.get("accessModes"))
        capacity = _storage(status.get("capacity"))
    return [
        name,
        _phase(claim),
        str(spec.get("volumeName") or ""),
        capacity,
        modes,
        class_of(claim),
        spec.get("volumeAttributesClassName") or _UNSET,
        created,
        spec.get("volumeMode") or _UNSET,
    ]


def persistent_volume_cells(volume: Obj, now: float) -> list[Any]:
    """printPersistentVolume: CLAIM is `namespace/name` of the claim it is bound to."""
    name, created = name_and_age(volume, now)
    spec, status = _dict(volume.get("spec")), _dict(volume.get("status"))
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace') or ''}/{ref.get('name') or ''}" if isinstance(ref, dict) else ""
    return [
        name,
        _storage(spec.get("capacity")),
        access_modes_string(spec.get("accessModes")),
        str(spec.get("persistentVolumeReclaimPolicy") or ""),
        _phase(volume),
        claim,
        class_of(volume),
        spec.get("volumeAttributesClassName") or _UNSET,
        str(status.get("reason") or ""),
        created,
        spec.get("volumeMode") or _UNSET,
    ]


def storage_class_cells(storage_class: Obj, now: float) -> list[Any]:
    """printStorageClass: the default class is `name (default)`; expansion a boolean."""
    name, created = name_and_age(storage_class, now)
    if is_default_class(storage_class):
        name += " (default)"
    return [
        name,
        str(storage_class.get("provisioner") or ""),
        str(storage_class.get("reclaimPolicy") or "Delete"),
        str(storage_class.get("volumeBindingMode") or "Immediate"),
        bool(storage_class.get("allowVolumeExpansion")),
        created,
    ]
