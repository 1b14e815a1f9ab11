"""A node whose kubelet stops: Unknown after the grace period, pods replaced after 300 s."""

from __future__ import annotations

import copy

from controlplane.clock import FakeClock, rfc3339
from controlplane.cluster import open_cluster
from controlplane.ids import SeededIds
from controlplane.models.node_conditions import KUBELET_STOPPED_ANNOTATION


def test_a_stopped_node_is_tainted_and_its_pods_replaced_elsewhere() -> None:
    clock = FakeClock()
    cluster = open_cluster("sqlite://", clock=clock, ids=SeededIds(3))
    api = cluster.api
    api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]},
                },
            },
        }
    )
    cluster.settle()
    (victim,) = [p for p in api.list("Pod", "default") if p["spec"]["nodeName"] == "node-2"]
    node = copy.deepcopy(api.get("Node", "", "node-2"))
    node["metadata"]["annotations"] = {KUBELET_STOPPED_ANNOTATION: rfc3339(clock.now())}
    api.update(node)
    cluster.settle()
    assert api.get("Node", "", "node-2")["status"]["conditions"][-1]["status"] == "True"

    clock.advance(50)  # node-monitor-grace-period
    cluster.settle()
    node = api.get("Node", "", "node-2")
    assert {c["status"] for c in node["status"]["conditions"]} == {"Unknown"}
    assert [(t["key"], t["effect"]) for t in node["spec"]["taints"]] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    ]
    pod = api.get("Pod", "default", victim["metadata"]["name"])
    ready = [c for c in pod["status"]["conditions"] if c["type"] == "Ready"]
    assert ready[0]["status"] == "False"

    clock.advance(299)
    cluster.settle()
    assert not api.get("Pod", "default", victim["metadata"]["name"])["metadata"].get(
        "deletionTimestamp"
    )
    clock.advance(2)  # past the 300 s toleration of unreachable:NoExecute
    cluster.settle()
    stuck = api.get("Pod", "default", victim["metadata"]["name"])
    assert stuck["metadata"]["deletionTimestamp"]  # Terminating on the dead node
    active = [p for p in api.list("Pod", "default") if not p["metadata"].get("deletionTimestamp")]
    assert len(active) == 3 and all(p["spec"]["nodeName"] != "node-2" for p in active)
    evictions = [
        e["message"] for e in api.list("Event", "default") if e["reason"] == "TaintManagerEviction"
    ]
    assert evictions == [f"Marking for deletion Pod default/{victim['metadata']['name']}"]

    node = copy.deepcopy(api.get("Node", "", "node-2"))
    del node["metadata"]["annotations"][KUBELET_STOPPED_ANNOTATION]
    api.update(node)
    cluster.settle()  # the kubelet is back: Ready, untainted, and it finishes the deletion
    node = api.get("Node", "", "node-2")
    assert node["status"]["conditions"][-1]["status"] == "True" and "taints" not in node["spec"]
    assert len(api.list("Pod", "default")) == 3
