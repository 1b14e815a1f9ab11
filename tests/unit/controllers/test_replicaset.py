"""The ReplicaSet controller's choices, one table each: which pods a scale-down deletes first
(upstream pkg/controller/controller_utils.go ActivePodsWithRanks), the status it writes
(replica_set_utils.go calculateStatus), and one sync's writes."""

from __future__ import annotations

from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import rfc3339
from controlplane.controllers.replicaset import (
    ReplicaSetController,
    calculate_status,
    pods_to_delete,
)
from controlplane.models.constants import POD_DELETION_COST_ANNOTATION, Obj
from controlplane.runtime.actions import Create, Delete, Update, UpdateStatus

NOW = 1_700_000_000.0
RS_UID = "rs-uid"


def pod(
    name: str,
    *,
    node: str | None = "node-1",
    phase: str = "Running",
    ready: bool = True,
    ready_since: float = NOW - 3600,
    created: float = NOW - 3600,
    restarts: int = 0,
    cost: int | None = None,
    labels: dict[str, str] | None = None,
) -> Obj:
    annotations = {POD_DELETION_COST_ANNOTATION: str(cost)} if cost is not None else {}
    status: dict[str, Any] = {
        "phase": phase,
        "conditions": [
            {
                "type": "Ready",
                "status": "True" if ready else "False",
                "lastTransitionTime": rfc3339(ready_since),
            }
        ],
        "containerStatuses": [{"name": "app", "restartCount": restarts}],
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "creationTimestamp": rfc3339(created),
            "labels": {"app": "web"} if labels is None else labels,
            "annotations": annotations,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web",
                    "uid": RS_UID,
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {"nodeName": node} if node else {},
        "status": status,
    }


def replica_set(replicas: int, *, min_ready: int = 0, generation: int = 3) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": RS_UID,
            "generation": generation,
            "creationTimestamp": rfc3339(NOW - 7200),
        },
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "nginx"}]},
            },
        },
    }


# Each row: two pods that differ in one rank key; the first is deleted before the second.
RANKING = [
    ("unscheduled before scheduled", pod("a", node=None, phase="Pending"), pod("b")),
    ("Pending before Running", pod("a", phase="Pending"), pod("b")),
    ("Unknown before Running", pod("a", phase="Unknown"), pod("b")),
    ("not ready before ready", pod("a", ready=False), pod("b")),
    ("lower deletion cost first", pod("a", cost=-5), pod("b", cost=10)),
    ("doubled-up on a node first", pod("a", node="busy"), pod("b", node="quiet")),
    ("ready more recently first", pod("a", ready_since=NOW - 10), pod("b")),
    ("more restarts first", pod("a", restarts=4), pod("b")),
    ("created more recently first", pod("a", created=NOW - 10), pod("b")),
]


@pytest.mark.parametrize(
    ("first", "second"), [(f, s) for _, f, s in RANKING], ids=[r[0] for r in RANKING]
)
def test_a_scale_down_deletes_the_lower_ranked_pod_first(first: Obj, second: Obj) -> None:
    related = [first, second, pod("c", node="busy")]
    for order in ([first, second], [second, first]):
        assert pods_to_delete(order, 1, related, NOW) == [first]


def test_ages_in_the_same_power_of_two_bucket_fall_back_to_the_uid() -> None:
    # LogarithmicScaleDown: 1000 s and 1001 s old are in one log2 bucket.
    older, newer = pod("b", created=NOW - 1001), pod("a", created=NOW - 1000)
    assert pods_to_delete([older, newer], 1, [], NOW) == [newer]  # uid-a < uid-b
    assert pods_to_delete([newer, older], 1, [], NOW) == [newer]


def test_deleting_as_many_as_there_are_takes_them_all_in_their_order() -> None:
    pods = [pod("a"), pod("b", ready=False)]
    assert pods_to_delete(pods, 5, pods, NOW) == pods


STATUS = [
    ("no pods: only replicas, zero", replica_set(2), [], {"replicas": 0, "observedGeneration": 3}),
    (
        "ready pods are available without minReadySeconds",
        replica_set(2),
        [pod("a"), pod("b", ready=False)],
        {
            "replicas": 2,
            "fullyLabeledReplicas": 2,
            "readyReplicas": 1,
            "availableReplicas": 1,
            "observedGeneration": 3,
        },
    ),
    (
        "ready for less than minReadySeconds is not available",
        replica_set(2, min_ready=60),
        [pod("a", ready_since=NOW - 10), pod("b", ready_since=NOW - 120)],
        {
            "replicas": 2,
            "fullyLabeledReplicas": 2,
            "readyReplicas": 2,
            "availableReplicas": 1,
            "observedGeneration": 3,
        },
    ),
    (
        "a pod missing a template label is not fully labeled",
        replica_set(1),
        [pod("a", labels={"other": "x"})],
        {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "observedGeneration": 3},
    ),
]


@pytest.mark.parametrize(
    ("rs", "active", "expected"), [r[1:] for r in STATUS], ids=[r[0] for r in STATUS]
)
def test_status_counts_the_active_pods(rs: Obj, active: list[Obj], expected: Obj) -> None:
    assert calculate_status(rs, active, NOW) == expected


SYNCS = [
    ("too few: creates the difference", 3, [pod("a")], 2, 0),
    ("too many: deletes the difference", 1, [pod("a"), pod("b"), pod("c")], 0, 2),
    ("just right: neither", 2, [pod("a"), pod("b")], 0, 0),
]


@pytest.mark.parametrize(
    ("replicas", "pods", "creates", "deletes"),
    [r[1:] for r in SYNCS],
    ids=[r[0] for r in SYNCS],
)
def test_a_sync_creates_or_deletes_pods_to_reach_spec_replicas(
    api: Api, replicas: int, pods: list[Obj], creates: int, deletes: int
) -> None:
    controller = ReplicaSetController(
        api, api.clock, api.ids
    )  # the store is empty: the pods are the arguments
    actions = controller.sync_replica_set(replica_set(replicas), pods, NOW)
    assert sum(isinstance(a, Create) for a in actions) == creates
    assert sum(isinstance(a, Delete) for a in actions) == deletes
    (status,) = [a for a in actions if isinstance(a, UpdateStatus)]
    assert status.obj["status"]["replicas"] == len(pods)


def status_of(actions: list[Any]) -> Obj:
    (update,) = [a for a in actions if isinstance(a, UpdateStatus)]
    return update.obj["status"]  # type: ignore[no-any-return]


def test_syncs_in_a_row_follow_each_pods_new_version(api: Api) -> None:
    """The facts a sync keeps per pod (`PerObject`) follow each pod's new version: a pod
    that turns ready, one whose labels stop matching (released), one controlled by another
    owner, one deleted, and an orphan that appears (adopted)."""
    controller = ReplicaSetController(api, api.clock, api.ids)
    rs = replica_set(4)
    pods = [pod("a"), pod("b", ready=False), pod("c"), pod("d")]
    first = controller.sync_replica_set(rs, pods, NOW)
    assert status_of(first)["readyReplicas"] == 3
    unready = pod("b")
    relabeled = pod("c", labels={"app": "other"})
    taken = pod("d")
    taken["metadata"]["ownerReferences"][0]["uid"] = "another-rs"
    orphan = pod("e")
    del orphan["metadata"]["ownerReferences"]
    actions = controller.sync_replica_set(rs, [pods[0], unready, relabeled, taken, orphan], NOW)
    updates = {a.obj["metadata"]["name"]: a.obj for a in actions if isinstance(a, Update)}
    assert set(updates) == {"c", "e"}
    assert updates["c"]["metadata"]["ownerReferences"] == []  # released
    assert updates["e"]["metadata"]["ownerReferences"][0]["uid"] == RS_UID  # adopted
    assert sum(isinstance(a, Create) for a in actions) == 1  # a, b, e: one short of 4
    assert status_of(actions)["readyReplicas"] == 3
    assert status_of(actions)["replicas"] == 3
    gone = controller.sync_replica_set(rs, [pods[0]], NOW)  # the rest deleted
    assert status_of(gone)["replicas"] == 1
    assert sum(isinstance(a, Create) for a in gone) == 3


def test_a_new_selector_claims_again_from_scratch(api: Api) -> None:
    controller = ReplicaSetController(api, api.clock, api.ids)
    pods = [pod("a"), pod("b")]
    assert status_of(controller.sync_replica_set(replica_set(2), pods, NOW))["replicas"] == 2
    narrowed = replica_set(2)
    narrowed["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "front"}}
    actions = controller.sync_replica_set(narrowed, pods, NOW)
    assert status_of(actions)["replicas"] == 0  # both released, two created
    assert sum(isinstance(a, Update) for a in actions) == 2
