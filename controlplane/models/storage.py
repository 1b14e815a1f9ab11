"""Storage's exact strings and small helpers shared by the API, the controllers and printers:
the default-class annotation, how a claim or volume names its class, access modes as
kubectl abbreviates them, and the claim names a StatefulSet gives its pods.

mkctl's clusters start with one StorageClass, `standard`, marked default, whose provisioner
`mkctl.io/simulated` is mkctl's own: it creates a PersistentVolume for each claim at once and
stores nothing (there are no containers, so there is no data to keep).
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj

DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
# pkg/controller/volume/persistentvolume/util: what the binder writes on claims and volumes.
BIND_COMPLETED_ANNOTATION = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER_ANNOTATION = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY_ANNOTATION = "pv.kubernetes.io/provisioned-by"
STORAGE_PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER_ANNOTATION = "volume.beta.kubernetes.io/storage-provisioner"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"
PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"

DEFAULT_CLASS_NAME = "standard"
SIMULATED_PROVISIONER = "mkctl.io/simulated"

# pkg/apis/core/helper/helpers.go GetAccessModesAsString: this order, these abbreviations.
_ABBREVIATIONS = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes_string(modes: Any) -> str:
    """`RWO,ROX`: each mode present once, in upstream's order."""
    present = set(modes) if isinstance(modes, list) else set()
    return ",".join(short for mode, short in _ABBREVIATIONS if mode in present)


def class_of(obj: Obj) -> str:
    """GetPersistentVolumeClaimClass / GetPersistentVolumeClass: the beta annotation first."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if BETA_CLASS_ANNOTATION in annotations:
        return str(annotations[BETA_CLASS_ANNOTATION])
    return str((obj.get("spec") or {}).get("storageClassName") or "")


def is_default_class(storage_class: Obj) -> bool:
    """storageutil.IsDefaultAnnotation: either annotation set to "true"."""
    annotations = (storage_class.get("metadata") or {}).get("annotations") or {}
    return "true" in (
        annotations.get(DEFAULT_CLASS_ANNOTATION),
        annotations.get(BETA_DEFAULT_CLASS_ANNOTATION),
    )


def default_storage_class() -> Obj:
    """The StorageClass every new mkctl cluster has, as minikube's `standard` looks."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": DEFAULT_CLASS_NAME,
            "annotations": {DEFAULT_CLASS_ANNOTATION: "true"},
        },
        "provisioner": SIMULATED_PROVISIONER,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate",
    }


def claim_name(template: str, set_name: str, ordinal: int) -> str:
    """getPersistentVolumeClaimName (stateful_set_utils.go): `www-web-0`."""
    return f"{template}-{set_name}-{ordinal}"


def pod_claim_names(pod: Obj) -> list[str]:
    """The claims a pod's volumes name, in order."""
    return [
        str(volume["persistentVolumeClaim"].get("claimName") or "")
        for volume in (pod.get("spec") or {}).get("volumes") or []
        if isinstance(volume, dict) and isinstance(volume.get("persistentVolumeClaim"), dict)
    ]


def volume_binding_reason(pod: Obj, claims: dict[str, Obj], classes: dict[str, Obj]) -> str:
    """Why kube-scheduler's VolumeBinding PreFilter turns the pod away, or "" (volume_binding.go
    PreFilter, podHasPVCs): a claim that is missing or being deleted, or unbound while its
    binding is Immediate. A claim of a WaitForFirstConsumer class waits for this pod."""
    unbound = False
    for name in pod_claim_names(pod):
        claim = claims.get(name)
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if (claim.get("metadata") or {}).get("deletionTimestamp"):
            return f'persistentvolumeclaim "{name}" is being deleted'
        if not (claim.get("spec") or {}).get("volumeName"):
            storage_class = classes.get(class_of(claim)) or {}
            unbound |= storage_class.get("volumeBindingMode") != "WaitForFirstConsumer"
    return "pod has unbound immediate PersistentVolumeClaims" if unbound else ""


def prefilter_fit_error(node_count: int, reason: str) -> str:
    """FitError.Error() when a PreFilter plugin failed: its message instead of the nodes'
    histogram, and preemption finds every node unhelpful (pkg/scheduler/framework/types.go)."""
    return (
        f"0/{node_count} nodes are available: {reason}. preemption: 0/{node_count} nodes are "
        f"available: {node_count} Preemption is not helpful for scheduling.."
    )
