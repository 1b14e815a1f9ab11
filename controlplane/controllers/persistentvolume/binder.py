"""The PV binder as pure planners (pkg/controller/volume/persistentvolume/pv_controller.go).

`sync_claim(claim, volumes, classes, now)` (syncClaim): an unbound claim is bound to the
smallest Available volume that fits it (findBestMatchForClaim: same class and volume mode,
every access mode it asks for, at least the storage it requests, its label selector); else,
if its class has a provisioner, that provisioner is asked for a volume; a bound claim whose
volume is gone is Lost.

`sync_volume(volume, claim, now)` (syncVolume): a volume with no claim is Available; one
whose claim was deleted is Released and then reclaimed by its policy: Delete removes it,
Retain leaves it Released for an administrator (Recycle is not simulated: it stays Released).

Binding writes both halves (bind): the volume's `claimRef` and phase Bound, the claim's
`volumeName`, its bind annotations and phase Bound with the volume's capacity and access
modes. Several writes to one object in one pass are one transaction: only the first carries
the resourceVersion read (the compare-and-swap), the next ones build on it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from controlplane.clock import rfc3339
from controlplane.controllers.persistentvolume.provisioner import provision
from controlplane.models import quantity, selectors
from controlplane.models.constants import PERSISTENTVOLUME_CONTROLLER, EventType, Kind, Obj
from controlplane.models.meta import is_being_deleted, name_of, namespace_of, uid_of
from controlplane.models.storage import (
    BETA_STORAGE_PROVISIONER_ANNOTATION,
    BIND_COMPLETED_ANNOTATION,
    BOUND_BY_CONTROLLER_ANNOTATION,
    SIMULATED_PROVISIONER,
    STORAGE_PROVISIONER_ANNOTATION,
    class_of,
)
from controlplane.runtime.actions import Action, Delete, RecordEvent, Update, UpdateStatus

_NO_CLASS = "no persistent volumes available for this claim and no storage class is set"
_EXTERNAL = (
    "Waiting for a volume to be created either by the external provisioner '{}' or manually by "
    "the system administrator. If volume creation is delayed, please verify that the "
    "provisioner is running and correctly registered."
)
_WAIT_FOR_CONSUMER = "waiting for first consumer to be created before binding"


def _event(obj: Obj, reason: str, message: str, type_: EventType = EventType.NORMAL) -> Action:
    return RecordEvent(obj, type_, reason, message, PERSISTENTVOLUME_CONTROLLER)


def _storage(value: Any) -> Any:
    try:
        return quantity.parse(value).value
    except (TypeError, ValueError):
        return None


def _requested(claim: Obj) -> Any:
    return _storage(((claim["spec"].get("resources") or {}).get("requests") or {}).get("storage"))


def _phase(obj: Obj) -> str:
    return str((obj.get("status") or {}).get("phase") or "")


def _claim_ref(claim: Obj) -> Obj:
    return {
        "kind": Kind.PERSISTENT_VOLUME_CLAIM.value,
        "namespace": namespace_of(claim),
        "name": name_of(claim),
        "uid": uid_of(claim),
        "apiVersion": "v1",
        "resourceVersion": claim["metadata"].get("resourceVersion", ""),
    }


def _refers_to(volume: Obj, claim: Obj) -> bool:
    ref = volume["spec"].get("claimRef") or {}
    return (
        ref.get("namespace") == namespace_of(claim)
        and ref.get("name") == name_of(claim)
        and ref.get("uid") in (None, "", uid_of(claim))
    )


def fits(claim: Obj, volume: Obj) -> bool:
    """checkVolumeSatisfyClaim plus findMatchingVolume's filters."""
    spec, wanted = volume["spec"], claim["spec"]
    if spec.get("claimRef") and not _refers_to(volume, claim):
        return False
    if is_being_deleted(volume) or _phase(volume) not in ("", "Pending", "Available"):
        return False
    capacity, request = _storage((spec.get("capacity") or {}).get("storage")), _requested(claim)
    labels = (volume["metadata"].get("labels") or {}) if volume.get("metadata") else {}
    return (
        class_of(volume) == class_of(claim)
        and (spec.get("volumeMode") or "Filesystem") == (wanted.get("volumeMode") or "Filesystem")
        and set(wanted.get("accessModes") or []) <= set(spec.get("accessModes") or [])
        and capacity is not None
        and request is not None
        and capacity >= request
        and (wanted.get("selector") is None or selectors.matches(wanted["selector"], labels))
    )


def find_best_match(claim: Obj, volumes: list[Obj]) -> Obj | None:
    """findBestMatchForClaim: a volume already pre-bound to the claim, else the smallest."""
    candidates = [v for v in volumes if fits(claim, v)]
    prebound = [v for v in candidates if v["spec"].get("claimRef")]
    if prebound:
        return prebound[0]
    sized = [(_storage(v["spec"]["capacity"]["storage"]), name_of(v), v) for v in candidates]
    return min(sized, key=lambda t: (t[0], t[1]))[2] if sized else None


def bind(claim: Obj, volume: Obj, now: float) -> list[Action]:
    """bind(): the volume's claimRef and phase, then the claim's volumeName and phase."""
    actions: list[Action] = []
    volume = copy.deepcopy(volume)
    if not volume["spec"].get("claimRef") or not volume["spec"]["claimRef"].get("uid"):
        volume["spec"]["claimRef"] = _claim_ref(claim)
        annotations = volume["metadata"].setdefault("annotations", {})
        annotations[BOUND_BY_CONTROLLER_ANNOTATION] = "yes"
        actions.append(Update(volume))
        volume["metadata"].pop("resourceVersion", None)
    if _phase(volume) != "Bound":
        volume["status"] = {"phase": "Bound", "lastPhaseTransitionTime": rfc3339(now)}
        actions.append(UpdateStatus(volume))
    claim = copy.deepcopy(claim)
    annotations = claim["metadata"].setdefault("annotations", {})
    bound_before = claim["spec"].get("volumeName") == name_of(volume)
    wanted_annotations = {BIND_COMPLETED_ANNOTATION: "yes"}
    if not claim["spec"].get("volumeName"):
        wanted_annotations[BOUND_BY_CONTROLLER_ANNOTATION] = "yes"
    if not bound_before or any(annotations.get(k) != v for k, v in wanted_annotations.items()):
        claim["spec"]["volumeName"] = name_of(volume)
        annotations.update(wanted_annotations)
        actions.append(Update(claim))
        claim["metadata"].pop("resourceVersion", None)
    status = {
        "phase": "Bound",
        "accessModes": list(volume["spec"].get("accessModes") or []),
        "capacity": dict(volume["spec"].get("capacity") or {}),
    }
    if claim.get("status") != status:
        actions.append(UpdateStatus({**claim, "status": status}))
    return actions


def sync_claim(
    claim: Obj,
    volumes: list[Obj],
    classes: dict[str, Obj],
    now: float,
    consumed: Callable[[], bool],
) -> list[Action]:
    """syncClaim. `consumed()`: whether a pod uses the claim (asked of WaitForFirstConsumer
    classes only)."""
    if is_being_deleted(claim):
        return []
    volume_name = claim["spec"].get("volumeName")
    if volume_name:
        return _sync_bound_claim(claim, volumes, now)
    match = find_best_match(claim, volumes)
    if match is not None:
        return bind(claim, match, now)
    class_name = class_of(claim)
    if not class_name:
        return [_event(claim, "FailedBinding", _NO_CLASS)]
    storage_class = classes.get(class_name)
    if storage_class is None:
        message = f'storageclass.storage.k8s.io "{class_name}" not found'
        return [_event(claim, "ProvisioningFailed", message, EventType.WARNING)]
    if storage_class.get("volumeBindingMode") == "WaitForFirstConsumer" and not consumed():
        return [_event(claim, "WaitForFirstConsumer", _WAIT_FOR_CONSUMER)]
    return _provision_claim(claim, storage_class, now)


def _provision_claim(claim: Obj, storage_class: Obj, now: float) -> list[Action]:
    """provisionClaim for an external provisioner: the claim is annotated with it and the
    controller waits; mkctl's simulated provisioner answers in the same pass."""
    provisioner = str(storage_class.get("provisioner") or "")
    annotated = copy.deepcopy(claim)
    annotations = annotated["metadata"].setdefault("annotations", {})
    actions: list[Action] = []
    if annotations.get(STORAGE_PROVISIONER_ANNOTATION) != provisioner:
        annotations[STORAGE_PROVISIONER_ANNOTATION] = provisioner
        annotations[BETA_STORAGE_PROVISIONER_ANNOTATION] = provisioner
        actions.append(Update(annotated))
        annotated["metadata"].pop("resourceVersion", None)
    actions.append(_event(claim, "ExternalProvisioning", _EXTERNAL.format(provisioner)))
    if provisioner != SIMULATED_PROVISIONER:
        return actions
    volume, events = provision(annotated, storage_class)
    return [*actions, *events, *bind(annotated, volume, now)]


def _sync_bound_claim(claim: Obj, volumes: list[Obj], now: float) -> list[Action]:
    """A claim that names its volume: finish the binding, or mark it Lost."""
    name = claim["spec"]["volumeName"]
    volume = next((v for v in volumes if name_of(v) == name), None)
    if volume is None:
        if _phase(claim) != "Bound":
            return []
        lost = {**claim, "status": {**(claim.get("status") or {}), "phase": "Lost"}}
        message = "Bound claim has lost its PersistentVolume. Data on it is lost!"
        return [UpdateStatus(lost), _event(claim, "ClaimLost", message, EventType.WARNING)]
    if volume["spec"].get("claimRef") and not _refers_to(volume, claim):
        message = "Two claims are bound to the same volume, this one is bound incorrectly"
        return [
            UpdateStatus({**claim, "status": {**(claim.get("status") or {}), "phase": "Lost"}}),
            _event(claim, "ClaimMisbound", message, EventType.WARNING),
        ]
    return bind(claim, volume, now)


def sync_volume(volume: Obj, claim: Obj | None, now: float) -> list[Action]:
    """syncVolume: Available, Bound, or Released and reclaimed by its policy."""
    if is_being_deleted(volume):
        return []
    ref = volume["spec"].get("claimRef")
    if not ref:
        return _phase_change(volume, "Available", now)
    if claim is not None and (not ref.get("uid") or ref.get("uid") == uid_of(claim)):
        if claim["spec"].get("volumeName") == name_of(volume):
            return _phase_change(volume, "Bound", now)
        return []  # pre-bound: syncing the claim completes it
    if not ref.get("uid"):
        return _phase_change(volume, "Available", now)
    actions = _phase_change(volume, "Released", now)
    if volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete":
        actions.append(Delete(Kind.PERSISTENT_VOLUME, "", name_of(volume), uid=uid_of(volume)))
    return actions


def _phase_change(volume: Obj, phase: str, now: float) -> list[Action]:
    if _phase(volume) == phase:
        return []
    status = {"phase": phase, "lastPhaseTransitionTime": rfc3339(now)}
    return [UpdateStatus({**volume, "status": status})]
