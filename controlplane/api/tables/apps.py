"""The Tables of the apps kinds: ReplicaSets, Deployments, StatefulSets, DaemonSets and
ControllerRevisions.

Ported from pkg/printers/internalversion/printers.go (AddHandlers' column definitions;
printReplicaSet, printDeployment, printStatefulSet, printDaemonSet, printControllerRevision).
Each row function returns every cell, wide ones included, as the server always generates them;
counts are integers, as upstream's `int64(...)` cells are. Upstream quotes the extensions/v1beta1
field docs for these kinds; where that group's wording differs for a reason of its own (its
selectors default from the template) it is kept, elsewhere the apps/v1 text is quoted.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.columns import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    WIDE,
    Cell,
    ColumnDefinition,
    name_and_age,
)
from controlplane.models.constants import Obj

_LABEL_SELECTORS = "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
_DAEMONSET_DOC = "More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"
_REPLICASET_DOC = "More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"
_READY_PODS = "Number of the pod with ready state"


def containers_and_images(template: dict[str, Any]) -> tuple[str, str]:
    """layoutContainerCells: container names and images, comma-joined in container order."""
    containers = (template.get("spec") or {}).get("containers") or []
    return (
        ",".join(str(c.get("name", "")) for c in containers),
        ",".join(str(c.get("image", "")) for c in containers),
    )


def selector_string(selector: dict[str, Any] | None) -> str:
    """labels.Selector.String() of a LabelSelector, `<invalid>` if it does not convert."""
    from controlplane.models import selectors

    try:
        return str(selectors.from_label_selector(selector))
    except selectors.SelectorError:
        return "<invalid>"


def format_label_selector(selector: dict[str, Any] | None) -> str:
    """metav1.FormatLabelSelector: the selector, `<none>` when empty."""
    from controlplane.models import selectors

    return selectors.to_string(selector)


REPLICASET_COLUMNS = (
    NAME,
    ColumnDefinition(
        "Desired",
        "Replicas is the number of desired pods. This is a pointer to distinguish between "
        f"explicit zero and unspecified. Defaults to 1. {_REPLICASET_DOC}",
        type="integer",
    ),
    ColumnDefinition(
        "Current",
        f"Replicas is the most recently observed number of non-terminating pods. {_REPLICASET_DOC}",
        type="integer",
    ),
    ColumnDefinition(
        "Ready",
        "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.",
        type="integer",
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    ColumnDefinition(
        "Selector",
        "Selector is a label query over pods that should match the replica count. Label keys "
        "and values that must match in order to be controlled by this replica set. "
        f"It must match the pod template's labels. More info: {_LABEL_SELECTORS}#label-selectors",
        priority=WIDE,
    ),
)


def replicaset_cells(rs: Obj, now: float) -> list[Cell]:
    spec = rs.get("spec") or {}
    status = rs.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    name, created = name_and_age(rs, now)
    return [
        name,
        spec.get("replicas", 1),
        status.get("replicas") or 0,
        status.get("readyReplicas") or 0,
        created,
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


DEPLOYMENT_COLUMNS = (
    NAME,
    ColumnDefinition("Ready", _READY_PODS),
    ColumnDefinition(
        "Up-to-date",
        "Total number of non-terminating pods targeted by this deployment that have the desired "
        "template spec.",
    ),
    ColumnDefinition(
        "Available",
        "Total number of available non-terminating pods (ready for at least minReadySeconds) "
        "targeted by this deployment.",
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    ColumnDefinition(
        "Selector",
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
        "the ones affected by this deployment.",
        priority=WIDE,
    ),
)


def deployment_cells(dep: Obj, now: float) -> list[Cell]:
    spec = dep.get("spec") or {}
    status = dep.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    name, created = name_and_age(dep, now)
    return [
        name,
        f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}",
        status.get("updatedReplicas") or 0,
        status.get("availableReplicas") or 0,
        created,
        names,
        images,
        selector_string(spec.get("selector")),
    ]


STATEFULSET_COLUMNS = (NAME, ColumnDefinition("Ready", _READY_PODS), AGE, CONTAINERS, IMAGES)


def statefulset_cells(sts: Obj, now: float) -> list[Cell]:
    """READY is readyReplicas/spec.replicas."""
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    name, created = name_and_age(sts, now)
    return [
        name,
        f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}",
        created,
        names,
        images,
    ]


DAEMONSET_COLUMNS = (
    NAME,
    ColumnDefinition(
        "Desired",
        "The total number of nodes that should be running the daemon pod (including nodes "
        f"correctly running the daemon pod). {_DAEMONSET_DOC}",
        type="integer",
    ),
    ColumnDefinition(
        "Current",
        "The number of nodes that are running at least 1 daemon pod and are supposed to run the "
        f"daemon pod. {_DAEMONSET_DOC}",
        type="integer",
    ),
    ColumnDefinition(
        "Ready",
        "numberReady is the number of nodes that should be running the daemon pod and have one "
        "or more of the daemon pod running with a Ready Condition.",
        type="integer",
    ),
    ColumnDefinition(
        "Up-to-date",
        "The total number of nodes that are running updated daemon pod",
        type="integer",
    ),
    ColumnDefinition(
        "Available",
        "The number of nodes that should be running the daemon pod and have one or more of the "
        "daemon pod running and available (ready for at least spec.minReadySeconds)",
        type="integer",
    ),
    ColumnDefinition(
        "Node Selector",
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector "
        "which must match a node's labels for the pod to be scheduled on that node. More info: "
        "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    ColumnDefinition(
        "Selector",
        "A label query over pods that are managed by the daemon set. Must match in order to be "
        "controlled. If empty, defaulted to labels on Pod template. More info: "
        f"{_LABEL_SELECTORS}#label-selectors",
        priority=WIDE,
    ),
)

_DAEMONSET_COUNTS = (
    "desiredNumberScheduled",
    "currentNumberScheduled",
    "numberReady",
    "updatedNumberScheduled",
    "numberAvailable",
)


def daemonset_cells(ds: Obj, now: float) -> list[Cell]:
    """NODE SELECTOR is the template's nodeSelector (`<none>` when empty)."""
    from controlplane.models import selectors

    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    template = spec.get("template") or {}
    names, images = containers_and_images(template)
    name, created = name_and_age(ds, now)
    return [
        name,
        *(status.get(field) or 0 for field in _DAEMONSET_COUNTS),
        selectors.labels_to_string((template.get("spec") or {}).get("nodeSelector")),
        created,
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


CONTROLLERREVISION_COLUMNS = (
    NAME,
    ColumnDefinition("Controller", "Controller of the object"),
    ColumnDefinition(
        "Revision", "Revision indicates the revision of the state represented by Data."
    ),
    AGE,
)


def controller_name(obj: Obj) -> str:
    """The CONTROLLER cell: `<lowercase kind>.<group>/<name>` of the controller ref, e.g.
    `statefulset.apps/web`; `<none>` for an orphan."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            group = str(ref.get("apiVersion", "")).rpartition("/")[0]
            kind = str(ref.get("kind", "")).lower()
            return f"{kind}.{group}/{ref.get('name', '')}" if group else f"{kind}/{ref['name']}"
    return "<none>"


def controllerrevision_cells(revision: Obj, now: float) -> list[Cell]:
    name, created = name_and_age(revision, now)
    return [
        name,
        controller_name(revision),
        revision.get("revision") or 0,
        created,
    ]
