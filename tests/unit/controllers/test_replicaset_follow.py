"""A warm controller process heals from the informer's pod changes (`Informer.follow`): the
ReplicaSet and the scheduler take the changed pods, never the whole list again, and come to
what a full count of the pods says."""

from __future__ import annotations

from collections import Counter

import pytest

from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.controllers.replicaset import ReplicaSetController
from controlplane.ids import SeededIds
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import uid_of
from controlplane.runtime.derived import Totals

NOW = 1_700_000_000.0
REPLICAS = 6


def deployment() -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": REPLICAS,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }


@pytest.fixture
def cluster(monkeypatch: pytest.MonkeyPatch) -> Cluster:
    """A settled cluster of three nodes and six pods, whose controllers then may not list the
    pods again: the ReplicaSet's full sync and the scheduler's walk of every pod fail."""
    cluster = open_cluster("sqlite://", clock=FakeClock(NOW), ids=SeededIds(3))
    cluster.api.create(deployment())
    cluster.settle()

    def listed(*args: object) -> None:
        pytest.fail("listed every pod again")

    monkeypatch.setattr(ReplicaSetController, "sync_replica_set", listed)
    monkeypatch.setattr(Totals, "over", listed)
    return cluster


def web_pods(cluster: Cluster) -> list[Obj]:
    return cluster.api.list(Kind.POD, "default", label_selector="app=web")


def replica_set(cluster: Cluster) -> Obj:
    (rs,) = cluster.api.list(Kind.REPLICA_SET, "default")
    return rs


def full_count_changes_nothing(cluster: Cluster) -> bool:
    """A new ReplicaSet controller, counting from a list of the pods, finds nothing to write:
    the followed counts were the full count's."""
    rs, api = replica_set(cluster), cluster.api
    pods = api.list(Kind.POD, "default", controller_uid=uid_of(rs), include_orphans=True)
    fresh = ReplicaSetController(api, api.clock, api.ids)
    return fresh.sync_replica_set(rs, pods, NOW) == []


def test_a_deleted_pod_is_replaced_and_placed_where_its_owner_has_fewest(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = web_pods(cluster)
    assert Counter(p["spec"]["nodeName"] for p in before) == {
        "node-1": 2,
        "node-2": 2,
        "node-3": 2,
    }
    victim = before[0]
    cluster.api.delete(Kind.POD, "default", victim["metadata"]["name"])
    cluster.settle()
    after = web_pods(cluster)
    assert len(after) == REPLICAS
    assert all(p["status"]["phase"] == "Running" for p in after)
    (replacement,) = [
        p for p in after if p["metadata"]["name"] not in {q["metadata"]["name"] for q in before}
    ]
    assert replacement["spec"]["nodeName"] == victim["spec"]["nodeName"]
    status = replica_set(cluster)["status"]
    assert status["replicas"] == status["readyReplicas"] == REPLICAS
    monkeypatch.undo()
    assert full_count_changes_nothing(cluster)


def test_an_orphan_that_appears_is_adopted_and_the_surplus_removed(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = deployment()["spec"]["template"]
    rs = replica_set(cluster)
    labels = rs["spec"]["template"]["metadata"]["labels"]
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stray", "namespace": "default", "labels": labels},
            "spec": template["spec"],
        }
    )
    cluster.settle()
    pods = web_pods(cluster)
    assert len(pods) == REPLICAS
    owners = {p["metadata"]["ownerReferences"][0]["uid"] for p in pods}
    assert owners == {uid_of(rs)}
    status = replica_set(cluster)["status"]
    assert status["replicas"] == REPLICAS
    monkeypatch.undo()
    assert full_count_changes_nothing(cluster)
