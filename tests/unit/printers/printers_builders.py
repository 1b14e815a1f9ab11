"""Object builders for the printer tests: small, explicit Kubernetes-shaped dicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from controlplane.api.registry import kind_info
from controlplane.api.tables.table import as_table
from controlplane.clock import parse_rfc3339, rfc3339
from minikubectl.printers import columns

# Tue, 02 Jan 2024 15:04:05 +0000, the timestamp of the reference examples.
T0 = parse_rfc3339("2024-01-02T15:04:05Z")


def ts(offset: float = 0) -> str:
    """An RFC 3339 timestamp `offset` seconds after T0."""
    return rfc3339(T0 + offset)


def render_table(
    kind: str,
    objects: Sequence[dict[str, Any]],
    now: float,
    *,
    wide: bool = False,
    name_prefix: bool = False,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """What `get` prints for `objects`: the server's Table of their list at `now`, laid out by
    the client's table printer with get's flags."""
    info = kind_info(kind)
    options = columns.PrintOptions(
        wide=wide,
        kind_prefix=info.kind_group if name_prefix else "",
        with_namespace=all_namespaces and info.namespaced,
        show_labels=show_labels,
        label_columns=label_columns,
        no_headers=no_headers,
    )
    return columns.render_table(as_table(kind, {"items": list(objects)}, now), options)


def container_status(
    name: str = "nginx",
    *,
    state: dict[str, Any] | None = None,
    ready: bool = True,
    restarts: int = 0,
    last_finished: str | None = None,
) -> dict[str, Any]:
    status: dict[str, Any] = {
        "name": name,
        "ready": ready,
        "restartCount": restarts,
        "state": state if state is not None else {"running": {"startedAt": ts(4)}},
        "image": "nginx:1.14.2",
        "imageID": "",
        "containerID": "",
    }
    if last_finished:
        status["lastState"] = {
            "terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last_finished}
        }
    return status


def pod(
    name: str = "nginx-7c5ddbdf54-2xkzq",
    *,
    namespace: str = "default",
    created: str | None = None,
    phase: str = "Running",
    containers: list[str] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    init: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    conditions: dict[str, str] | None = None,
    node: str | None = "node-1",
    ip: str | None = "10.244.0.5",
    deletion: str | None = None,
    reason: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    names = containers or ["nginx"]
    spec: dict[str, Any] = {
        "containers": [{"name": n, "image": "nginx:1.14.2"} for n in names],
    }
    if init:
        spec["initContainers"] = init
    if node:
        spec["nodeName"] = node
    status: dict[str, Any] = {"phase": phase}
    status["containerStatuses"] = (
        statuses if statuses is not None else [container_status(n) for n in names]
    )
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    if conditions:
        status["conditions"] = [{"type": t, "status": s} for t, s in conditions.items()]
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    if reason:
        status["reason"] = reason
    meta: dict[str, Any] = {
        "name": name,
        "namespace": namespace,
        "uid": f"uid-{name}",
        "creationTimestamp": created or ts(),
        "labels": labels if labels is not None else {"app": "nginx"},
    }
    if deletion:
        meta["deletionTimestamp"] = deletion
        meta["deletionGracePeriodSeconds"] = 30
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def template(image: str = "nginx:1.16.1", pod_hash: str | None = None) -> dict[str, Any]:
    labels = {"app": "nginx"}
    if pod_hash:
        labels["pod-template-hash"] = pod_hash
    return {
        "metadata": {"labels": labels},
        "spec": {
            "containers": [
                {
                    "name": "nginx",
                    "image": image,
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                }
            ]
        },
    }


def deployment(replicas: int = 3, image: str = "nginx:1.16.1") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "nginx",
            "namespace": "default",
            "uid": "uid-deploy",
            "creationTimestamp": ts(),
            "labels": {"app": "nginx"},
            "annotations": {
                "deployment.kubernetes.io/revision": "2",
                "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Deployment"}\n',
            },
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "nginx"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
            },
            "template": template(image),
        },
        "status": {
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            ],
        },
    }


def replica_set(
    pod_hash: str,
    *,
    image: str,
    replicas: int,
    revision: int,
    created: str,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"nginx-{pod_hash}",
            "namespace": "default",
            "uid": f"uid-rs-{pod_hash}",
            "creationTimestamp": created,
            "labels": {"app": "nginx", "pod-template-hash": pod_hash},
            "annotations": {"deployment.kubernetes.io/revision": str(revision)}
            | (annotations or {}),
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "name": "nginx",
                    "uid": "uid-deploy",
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "nginx", "pod-template-hash": pod_hash}},
            "template": template(image, pod_hash),
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }


def event(
    reason: str,
    message: str,
    *,
    first: str,
    last: str | None = None,
    count: int = 1,
    kind: str = "Deployment",
    name: str = "nginx",
    component: str = "deployment-controller",
    type_: str = "Normal",
    field_path: str | None = None,
    host: str | None = None,
) -> dict[str, Any]:
    involved: dict[str, Any] = {"kind": kind, "name": name, "namespace": "default"}
    if field_path:
        involved["fieldPath"] = field_path
    source: dict[str, Any] = {"component": component}
    if host:
        source["host"] = host
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{reason.lower()}", "namespace": "default"},
        "type": type_,
        "reason": reason,
        "message": message,
        "involvedObject": involved,
        "source": source,
        "firstTimestamp": first,
        "lastTimestamp": last or first,
        "count": count,
    }
