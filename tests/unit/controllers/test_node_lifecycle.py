"""The node lifecycle controller, step by step on a fake clock: a node whose kubelet stops is
Ready until the monitor grace period passes, then Unknown and tainted unreachable, its pods
not ready and, past their toleration, evicted; a kubelet that comes back clears it all
(upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go and the taint eviction
controller, pkg/controller/tainteviction)."""

from __future__ import annotations

from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock, rfc3339
from controlplane.controllers.node_lifecycle import (
    NODE_MONITOR_GRACE_SECONDS,
    NodeLifecycleController,
    is_ready,
    toleration_seconds,
)
from controlplane.models.constants import Obj
from controlplane.models.node_conditions import KUBELET_STOPPED_ANNOTATION
from controlplane.models.node_registration import registered_node
from controlplane.runtime.manager import Manager

UNREACHABLE = "node.kubernetes.io/unreachable"

TOLERATIONS = [
    ("no toleration: evicted at once", [], 0.0),
    (
        "the unreachable taint for 60 s",
        [{"key": UNREACHABLE, "effect": "NoExecute", "tolerationSeconds": 60}],
        60.0,
    ),
    ("the unreachable taint forever", [{"key": UNREACHABLE, "effect": "NoExecute"}], None),
    ("every taint (empty key) forever", [{"operator": "Exists"}], None),
    ("another taint: not this one", [{"key": "other", "effect": "NoExecute"}], 0.0),
    ("NoSchedule only: not NoExecute", [{"key": UNREACHABLE, "effect": "NoSchedule"}], 0.0),
]


@pytest.mark.parametrize(
    ("tolerations", "seconds"), [t[1:] for t in TOLERATIONS], ids=[t[0] for t in TOLERATIONS]
)
def test_how_long_a_pod_tolerates_an_unreachable_node(
    tolerations: list[Obj], seconds: float | None
) -> None:
    assert toleration_seconds({"spec": {"tolerations": tolerations}}) == seconds


def pod(name: str, tolerations: list[Obj] | None = None) -> Obj:
    spec: dict[str, Any] = {"containers": [{"name": "app", "image": "nginx"}]}
    if tolerations is not None:
        spec["tolerations"] = tolerations
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
    }


def state(api: Api) -> dict[str, Any]:
    node = api.get("Node", "", "node-1")
    pods = {p["metadata"]["name"]: p for p in api.list("Pod")}
    return {
        "ready": is_ready(node),
        "taints": sorted(t["effect"] for t in node["spec"].get("taints") or []),
        "pods": sorted(
            name for name, p in pods.items() if not p["metadata"].get("deletionTimestamp")
        ),
        "pods ready": sorted(
            name
            for name, p in pods.items()
            if any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in p["status"].get("conditions") or []
            )
        ),
    }


def test_a_node_whose_kubelet_stops_then_starts_again(api: Api, clock: FakeClock) -> None:
    api.create(registered_node("node-1", 0, clock.now()))
    for name, tolerations in (
        ("brief", [{"key": UNREACHABLE, "effect": "NoExecute", "tolerationSeconds": 60}]),
        ("forever", [{"key": UNREACHABLE, "effect": "NoExecute"}]),
    ):
        api.create(pod(name, tolerations))
        api.bind("default", name, "node-1")
        ready = api.get("Pod", "default", name)
        ready["status"]["conditions"].append(
            {"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(clock.now())}
        )
        api.update_status(ready)
    manager = Manager(api, [NodeLifecycleController(api, api.clock, api.ids)])
    stop = {"metadata": {"annotations": {KUBELET_STOPPED_ANNOTATION: rfc3339(clock.now())}}}
    api.patch("Node", "", "node-1", stop, "merge")
    both = ["brief", "forever"]
    steps = [
        ("within the grace period", 10, True, [], both, both),
        ("past it", NODE_MONITOR_GRACE_SECONDS, False, ["NoExecute", "NoSchedule"], both, []),
        ("past the brief toleration", 61, False, ["NoExecute", "NoSchedule"], ["forever"], []),
    ]
    for step, seconds, ready_node, taints, alive, ready_pods in steps:
        clock.advance(seconds)
        manager.run_until_settled()
        expected = {"ready": ready_node, "taints": taints, "pods": alive, "pods ready": ready_pods}
        assert state(api) == expected, step
    start = {"metadata": {"annotations": {KUBELET_STOPPED_ANNOTATION: None}}}
    api.patch("Node", "", "node-1", start, "merge")
    manager.run_until_settled()
    assert state(api)["ready"] is True
    assert state(api)["taints"] == []
