"""`kubectl get` cells of StatefulSets, DaemonSets and ControllerRevisions (reference 10.2).

Ported from pkg/printers/internalversion/printers.go (printStatefulSet, printDaemonSet,
printControllerRevision); `columns` holds their column definitions and lays the table out.
Each function returns every cell, wide ones included.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj
from minikubectl.printers.age import age


def _meta(obj: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = obj.get("metadata") or {}
    return meta


def containers_and_images(template: dict[str, Any]) -> tuple[str, str]:
    """layoutContainerCells: container names and images, comma-joined in container order."""
    containers = (template.get("spec") or {}).get("containers") or []
    return (
        ",".join(str(c.get("name", "")) for c in containers),
        ",".join(str(c.get("image", "")) for c in containers),
    )


def statefulset_row(sts: Obj, now: float) -> list[str]:
    """NAME READY AGE | CONTAINERS IMAGES; READY is readyReplicas/spec.replicas."""
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    return [
        _meta(sts).get("name", ""),
        f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}",
        age(_meta(sts).get("creationTimestamp"), now),
        names,
        images,
    ]


def daemonset_row(ds: Obj, now: float) -> list[str]:
    """NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES
    SELECTOR; NODE SELECTOR is the template's nodeSelector (`<none>` when empty)."""
    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    from controlplane.models import selectors

    template = spec.get("template") or {}
    names, images = containers_and_images(template)
    counts = (
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "updatedNumberScheduled",
        "numberAvailable",
    )
    return [
        _meta(ds).get("name", ""),
        *(str(status.get(field) or 0) for field in counts),
        selectors.labels_to_string((template.get("spec") or {}).get("nodeSelector")),
        age(_meta(ds).get("creationTimestamp"), now),
        names,
        images,
        selectors.to_string(spec.get("selector")),
    ]


def controller_name(obj: Obj) -> str:
    """The CONTROLLER cell: `<lowercase kind>.<group>/<name>` of the controller ref, e.g.
    `statefulset.apps/web`; `<none>` for an orphan."""
    for ref in _meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            group = str(ref.get("apiVersion", "")).rpartition("/")[0]
            kind = str(ref.get("kind", "")).lower()
            return f"{kind}.{group}/{ref.get('name', '')}" if group else f"{kind}/{ref['name']}"
    return "<none>"


def controllerrevision_row(revision: Obj, now: float) -> list[str]:
    """NAME CONTROLLER REVISION AGE."""
    return [
        _meta(revision).get("name", ""),
        controller_name(revision),
        str(revision.get("revision") or 0),
        age(_meta(revision).get("creationTimestamp"), now),
    ]
