"""StatefulSets, DaemonSets, the scheduler's node fit and the pod GC, with the whole manager on
a fake clock (every controller, the scheduler and the kubelet together)."""

from __future__ import annotations

import copy

import pytest

from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.models.meta import key_of
from controlplane.models.node_registration import registered_node


@pytest.fixture
def cluster() -> Cluster:
    return open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(3))


def container(image: str) -> list[dict]:
    return [{"name": "main", "image": image}]


def statefulset(replicas: int = 3) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "serviceName": "nginx",
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": container("nginx:1.14.2")},
            },
        },
    }


def daemonset(**pod_spec: object) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": {"containers": container("agent:v1"), **pod_spec},
            },
        },
    }


def pods(cluster: Cluster) -> dict[str, dict]:
    return {p["metadata"]["name"]: p for p in cluster.api.list("Pod", "default")}


def messages(cluster: Cluster, kind: str) -> list[str]:
    events = cluster.api.list("Event", "default")
    ordered = sorted(events, key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [e["message"] for e in ordered if e["involvedObject"]["kind"] == kind]


def edit(cluster: Cluster, kind: str, namespace: str, name: str, change: object) -> None:
    obj = copy.deepcopy(cluster.api.get(kind, namespace, name))
    change(obj)  # type: ignore[operator]
    cluster.api.update(obj)
    cluster.settle()


def test_a_statefulset_starts_its_pods_in_order_and_every_controller_settles(
    cluster: Cluster,
) -> None:
    cluster.api.create(statefulset())
    cluster.settle()
    assert messages(cluster, "StatefulSet") == [
        f"create Pod web-{i} in StatefulSet web successful" for i in range(3)
    ]
    running = pods(cluster)
    assert sorted(running) == ["web-0", "web-1", "web-2"]
    assert {p["status"]["phase"] for p in running.values()} == {"Running"}
    # Each pod is created only once the one before it has started (the kubelet's Started).
    events = sorted(
        cluster.api.list("Event", "default"), key=lambda e: int(e["metadata"]["resourceVersion"])
    )
    steps = [
        e["message"] if e["reason"] == "SuccessfulCreate" else f"{e['involvedObject']['name']} up"
        for e in events
        if e["reason"] in ("SuccessfulCreate", "Started")
    ]
    assert steps == [
        "create Pod web-0 in StatefulSet web successful",
        "web-0 up",
        "create Pod web-1 in StatefulSet web successful",
        "web-1 up",
        "create Pod web-2 in StatefulSet web successful",
        "web-2 up",
    ]
    cluster.api.create(daemonset())
    cluster.settle()
    # the test's own objects: kube-system's CoreDNS pods still await their readiness probes'
    # first results, due later on the fake clock
    everything = [
        key_of(obj)
        for kind in ("StatefulSet", "DaemonSet", "ControllerRevision", "Pod", "Node")
        for obj in cluster.api.list(kind, "default" if kind != "Node" else None)
    ]
    for controller in cluster.manager.controllers:
        with cluster.api.snapshot():
            assert controller.reconcile(everything) == [], controller.name


def test_deleting_a_statefulset_takes_its_pods_and_revisions(cluster: Cluster) -> None:
    cluster.api.create(statefulset(replicas=2))
    cluster.settle()
    assert len(cluster.api.list("ControllerRevision", "default")) == 1
    cluster.api.delete("StatefulSet", "default", "web", propagation="Background")
    cluster.settle()
    assert pods(cluster) == {} and cluster.api.list("ControllerRevision", "default") == []


def test_a_daemonset_follows_nodes_added_relabelled_and_removed(cluster: Cluster) -> None:
    cluster.api.create(daemonset(nodeSelector={"agent": "yes"}))
    cluster.settle()
    assert pods(cluster) == {}
    for node in ("node-1", "node-2"):
        edit(cluster, "Node", "", node, lambda n: n["metadata"]["labels"].update(agent="yes"))
    assert sorted(p["spec"]["nodeName"] for p in pods(cluster).values()) == ["node-1", "node-2"]
    fourth = registered_node("node-4", 3, cluster.api.clock.now())
    fourth["metadata"]["labels"]["agent"] = "yes"
    cluster.api.create(fourth)
    cluster.settle()
    on_four = [n for n, p in pods(cluster).items() if p["spec"]["nodeName"] == "node-4"]
    assert len(on_four) == 1
    # The scheduler bound it where the controller pinned it.
    assert any(m.endswith(f"{on_four[0]} to node-4") for m in messages(cluster, "Pod"))
    cluster.api.delete("Node", "", "node-4")
    cluster.settle()
    assert on_four[0] not in pods(cluster)
    edit(cluster, "Node", "", "node-2", lambda n: n["metadata"]["labels"].pop("agent"))
    assert [p["spec"]["nodeName"] for p in pods(cluster).values()] == ["node-1"]
    status = cluster.api.get("DaemonSet", "default", "agent")["status"]
    assert status["desiredNumberScheduled"] == status["numberAvailable"] == 1


def test_the_scheduler_binds_only_where_a_pod_fits(cluster: Cluster) -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": container("postgres:16"), "nodeSelector": {"disk": "ssd"}},
            },
        },
    }
    edit(cluster, "Node", "", "node-1", lambda n: n["spec"].update(unschedulable=True))
    cluster.api.create(deployment)
    cluster.settle()
    assert {p["status"]["phase"] for p in pods(cluster).values()} == {"Pending"}
    for node in ("node-1", "node-3"):
        edit(cluster, "Node", "", node, lambda n: n["metadata"]["labels"].update(disk="ssd"))
    assert {p["spec"].get("nodeName") for p in pods(cluster).values()} == {"node-3"}
    assert {p["status"]["phase"] for p in pods(cluster).values()} == {"Running"}


def test_pods_of_a_removed_node_are_collected_and_replaced(cluster: Cluster) -> None:
    cluster.api.create(statefulset(replicas=3))
    cluster.settle()
    victim = next(n for n, p in pods(cluster).items() if p["spec"]["nodeName"] == "node-2")
    old_uid = pods(cluster)[victim]["metadata"]["uid"]
    cluster.api.delete("Node", "", "node-2")
    cluster.settle()
    replaced = pods(cluster)[victim]
    assert replaced["metadata"]["uid"] != old_uid and replaced["spec"]["nodeName"] != "node-2"
