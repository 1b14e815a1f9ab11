"""The scale subresource of a custom resource: an autoscaling/v1 Scale read from, and
written to, the JSON paths its CRD names (staging/src/k8s.io/apiextensions-apiserver/pkg/
registry/customresource/etcd.go, scaleFromCustomResource and scaleUpdatedObjectInfo)."""

from __future__ import annotations

from typing import Any

from controlplane.api.crd.definitions import ScaleSubresource
from controlplane.api.crd.served import custom
from controlplane.api.crd.tables import find
from controlplane.models.constants import Obj


def custom_scale(kind: str) -> ScaleSubresource | None:
    """The scale paths of a custom kind served with a scale subresource, else None."""
    resource = custom(kind)
    return None if resource is None else resource.storage.scale


def has_status(kind: str) -> bool:
    resource = custom(kind)
    return resource is not None and resource.storage.status


def replicas_and_selector(obj: Obj, paths: ScaleSubresource) -> tuple[Any, Any, str]:
    """spec replicas (0 when unset), status replicas (0 when unset) and the selector."""
    spec = find(obj, paths.spec_replicas_path)
    status = find(obj, paths.status_replicas_path)
    selector = find(obj, paths.label_selector_path) if paths.label_selector_path else []
    return (spec or [0])[0], (status or [0])[0], str((selector or [""])[0])


def set_replicas(obj: Obj, paths: ScaleSubresource, replicas: int) -> None:
    """Write spec replicas at its path, making the objects on the way."""
    *parents, last = paths.spec_replicas_path.strip(".").split(".")
    node = obj
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = replicas
