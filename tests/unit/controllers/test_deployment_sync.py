"""Scaling, proportional scaling, paused Deployments, revisions, cleanup and ownership."""

from __future__ import annotations

import copy

import pytest
from deployment_fixtures import (
    DEPLOY_UID,
    NOW,
    Cluster,
    deployment,
    event_messages,
    of_kind,
)

from controlplane.controllers.deployment import sync_deployment
from controlplane.controllers.deployment.sync import (
    check_paused_conditions,
    cleanup_deployment,
    go_round,
)
from controlplane.controllers.deployment.util import set_new_replica_set_annotations
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.conditions import get_condition
from controlplane.models.constants import DEPLOYMENT_CONTROLLER
from controlplane.models.meta import name_of
from controlplane.models.revisions import last_revision, revision_of, template_without_hash
from controlplane.runtime.actions import Create, Delete, RecordEvent, Update, UpdateStatus

REVISION = "deployment.kubernetes.io/revision"
HISTORY = "deployment.kubernetes.io/revision-history"


def _settled(replicas: int = 3, **kwargs: object) -> Cluster:
    cluster = Cluster(deployment(replicas=replicas, **kwargs))  # type: ignore[arg-type]
    cluster.run_until_settled()
    return cluster


# --- scaling (sync.go scale) ---


def test_scaling_a_settled_deployment_scales_its_only_replica_set() -> None:
    cluster = _settled(3)
    (rs,) = cluster.rss
    cluster.change_spec(replicas=5)
    actions = cluster.sync()
    (update,) = of_kind(actions, Update)
    assert update.obj["spec"]["replicas"] == 5
    assert update.obj["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "5"
    assert update.obj["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "7"
    assert event_messages(actions) == [f"Scaled up replica set {rs} from 3 to 5"]
    cluster.run_until_settled()
    assert cluster.sizes() == {rs: 5}
    assert cluster.d["metadata"]["annotations"][REVISION] == "1"  # scaling is no new revision


def test_proportional_scaling_mid_rollout() -> None:
    """Reference 3.6: old 8 + new 5 (max-replicas 13), R 10 -> 15: old 11, new 7.

    maxSurge is the absolute 3 there: 25% of 15 would be 4, giving 12 and 7 instead.
    """
    cluster = _settled(10, max_surge=3, max_unavailable=2)
    old = name_of(cluster.rs_by_image("nginx:1.14.2"))
    cluster.set_image("nginx:1.16.1")
    cluster.sync()  # new RS at 3, old down to 8
    new = name_of(cluster.rs_by_image("nginx:1.16.1"))
    cluster.settle(available=False)
    cluster.sync()  # new RS to 5
    cluster.settle(available=False)
    assert cluster.sizes() == {old: 8, new: 5}
    cluster.change_spec(replicas=15)
    actions = cluster.sync()
    assert event_messages(actions) == [
        f"Scaled up replica set {old} from 8 to 11",
        f"Scaled up replica set {new} from 5 to 7",
    ]
    for update in of_kind(actions, Update):
        annotations = update.obj["metadata"]["annotations"]
        assert annotations["deployment.kubernetes.io/desired-replicas"] == "15"
        assert annotations["deployment.kubernetes.io/max-replicas"] == "18"
    # and back down to 10: allowed 13, toAdd -5, largest first, ties oldest first
    cluster.settle(available=False)
    cluster.change_spec(replicas=10)
    assert event_messages(cluster.sync()) == [
        f"Scaled down replica set {old} from 11 to 8",
        f"Scaled down replica set {new} from 7 to 5",
    ]


def test_scaling_to_zero_empties_every_active_replica_set() -> None:
    cluster = _settled(10)
    cluster.set_image("nginx:1.16.1")
    cluster.sync()
    cluster.settle(available=False)
    cluster.change_spec(replicas=0)
    cluster.sync()
    assert set(cluster.sizes().values()) == {0}


@pytest.mark.parametrize(
    ("value", "expected"), [(6.5, 7), (11.08, 11), (6.92, 7), (2.5, 3), (0.49, 0)]
)
def test_go_rounding_rounds_halves_up(value: float, expected: int) -> None:
    assert go_round(value) == expected


def test_saturated_new_replica_set_scales_old_ones_to_zero() -> None:
    cluster = _settled(3)
    old = cluster.rs_by_image("nginx:1.14.2")
    cluster.set_image("nginx:1.16.1")
    cluster.sync()
    new = cluster.rs_by_image("nginx:1.16.1")
    # The new RS already runs all 3 replicas, available (say, it was adopted that way),
    # and the old RS's desired-replicas annotation is stale: a scaling event.
    new["spec"]["replicas"] = 3
    cluster.settle(names=[name_of(new)])
    old["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] = "2"
    assert event_messages(cluster.sync()) == [f"Scaled down replica set {name_of(old)} from 3 to 0"]


# --- paused (sync.go sync) ---


def test_paused_deployment_scales_but_does_not_roll_out() -> None:
    cluster = _settled(3)
    (rs,) = cluster.rss
    cluster.change_spec(paused=True)
    actions = cluster.sync()
    status = of_kind(actions, UpdateStatus)[0].obj["status"]
    progressing = get_condition(status, "Progressing")
    assert progressing is not None
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    cluster.set_image("nginx:1.16.1")
    cluster.change_spec(replicas=5)
    actions = cluster.sync()
    assert of_kind(actions, Create) == []
    assert event_messages(actions) == [f"Scaled up replica set {rs} from 3 to 5"]
    cluster.run_until_settled()
    assert list(cluster.rss) == [rs]
    assert cluster.d["metadata"]["annotations"][REVISION] == "1"

    cluster.change_spec(paused=False)
    actions = cluster.sync()
    assert len(of_kind(actions, Create)) == 1
    cluster.run_until_settled()
    progressing = get_condition(cluster.d["status"], "Progressing")
    assert progressing is not None and progressing["reason"] == "NewReplicaSetAvailable"
    assert cluster.d["metadata"]["annotations"][REVISION] == "2"


@pytest.mark.parametrize(
    ("paused", "current", "expected"),
    [
        (True, None, ("Unknown", "DeploymentPaused", "Deployment is paused")),
        (False, "DeploymentPaused", ("Unknown", "DeploymentResumed", "Deployment is resumed")),
        (True, "ProgressDeadlineExceeded", ("False", "ProgressDeadlineExceeded", "t")),
        (True, "DeploymentPaused", ("Unknown", "DeploymentPaused", "t")),
        (False, "NewReplicaSetAvailable", ("True", "NewReplicaSetAvailable", "t")),
    ],
)
def test_check_paused_conditions(
    paused: bool, current: str | None, expected: tuple[str, str, str]
) -> None:
    status = {}
    if current is not None:
        cond_status = {"DeploymentPaused": "Unknown", "ProgressDeadlineExceeded": "False"}
        condition = {
            "type": "Progressing",
            "status": cond_status.get(current, "True"),
            "reason": current,
            "message": "t",
        }
        status = {"conditions": [condition]}
    plan = SyncWrites(deployment(paused=paused, status=status), DEPLOYMENT_CONTROLLER, NOW)
    check_paused_conditions(plan)
    progressing = get_condition(plan.draft.get("status"), "Progressing")
    assert progressing is not None
    assert (progressing["status"], progressing["reason"], progressing["message"]) == expected


def test_no_paused_condition_without_a_progress_deadline() -> None:
    plan = SyncWrites(deployment(paused=True, progress_deadline=None), DEPLOYMENT_CONTROLLER, NOW)
    check_paused_conditions(plan)
    assert plan.actions() == []


# --- revisions (sync.go getNewReplicaSet) ---


def _undo(cluster: Cluster, to_revision: int = 0) -> None:
    """kubectl rollout undo: the target RS's template, without its hash label."""
    rss = list(cluster.rss.values())
    wanted = to_revision or last_revision(rss)
    (target,) = [rs for rs in rss if revision_of(rs) == wanted]
    cluster.change_spec(template=template_without_hash(target["spec"]["template"]))


def test_revision_numbers_through_set_image_and_undo() -> None:
    cluster = _settled(3)
    images = {"nginx:1.14.2": "A", "nginx:1.16.1": "B", "nginx:1.17.0": "C"}

    def revisions() -> dict[str, tuple[int, str | None]]:
        found = {}
        for image, label in images.items():
            rs = [r for r in cluster.rss.values() if image in str(r["spec"]["template"])]
            if rs:
                found[label] = (revision_of(rs[0]), rs[0]["metadata"]["annotations"].get(HISTORY))
        return found

    def step(change: object) -> tuple[dict[str, tuple[int, str | None]], str]:
        if isinstance(change, str):
            cluster.set_image(change)
        else:
            _undo(cluster, int(change))  # type: ignore[call-overload]
        cluster.run_until_settled()
        return revisions(), cluster.d["metadata"]["annotations"][REVISION]

    assert revisions() == {"A": (1, None)}
    assert step("nginx:1.16.1") == ({"A": (1, None), "B": (2, None)}, "2")
    assert step("nginx:1.17.0") == ({"A": (1, None), "B": (2, None), "C": (3, None)}, "3")
    assert step(0) == ({"A": (1, None), "B": (4, "2"), "C": (3, None)}, "4")
    assert step(0) == ({"A": (1, None), "B": (4, "2"), "C": (5, "3")}, "5")
    assert step(1) == ({"A": (6, "1"), "B": (4, "2"), "C": (5, "3")}, "6")
    assert sorted(revision_of(rs) for rs in cluster.rss.values()) == [4, 5, 6]


def test_deployment_annotations_are_copied_to_the_new_replica_set() -> None:
    cluster = _settled(3)
    cluster.d["metadata"]["annotations"]["kubernetes.io/change-cause"] = "set image"
    cluster.d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = "{}"
    (update,) = of_kind(cluster.sync(), Update)
    annotations = update.obj["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == "set image"
    assert "kubectl.kubernetes.io/last-applied-configuration" not in annotations
    assert cluster.sync() == []


def test_new_replica_set_object() -> None:
    d = deployment(replicas=3, min_ready_seconds=5, annotations={"team": "web"})
    (create,) = of_kind(sync_deployment(d, [], {}, NOW), Create)
    rs = create.obj
    hash_ = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"nginx-{hash_}"
    assert rs["metadata"]["namespace"] == "default"
    assert rs["metadata"]["labels"] == {"app": "nginx", "pod-template-hash": hash_}
    assert rs["metadata"]["annotations"] == {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
        "deployment.kubernetes.io/revision": "1",
        "team": "web",
    }
    assert rs["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": "nginx",
            "uid": DEPLOY_UID,
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert rs["spec"]["replicas"] == 3
    assert rs["spec"]["minReadySeconds"] == 5
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "nginx", "pod-template-hash": hash_}}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == hash_
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]


# --- cleanup (sync.go cleanupDeployment) ---


def test_cleanup_keeps_revision_history_limit_old_replica_sets() -> None:
    cluster = _settled(2, revision_history_limit=2)
    for image in ("nginx:1.15", "nginx:1.16", "nginx:1.17", "nginx:1.18"):
        cluster.set_image(image)
        cluster.run_until_settled()
    assert sorted(revision_of(rs) for rs in cluster.rss.values()) == [3, 4, 5]


def _old_rs(name: str, revision: int, **status: int) -> dict[str, object]:
    return {
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "generation": 2,
            "creationTimestamp": "2023-01-01T00:00:00Z",
            "annotations": {REVISION: str(revision)},
        },
        "spec": {"replicas": status.pop("spec", 0)},
        "status": {"replicas": 0, "observedGeneration": 2, **status},
    }


def test_cleanup_skips_replica_sets_that_still_have_pods_or_are_unobserved() -> None:
    old = [
        _old_rs("r3", 3),
        _old_rs("r1", 1, replicas=1),  # pods still terminating
        _old_rs("r2", 2, observedGeneration=1),  # scale-down not yet observed
        _old_rs("r4", 4),
        _old_rs("r5", 5),
    ]
    plan = SyncWrites(deployment(revision_history_limit=1), DEPLOYMENT_CONTROLLER, NOW)
    cleanup_deployment(plan, old)
    # diff = 5 - 1 = 4: look at revisions 1..4, delete the deletable ones
    assert [a.name for a in of_kind(plan.actions(), Delete)] == ["r3", "r4"]
    assert of_kind(plan.actions(), Delete)[0].uid == "uid-r3"


# --- ownership (controller_ref_manager.go) ---


def test_orphan_replica_set_with_matching_labels_is_adopted() -> None:
    cluster = _settled(3)
    (rs,) = cluster.rss.values()
    del rs["metadata"]["ownerReferences"]
    actions = cluster.sync()
    (update,) = of_kind(actions, Update)
    assert update.obj["metadata"]["ownerReferences"][0]["uid"] == DEPLOY_UID
    assert update.obj["metadata"]["resourceVersion"] == rs["metadata"]["resourceVersion"]
    assert cluster.sync() == []


def test_owned_replica_set_that_stops_matching_is_released() -> None:
    cluster = _settled(3)
    (rs,) = cluster.rss.values()
    rs["metadata"]["ownerReferences"].append(
        {"apiVersion": "v1", "kind": "Thing", "name": "t", "uid": "t-uid"}
    )
    rs["metadata"]["labels"] = {"app": "other"}
    actions = cluster.sync()
    (release,) = of_kind(actions, Update)
    assert release.obj["metadata"]["ownerReferences"] == [
        {"apiVersion": "v1", "kind": "Thing", "name": "t", "uid": "t-uid"}
    ]
    # The Deployment now lacks a new RS, and the released one holds its name: a collision.
    (status,) = of_kind(actions, UpdateStatus)
    assert status.obj["status"]["collisionCount"] == 1
    assert of_kind(actions, Create) == []
    (create,) = of_kind(cluster.sync(), Create)
    assert create.obj["metadata"]["name"] != name_of(rs)


def test_replica_sets_of_other_controllers_are_left_alone() -> None:
    cluster = _settled(3)
    (rs,) = cluster.rss.values()
    stranger = copy.deepcopy(rs)
    stranger["metadata"].update(name="other-rs", uid="other")
    stranger["metadata"]["ownerReferences"][0]["uid"] = "someone-else"
    cluster.rss["other-rs"] = stranger
    assert cluster.sync() == []


def test_hash_collision_bumps_collision_count_then_uses_a_new_name() -> None:
    d = deployment(replicas=1)
    (create,) = of_kind(sync_deployment(d, [], {}, NOW), Create)
    squatter = copy.deepcopy(create.obj)
    squatter["metadata"].update(uid="squatter", labels={"app": "else"}, ownerReferences=[])
    squatter["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox"
    actions = sync_deployment(d, [squatter], {}, NOW)
    assert [type(a) for a in actions] == [UpdateStatus]
    d2 = of_kind(actions, UpdateStatus)[0].obj
    assert d2["status"]["collisionCount"] == 1
    (create2,) = of_kind(sync_deployment(d2, [squatter], {}, NOW), Create)
    assert create2.obj["metadata"]["name"] != create.obj["metadata"]["name"]


def test_selecting_everything_is_refused_with_a_warning() -> None:
    d = deployment()
    d["spec"]["selector"] = {}
    actions = sync_deployment(d, [], {}, NOW)
    (event,) = of_kind(actions, RecordEvent)
    assert (event.type, event.reason, event.message) == (
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
    )
    (status,) = of_kind(actions, UpdateStatus)
    assert status.obj["status"] == {"observedGeneration": 1}


def test_deployment_being_deleted_only_updates_status() -> None:
    cluster = _settled(3)
    cluster.d["metadata"]["deletionTimestamp"] = "2023-11-14T22:13:20Z"
    cluster.set_image("nginx:1.16.1")
    actions = cluster.sync()
    (write,) = of_kind(actions, UpdateStatus)
    assert actions == [write]
    assert write.obj["status"]["observedGeneration"] == 2


def test_inputs_are_never_mutated() -> None:
    cluster = _settled(3)
    cluster.set_image("nginx:1.16.1")
    d_before = copy.deepcopy(cluster.d)
    rss_before = copy.deepcopy(list(cluster.rss.values()))
    sync_deployment(cluster.d, list(cluster.rss.values()), {}, NOW)
    assert cluster.d == d_before
    assert list(cluster.rss.values()) == rss_before


def test_revision_history_is_trimmed_from_the_front_to_2000_characters() -> None:
    d = deployment()
    history = ",".join(str(n) for n in range(1000, 1400))  # 1,999 characters
    rs = {"metadata": {"name": "x", "annotations": {REVISION: "99999", HISTORY: history}}}
    assert set_new_replica_set_annotations(d, rs, 100000, True)
    annotations = rs["metadata"]["annotations"]
    assert isinstance(annotations, dict)
    assert annotations[REVISION] == "100000"
    trimmed = annotations[HISTORY]
    assert trimmed.startswith("1001,")  # 1999 + 6 > 2000: the oldest entry goes
    assert trimmed.endswith(",1398,1399,99999")
    assert len(trimmed) == 2000


def test_a_lower_revision_is_never_raised_past_and_history_untouched() -> None:
    rs = {"metadata": {"name": "x", "annotations": {REVISION: "7"}}}
    assert not set_new_replica_set_annotations(deployment(), rs, 5, True)
    assert rs["metadata"]["annotations"] == {REVISION: "7"}
