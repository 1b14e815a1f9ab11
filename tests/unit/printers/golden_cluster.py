"""A small, fixed cluster for the `get` golden tests: one of each kind, at a fixed time.

The same objects are served to a real kubectl by `data/record_get.py`, which recorded
`data/get_kubectl.json`; `test_printers_golden.py` runs mkctl's `get` over them.
"""

from __future__ import annotations

import copy
from typing import Any

from printers_builders import T0, deployment, event, pod, replica_set, ts

from controlplane.store import Store

NOW = T0 + 7 * 3600 + 125  # 7h2m5s after the first object


def _node(name: str, created: str, *, cordoned: bool = False) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"uid-{name}",
            "creationTimestamp": created,
            "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"},
        },
        "spec": {"unschedulable": True} if cordoned else {},
        "status": {
            "conditions": [{"type": "Ready", "status": "True"}],
            "addresses": [{"type": "InternalIP", "address": f"172.18.0.{name[-1]}"}],
            "nodeInfo": {
                "kubeletVersion": "v1.34.0",
                "osImage": "mkctl fake node",
                "kernelVersion": "6.1.0",
                "containerRuntimeVersion": "fake://1.0",
            },
        },
    }


def _namespace(name: str, created: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "uid": f"uid-ns-{name}",
            "creationTimestamp": created,
            "labels": {"kubernetes.io/metadata.name": name},
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def objects() -> list[dict[str, Any]]:
    old = replica_set("5d6b8f9c7", image="nginx:1.14.2", replicas=0, revision=1, created=ts(0))
    new = replica_set("7c5ddbdf54", image="nginx:1.16.1", replicas=3, revision=2, created=ts(900))
    pods = [
        pod("nginx-7c5ddbdf54-2xkzq", created=ts(905), node="node-1", ip="10.244.1.7"),
        pod("nginx-7c5ddbdf54-q8ztw", created=ts(906), node="node-2", ip="10.244.2.12"),
        pod("nginx-7c5ddbdf54-x4v9l", created=ts(907), node="node-1", ip="10.244.1.9"),
        pod(
            "web-0",
            namespace="shop",
            created=ts(3600),
            node=None,
            ip=None,
            phase="Pending",
            statuses=[],
            labels={"app": "web", "tier": "frontend"},
        ),
    ]
    for p in pods[:3]:
        p["metadata"]["labels"]["pod-template-hash"] = "7c5ddbdf54"
    dep = deployment()
    found = [
        _namespace("default", ts(-60)),
        _namespace("shop", ts(3000)),
        _node("node-1", ts(-60)),
        _node("node-2", ts(-60), cordoned=True),
        dep,
        old,
        new,
        *pods,
        event(
            "ScalingReplicaSet", "Scaled up replica set nginx-7c5ddbdf54 from 0 to 3", first=ts(900)
        ),
        event(
            "Scheduled",
            "Successfully assigned default/nginx-7c5ddbdf54-2xkzq to node-1",
            first=ts(905),
            kind="Pod",
            name="nginx-7c5ddbdf54-2xkzq",
            component="default-scheduler",
        ),
    ]
    found += _ties()
    for obj in found:
        obj["metadata"].setdefault("uid", f"uid-{obj['metadata']['name']}")
    return found


def _ties() -> list[dict[str, Any]]:
    """60 events in namespace `ties` whose reasons and counts repeat: `--sort-by` on them shows
    the order Go's unstable sort leaves equal keys in (insertion sort up to 12 items, then
    pdqsort with its median-of-three and ninther pivots)."""
    reasons = ("Pulled", "Created", "Started", "Killing", "BackOff")
    found = []
    for i in range(60):
        e = event(
            reasons[(i * 7) % 5],
            f"message {i}",
            first=ts(i),
            count=(i * 13) % 6 + 1,
            kind="Pod",
            name=f"tie-{(i * 37) % 60:02d}",
        )
        e["metadata"]["namespace"] = "ties"
        e["involvedObject"]["namespace"] = "ties"
        found.append(e)
    return found


def store() -> Store:
    """An in-memory store holding the objects as given (uids and timestamps kept)."""
    db = Store("sqlite://")
    with db.transaction() as txn:
        for obj in objects():
            txn.create(copy.deepcopy(obj))
    return db


def stored_objects(db: Store) -> list[dict[str, Any]]:
    with db.reader() as reader:
        return [
            obj
            for kind in ("Namespace", "Node", "Deployment", "ReplicaSet", "Pod", "Event")
            for obj in reader.list(kind, None)
        ]
