"""`kubectl describe` pages for PersistentVolumeClaims, PersistentVolumes and StorageClasses
(staging/src/k8s.io/kubectl/pkg/describe/describe.go: describePersistentVolumeClaim,
printPersistentVolumeClaim, describePersistentVolume, describeStorageClass).

A claim lists the pods that use it (`Used By`); its capacity and access modes are its
volume's, shown once it is bound.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj
from controlplane.models.durations import age
from controlplane.models.quantity import canonical_text
from controlplane.models.storage import (
    access_modes_string,
    class_of,
    is_default_class,
    pod_claim_names,
)
from minikubectl.printers.writer import (
    PrefixWriter,
    events_section,
    labels_and_annotations,
    name_and_namespace,
    tabbed,
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _finalizers(meta: dict[str, Any]) -> str:
    """Go's `%v` of a []string: `[a b]`."""
    return "[" + " ".join(meta.get("finalizers") or []) + "]"


def _status(obj: Obj, now: float) -> str:
    meta = _dict(obj.get("metadata"))
    if meta.get("deletionTimestamp"):
        return f"Terminating (lasts {age(meta['deletionTimestamp'], now)})"
    return str(_dict(obj.get("status")).get("phase") or "")


def _format_labels(values: Any) -> str:
    """labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty."""
    values = _dict(values)
    return ",".join(f"{k}={values[k]}" for k in sorted(values)) or "<none>"


def describe_persistent_volume_claim(
    claim: Obj, pods: list[Obj], events: list[Obj] | None, now: float
) -> str:
    """describePersistentVolumeClaim; `pods`: the claim's namespace's pods."""
    w = PrefixWriter()
    meta, spec = _dict(claim.get("metadata")), _dict(claim.get("spec"))
    status = _dict(claim.get("status"))
    name_and_namespace(w, meta)
    w.write(0, f"StorageClass:\t{class_of(claim)}\n")
    w.write(0, f"Status:\t{_status(claim, now)}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName') or ''}\n")
    labels_and_annotations(w, meta)
    w.write(0, f"Finalizers:\t{_finalizers(meta)}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes_string(status.get("accessModes"))
        storage = _dict(status.get("capacity")).get("storage")
        capacity = canonical_text(storage) if storage is not None else "0"
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    w.field("VolumeMode", spec.get("volumeMode"))
    users = sorted(
        str(p["metadata"]["name"]) for p in pods if meta.get("name") in pod_claim_names(p)
    )
    w.write(0, "Used By:\t")
    if not users:
        w.write_line("<none>")
    for index, name in enumerate(users):
        w.write(0, f"{'' if index == 0 else chr(9)}{name}\n")
    events_section(w, events, now)
    return tabbed(w)


def describe_persistent_volume(volume: Obj, events: list[Obj] | None, now: float) -> str:
    """describePersistentVolume: the hostPath source mkctl's provisioner gives its volumes."""
    w = PrefixWriter()
    meta, spec = _dict(volume.get("metadata")), _dict(volume.get("spec"))
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_and_annotations(w, meta)
    w.write(0, f"Finalizers:\t{_finalizers(meta)}\n")
    w.write(0, f"StorageClass:\t{class_of(volume)}\n")
    w.write(0, f"Status:\t{_status(volume, now)}\n")
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace') or ''}/{ref.get('name') or ''}" if isinstance(ref, dict) else ""
    w.write(0, f"Claim:\t{claim}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy') or ''}\n")
    w.write(0, f"Access Modes:\t{access_modes_string(spec.get('accessModes'))}\n")
    w.field("VolumeMode", spec.get("volumeMode"))
    storage = _dict(spec.get("capacity")).get("storage")
    w.write(0, f"Capacity:\t{canonical_text(storage) if storage is not None else '0'}\n")
    w.write(0, "Node Affinity:\t<none>\n" if not spec.get("nodeAffinity") else "Node Affinity:\n")
    w.write(0, f"Message:\t{_dict(volume.get('status')).get('message') or ''}\n")
    w.write(0, "Source:\n")
    host_path = spec.get("hostPath")
    if isinstance(host_path, dict):
        kind = host_path.get("type")
        w.write(
            2,
            "Type:\tHostPath (bare host directory volume)\n"
            f"    Path:\t{host_path.get('path', '')}\n"
            f"    HostPathType:\t{'<none>' if kind is None else kind}\n",
        )
    events_section(w, events, now)
    return tabbed(w)


def describe_storage_class(storage_class: Obj, events: list[Obj] | None, now: float) -> str:
    """describeStorageClass: annotations and parameters on one line each."""
    w = PrefixWriter()
    meta = _dict(storage_class.get("metadata"))
    expansion = storage_class.get("allowVolumeExpansion")
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"IsDefaultClass:\t{'Yes' if is_default_class(storage_class) else 'No'}\n")
    w.write(0, f"Annotations:\t{_format_labels(meta.get('annotations'))}\n")
    w.write(0, f"Provisioner:\t{storage_class.get('provisioner') or ''}\n")
    w.write(0, f"Parameters:\t{_format_labels(storage_class.get('parameters'))}\n")
    shown = "<unset>" if expansion is None else ("True" if expansion else "False")
    w.write(0, f"AllowVolumeExpansion:\t{shown}\n")
    options = storage_class.get("mountOptions") or []
    if w.heading("MountOptions", options):
        for option in options:
            w.write(1, f"{option}\n")
    w.field("ReclaimPolicy", storage_class.get("reclaimPolicy"))
    w.field("VolumeBindingMode", storage_class.get("volumeBindingMode"))
    topologies = storage_class.get("allowedTopologies")
    if topologies is not None:
        _allowed_topologies(w, topologies)
    events_section(w, events, now)
    return tabbed(w)


def _allowed_topologies(w: PrefixWriter, terms: list[Obj]) -> None:
    """printAllowedTopologies: `Term 0:  zone in [a, b]`, one requirement a line."""
    w.write(0, "AllowedTopologies:\t")
    if not terms:
        w.write_line("<none>")
        return
    w.write_line("")
    for index, term in enumerate(terms):
        w.write(1, f"Term {index}:\t")
        requirements = _dict(term).get("matchLabelExpressions") or []
        if not requirements:
            w.write_line("<none>")
        for i, req in enumerate(requirements):
            if i:
                w.write(1, "\t")
            values = req.get("values") or []
            text = f"{req.get('key', '')} in" + (f" [{', '.join(values)}]" if values else "")
            w.write(0, f"{text}\n")
