"""Recreate (recreate.go): every old pod is gone before the new RS gets any."""

from __future__ import annotations

import pytest
from deployment_fixtures import Cluster, deployment, event_messages, of_kind

from controlplane.controllers.deployment.recreate import old_pods_running
from controlplane.models.meta import name_of, uid_of
from controlplane.runtime.actions import Create, Update


def _pod(phase: str, terminating: bool = False) -> dict[str, object]:
    metadata: dict[str, object] = {"name": "p"}
    if terminating:
        metadata["deletionTimestamp"] = "2023-11-14T22:13:20Z"
    return {"kind": "Pod", "metadata": metadata, "status": {"phase": phase}}


def test_recreate_scales_old_down_waits_for_pods_then_creates_new() -> None:
    cluster = Cluster(deployment(replicas=3, strategy="Recreate"))
    assert cluster.run_until_settled()[0].endswith("from 0 to 3")
    old = cluster.rs_by_image("nginx:1.14.2")
    cluster.pods_by_rs_uid = {uid_of(old): [_pod("Running") for _ in range(3)]}
    cluster.set_image("nginx:1.16.1")

    # 1: every active old RS to 0, nothing created yet
    actions = cluster.sync()
    assert [type(a) for a in actions if isinstance(a, Create | Update)] == [Update]
    assert event_messages(actions) == [f"Scaled down replica set {name_of(old)} from 3 to 0"]

    # 2: the old RS still reports pods: wait
    assert of_kind(cluster.sync(), Create) == []

    # 3: the RS no longer counts them, but they are still terminating: wait
    cluster.settle()
    cluster.pods_by_rs_uid = {uid_of(old): [_pod("Running", terminating=True)]}
    assert of_kind(cluster.sync(), Create) == []

    # 4: only finished pods are left: create the new RS at full size
    cluster.pods_by_rs_uid = {uid_of(old): [_pod("Succeeded"), _pod("Failed")]}
    actions = cluster.sync()
    (create,) = of_kind(actions, Create)
    assert create.obj["spec"]["replicas"] == 3
    assert event_messages(actions) == [f"Scaled up replica set {name_of(create.obj)} from 0 to 3"]
    cluster.pods_by_rs_uid = {}
    cluster.run_until_settled()
    assert cluster.sizes() == {name_of(old): 0, name_of(create.obj): 3}
    assert cluster.d["status"]["availableReplicas"] == 3
    assert cluster.sync() == []


@pytest.mark.parametrize(
    ("status_replicas", "phases", "running"),
    [
        (1, [], True),
        (0, ["Running"], True),
        (0, ["Pending"], True),
        (0, ["Unknown"], True),
        (0, ["Succeeded", "Failed"], False),
        (0, [], False),
    ],
)
def test_old_pods_running(status_replicas: int, phases: list[str], running: bool) -> None:
    old = {"metadata": {"name": "old", "uid": "old-uid"}, "status": {"replicas": status_replicas}}
    new = {"metadata": {"name": "new", "uid": "new-uid"}, "status": {"replicas": 3}}
    pods = {"old-uid": [_pod(p) for p in phases], "new-uid": [_pod("Running")]}
    assert old_pods_running(new, [old], pods) is running
