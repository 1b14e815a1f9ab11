"""The manager's informer across passes, when another process writes in between: like the
daemon, one Cluster settles again and again, and must act on the store, not on its memory."""

from __future__ import annotations

from pathlib import Path

from controlplane.bootstrap import open_api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from tests.scenarios.test_control_plane import deployment


def running(cluster: Cluster) -> list[str]:
    return [
        p["metadata"]["name"]
        for p in cluster.api.list("Pod", "default")
        if p["status"].get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")
    ]


def test_pods_deleted_and_a_replicaset_scaled_by_another_process_are_acted_on(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    clock = FakeClock()
    cluster = open_cluster(url, clock=clock, ids=SeededIds(1))
    cluster.api.create(deployment(replicas=3))
    cluster.settle()  # the informer now holds the pods, the ReplicaSet and the nodes
    before = running(cluster)
    assert len(before) == 3

    other = open_api(url, clock=clock, ids=SeededIds(2))
    other.delete("Pod", "default", before[0], grace_period_seconds=0)
    cluster.settle()
    after = running(cluster)
    assert len(after) == 3 and before[0] not in after

    scaled = other.get("Deployment", "default", "web")
    scaled["spec"]["replicas"] = 5
    other.update(scaled)
    cluster.settle()
    assert len(running(cluster)) == 5
    rs = cluster.api.list("ReplicaSet", "default")[0]
    assert rs["status"]["readyReplicas"] == 5
