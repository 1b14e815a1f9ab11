"""Control-plane scenarios on a fake clock: the whole manager, no sleeps, no subprocesses."""

from __future__ import annotations

import copy

import pytest

from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.models.meta import key_of


@pytest.fixture
def cluster() -> Cluster:
    return open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(42))


def deployment(replicas: int = 3, image: str = "nginx:1.14.2", **spec: object) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
            **spec,
        },
    }


def names(cluster: Cluster, kind: str) -> list[str]:
    return [o["metadata"]["name"] for o in cluster.api.list(kind, "default")]


def pods(cluster: Cluster) -> list[dict]:
    return cluster.api.list("Pod", "default")


def events(cluster: Cluster, reason: str) -> list[str]:
    return [e["message"] for e in cluster.api.list("Event", "default") if e["reason"] == reason]


def set_image(cluster: Cluster, image: str) -> None:
    live = copy.deepcopy(cluster.api.get("Deployment", "default", "web"))
    live["spec"]["template"]["spec"]["containers"][0]["image"] = image
    cluster.api.update(live)
    cluster.settle()


def test_a_deployment_becomes_a_replicaset_and_running_pods_spread_over_nodes(
    cluster: Cluster,
) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    (rs,) = cluster.api.list("ReplicaSet", "default")
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert rs["status"]["readyReplicas"] == 3
    running = pods(cluster)
    assert len(running) == 3
    assert {p["status"]["phase"] for p in running} == {"Running"}
    assert {p["spec"]["nodeName"] for p in running} == {"node-1", "node-2", "node-3"}
    assert all(p["metadata"]["name"].startswith(rs["metadata"]["name"] + "-") for p in running)
    status = cluster.api.get("Deployment", "default", "web")["status"]
    assert (status["replicas"], status["updatedReplicas"], status["availableReplicas"]) == (3, 3, 3)
    assert events(cluster, "ScalingReplicaSet") == [
        f"Scaled up replica set {rs['metadata']['name']} from 0 to 3"
    ]
    assert len(events(cluster, "SuccessfulCreate")) == 3
    assert len(events(cluster, "Scheduled")) == 3


def test_a_settled_cluster_reconciles_to_no_actions_in_every_controller(cluster: Cluster) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    # the test's own objects: kube-system's CoreDNS pods still await their readiness probes'
    # first results, due later on the fake clock
    everything = [
        key_of(obj)
        for kind in ("Deployment", "ReplicaSet", "Pod", "Node")
        for obj in cluster.api.list(kind, "default" if kind != "Node" else None)
    ]
    for controller in cluster.manager.controllers:
        keys = [k for k in everything if k.kind in ("Deployment", "ReplicaSet", "Pod")]
        assert controller.reconcile(keys) == [], controller.name


def test_a_deleted_pod_is_replaced(cluster: Cluster) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    victim = names(cluster, "Pod")[0]
    cluster.api.delete("Pod", "default", victim)
    cluster.settle()
    after = names(cluster, "Pod")
    assert len(after) == 3 and victim not in after
    assert len(events(cluster, "SuccessfulCreate")) == 4
    assert len(events(cluster, "Killing")) == 1


def test_an_image_change_rolls_to_a_new_replicaset_and_undo_reuses_the_old(
    cluster: Cluster,
) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    (first,) = names(cluster, "ReplicaSet")
    set_image(cluster, "nginx:1.16.1")
    sets = {rs["metadata"]["name"]: rs for rs in cluster.api.list("ReplicaSet", "default")}
    (second,) = set(sets) - {first}
    assert sets[first]["spec"]["replicas"] == 0 and sets[second]["spec"]["replicas"] == 3
    assert {p["spec"]["containers"][0]["image"] for p in pods(cluster)} == {"nginx:1.16.1"}
    scaling = events(cluster, "ScalingReplicaSet")
    assert scaling[1] == f"Scaled up replica set {second} from 0 to 1"
    assert scaling[-1] == f"Scaled down replica set {first} from 1 to 0"
    set_image(cluster, "nginx:1.14.2")  # what `rollout undo` writes
    sets = {rs["metadata"]["name"]: rs for rs in cluster.api.list("ReplicaSet", "default")}
    assert set(sets) == {first, second}
    annotations = sets[first]["metadata"]["annotations"]
    assert annotations["deployment.kubernetes.io/revision"] == "3"
    assert annotations["deployment.kubernetes.io/revision-history"] == "1"
    deployment_annotations = cluster.api.get("Deployment", "default", "web")["metadata"][
        "annotations"
    ]
    assert deployment_annotations["deployment.kubernetes.io/revision"] == "3"


def test_background_delete_cascades_through_replicasets_to_pods(cluster: Cluster) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    cluster.api.delete("Deployment", "default", "web", propagation="Background")
    cluster.settle()
    assert (names(cluster, "ReplicaSet"), names(cluster, "Pod")) == ([], [])


def test_foreground_delete_waits_for_dependents(cluster: Cluster) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    marked = cluster.api.delete("Deployment", "default", "web", propagation="Foreground")
    assert marked["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert names(cluster, "Deployment") == ["web"]  # still there until the collector is done
    cluster.settle()
    assert (names(cluster, "Deployment"), names(cluster, "ReplicaSet"), names(cluster, "Pod")) == (
        [],
        [],
        [],
    )


def test_orphan_delete_keeps_the_replicaset_and_a_new_deployment_adopts_it(
    cluster: Cluster,
) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    before = names(cluster, "Pod")
    cluster.api.delete("Deployment", "default", "web", propagation="Orphan")
    cluster.settle()
    (rs,) = cluster.api.list("ReplicaSet", "default")
    assert names(cluster, "Deployment") == [] and "ownerReferences" not in rs["metadata"]
    assert names(cluster, "Pod") == before
    cluster.api.create(deployment())
    cluster.settle()
    (adopted,) = cluster.api.list("ReplicaSet", "default")
    owner = cluster.api.get("Deployment", "default", "web")
    assert adopted["metadata"]["ownerReferences"][0]["uid"] == owner["metadata"]["uid"]
    assert names(cluster, "Pod") == before  # the same pods: nothing was recreated


def test_a_matching_orphan_pod_is_adopted_and_a_relabelled_pod_released(
    cluster: Cluster,
) -> None:
    cluster.api.create(deployment(replicas=2))
    cluster.settle()
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "stray",
                "labels": {"app": "web", "pod-template-hash": _hash(cluster)},
            },
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
        }
    )
    cluster.settle()
    assert len(pods(cluster)) == 2  # adopted, so the ReplicaSet had one too many and deleted one
    relabelled = copy.deepcopy(pods(cluster)[0])
    relabelled["metadata"]["labels"] = {"app": "debug"}
    cluster.api.update(relabelled)
    cluster.settle()
    released = cluster.api.get("Pod", "default", relabelled["metadata"]["name"])
    assert (
        "ownerReferences" not in released["metadata"] or not released["metadata"]["ownerReferences"]
    )
    assert len([p for p in pods(cluster) if p["metadata"]["labels"].get("app") == "web"]) == 2


def _hash(cluster: Cluster) -> str:
    (rs,) = cluster.api.list("ReplicaSet", "default")
    return str(rs["metadata"]["labels"]["pod-template-hash"])


def test_min_ready_seconds_delays_availability_on_the_clock(cluster: Cluster) -> None:
    clock = cluster.api.clock
    assert isinstance(clock, FakeClock)
    cluster.api.create(deployment(minReadySeconds=10))
    cluster.settle()
    status = cluster.api.get("Deployment", "default", "web")["status"]
    assert status["readyReplicas"] == 3 and status.get("availableReplicas", 0) == 0
    clock.advance(12)
    cluster.settle()
    status = cluster.api.get("Deployment", "default", "web")["status"]
    assert status["availableReplicas"] == 3


def test_the_next_manager_continues_from_the_saved_cursor(cluster: Cluster) -> None:
    cluster.api.create(deployment())
    cluster.settle()
    follower = Cluster(cluster.api)
    assert follower.settle() == 0  # nothing new since the last run
    cluster.api.delete("Pod", "default", names(cluster, "Pod")[0])
    assert follower.settle() > 0
    assert len(pods(cluster)) == 3


def test_scaling_down_removes_the_youngest_pods_first(cluster: Cluster) -> None:
    """Three old pods, one per node; three young ones join them; scaling back keeps the old.

    (With uneven nodes Kubernetes first removes pods from the most crowded node, rule 5 of
    ActivePodsWithRanks, so the test keeps the nodes even.)
    """
    clock = cluster.api.clock
    assert isinstance(clock, FakeClock)
    cluster.api.create(deployment(replicas=3))
    cluster.settle()
    old = set(names(cluster, "Pod"))
    clock.advance(3600)
    for replicas in (6, 3):
        live = copy.deepcopy(cluster.api.get("Deployment", "default", "web"))
        live["spec"]["replicas"] = replicas
        cluster.api.update(live)
        cluster.settle()
    assert set(names(cluster, "Pod")) == old


def test_deleting_a_namespace_deletes_everything_in_it_then_the_namespace(
    cluster: Cluster,
) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    shop = deployment()
    shop["metadata"]["namespace"] = "shop"
    cluster.api.create(shop)
    cluster.api.create(deployment())  # the same name in default is untouched
    cluster.settle()
    assert len(cluster.api.list("Pod", "shop")) == 3
    cluster.api.delete("Namespace", "", "shop", propagation="Background")
    cluster.settle()
    assert [n["metadata"]["name"] for n in cluster.api.list("Namespace")] == [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
    ]
    for kind in ("Deployment", "ReplicaSet", "Pod", "Event"):
        assert cluster.api.list(kind, "shop") == [], kind
    assert len(pods(cluster)) == 3


def test_a_namespace_waits_for_content_held_by_a_finalizer(cluster: Cluster) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    held = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "held", "namespace": "shop", "finalizers": ["example.com/hold"]},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    cluster.api.create(held)
    cluster.settle()
    cluster.api.delete("Namespace", "", "shop")
    cluster.settle()
    namespace = cluster.api.get("Namespace", "", "shop")
    assert namespace["status"]["phase"] == "Terminating"
    remaining = {c["type"]: c for c in namespace["status"]["conditions"]}
    assert remaining["NamespaceContentRemaining"]["message"] == (
        "Some resources are remaining: pods. has 1 resource instances"
    )
    assert remaining["NamespaceFinalizersRemaining"]["message"] == (
        "Some finalizers are remaining: example.com/hold in 1 resource instances"
    )
    released = copy.deepcopy(cluster.api.get("Pod", "shop", "held"))
    del released["metadata"]["finalizers"]
    cluster.api.update(released)
    cluster.settle()
    assert "shop" not in [n["metadata"]["name"] for n in cluster.api.list("Namespace")]
