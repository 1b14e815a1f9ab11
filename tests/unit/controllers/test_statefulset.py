"""The StatefulSet planner, sync by sync, on a fake clock (upstream stateful_set_control.go).

Each test plays the kubelet by hand, so it can show what one sync does while pods are not
ready yet: OrderedReady creates web-0, web-1, web-2 one after the other and halts on an
unhealthy pod; updates go from the highest ordinal down to the partition.
"""

from __future__ import annotations

from sets_fixtures import Lab, creates, deletes, messages, statefulset, status_of, template

from controlplane.controllers.statefulset.control import sync_stateful_set
from controlplane.runtime.actions import Create, RequeueAfter, Update


def image_of(pod: dict) -> str:
    return str(pod["spec"]["containers"][0]["image"])


def set_image(lab: Lab, image: str, name: str = "web") -> None:
    def change(sts: dict) -> None:
        sts["spec"]["template"]["spec"]["containers"][0]["image"] = image

    lab.edit("StatefulSet", name, change)


def set_partition(lab: Lab, partition: int) -> None:
    def change(sts: dict) -> None:
        sts["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = partition

    lab.edit("StatefulSet", "web", change)


def settle(lab: Lab) -> None:
    lab.settle(lab.sync_sts)


def test_ordered_ready_creates_one_pod_per_sync_and_waits_for_it() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3))
    first = lab.sync_sts()
    assert creates(first) == ["web-0"]
    assert messages(first) == ["create Pod web-0 in StatefulSet web successful"]
    # web-0 exists but is Pending: the set halts, it only writes status.
    waiting = lab.sync_sts()
    assert creates(waiting) == [] and deletes(waiting) == []
    lab.run("web-0")
    assert creates(lab.sync_sts()) == ["web-1"]
    assert creates(lab.sync_sts()) == []  # web-1 not ready yet
    lab.run("web-1")
    assert creates(lab.sync_sts()) == ["web-2"]
    lab.run("web-2")
    done = lab.sync_sts()
    assert creates(done) == [] and (status_of(done) or {}).get("readyReplicas") == 3
    assert lab.sync_sts() == []  # settled
    order = sorted(lab.pods().values(), key=lambda p: int(p["metadata"]["resourceVersion"]))
    assert [p["metadata"]["name"] for p in order] == ["web-0", "web-1", "web-2"]


def test_stable_identity_labels_hostname_and_owner() -> None:
    lab = Lab()
    sts = lab.api.create(statefulset(replicas=1))
    lab.sync_sts()
    pod = lab.pods()["web-0"]
    (revision,) = lab.revisions()
    assert pod["metadata"]["labels"] == {
        "app": "web",
        "statefulset.kubernetes.io/pod-name": "web-0",
        "apps.kubernetes.io/pod-index": "0",
        "controller-revision-hash": revision,
    }
    assert revision.startswith("web-")
    assert (pod["spec"]["hostname"], pod["spec"]["subdomain"]) == ("web-0", "nginx")
    assert pod["metadata"]["generateName"] == "web-"
    (ref,) = pod["metadata"]["ownerReferences"]
    assert (ref["kind"], ref["uid"], ref["controller"]) == (
        "StatefulSet",
        sts["metadata"]["uid"],
        True,
    )


def test_parallel_creates_every_pod_in_one_sync() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3, podManagementPolicy="Parallel"))
    assert creates(lab.sync_sts()) == ["web-0", "web-1", "web-2"]


def test_ordinals_start() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2, ordinals={"start": 5}, podManagementPolicy="Parallel"))
    assert creates(lab.sync_sts()) == ["web-5", "web-6"]


def test_scale_down_removes_the_highest_ordinal_first_and_waits_for_it_to_go() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=4))
    settle(lab)
    lab.edit("StatefulSet", "web", lambda s: s["spec"].update(replicas=1))
    assert deletes(lab.sync_sts()) == ["web-3"]
    assert deletes(lab.sync_sts()) == []  # web-3 is still terminating
    lab.finish("web-3")
    assert deletes(lab.sync_sts()) == ["web-2"]
    lab.finish("web-2")
    assert deletes(lab.sync_sts()) == ["web-1"]
    lab.finish("web-1")
    assert sorted(lab.pods()) == ["web-0"]


def test_parallel_scale_down_deletes_all_condemned_at_once() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3, podManagementPolicy="Parallel"))
    settle(lab)
    lab.edit("StatefulSet", "web", lambda s: s["spec"].update(replicas=0))
    assert deletes(lab.sync_sts()) == ["web-2", "web-1", "web-0"]


def test_an_unhealthy_pod_halts_an_ordered_scale_up() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2))
    settle(lab)
    lab.fail("web-0")
    lab.edit("StatefulSet", "web", lambda s: s["spec"].update(replicas=3))
    actions = lab.sync_sts()
    assert deletes(actions) == ["web-0"] and creates(actions) == []  # web-2 must wait


def test_a_failed_pod_is_replaced_under_the_same_name_with_a_new_uid() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2))
    settle(lab)
    old_uid = lab.pods()["web-1"]["metadata"]["uid"]
    lab.fail("web-1")
    actions = lab.sync_sts()
    assert deletes(actions) == ["web-1"]
    assert messages(actions) == ["delete Pod web-1 in StatefulSet web successful"]
    assert creates(lab.sync_sts()) == ["web-1"]
    assert lab.pods()["web-1"]["metadata"]["uid"] != old_uid


def test_rolling_update_goes_from_the_highest_ordinal_down_one_pod_at_a_time() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3))
    settle(lab)
    set_image(lab, "nginx:1.16.1")
    assert deletes(lab.sync_sts()) == ["web-2"]
    assert deletes(lab.sync_sts()) == []  # web-2 is terminating
    lab.finish("web-2")
    assert creates(lab.sync_sts()) == ["web-2"]
    assert image_of(lab.pods()["web-2"]) == "nginx:1.16.1"
    assert deletes(lab.sync_sts()) == []  # the new web-2 is not ready yet
    lab.run("web-2")
    assert deletes(lab.sync_sts()) == ["web-1"]


def test_partition_updates_only_the_ordinals_at_or_above_it() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3))
    settle(lab)
    (first,) = lab.revisions()
    set_partition(lab, 2)
    set_image(lab, "nginx:1.16.1")
    settle(lab)
    pods = lab.pods()
    assert [image_of(pods[n]) for n in ("web-0", "web-1", "web-2")] == [
        "nginx:1.14.2",
        "nginx:1.14.2",
        "nginx:1.16.1",
    ]
    status = lab.api.get("StatefulSet", "default", "web")["status"]
    assert status["currentRevision"] == first != status["updateRevision"]
    assert (status["currentReplicas"], status["updatedReplicas"]) == (2, 1)
    # A pod below the partition that is deleted comes back at the current revision.
    lab.fail("web-0")
    settle(lab)
    assert image_of(lab.pods()["web-0"]) == "nginx:1.14.2"
    # Lowering the partition rolls the rest, highest ordinal first.
    set_partition(lab, 0)
    assert deletes(lab.sync_sts()) == ["web-1"]
    settle(lab)
    assert {image_of(p) for p in lab.pods().values()} == {"nginx:1.16.1"}
    status = lab.api.get("StatefulSet", "default", "web")["status"]
    assert status["currentRevision"] == status["updateRevision"] != first
    assert status["currentReplicas"] == status["updatedReplicas"] == 3


def test_on_delete_replaces_pods_only_when_deleted() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2, updateStrategy={"type": "OnDelete"}))
    settle(lab)
    set_image(lab, "nginx:1.16.1")
    assert deletes(lab.sync_sts()) == []
    lab.api.delete("Pod", "default", "web-0")
    lab.finish("web-0")
    settle(lab)
    pods = lab.pods()
    assert (image_of(pods["web-0"]), image_of(pods["web-1"])) == ("nginx:1.16.1", "nginx:1.14.2")


def test_returning_to_an_earlier_template_renumbers_its_revision_instead_of_copying() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=1))
    settle(lab)
    (first,) = lab.revisions()
    set_image(lab, "nginx:1.16.1")
    settle(lab)
    assert sorted(lab.revisions().values()) == [1, 2]
    set_image(lab, "nginx:1.14.2")
    actions = lab.sync_sts()
    raised = [a.obj for a in actions if isinstance(a, Update) and a.obj["kind"] != "Pod"]
    assert [(r["metadata"]["name"], r["revision"]) for r in raised] == [(first, 3)]
    assert not [a for a in actions if isinstance(a, Create) and a.obj["kind"] != "Pod"]
    assert lab.revisions()[first] == 3 and len(lab.revisions()) == 2


def test_history_is_cut_to_the_revision_history_limit_keeping_live_revisions() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=1, revisionHistoryLimit=1))
    settle(lab)
    for image in ("nginx:1.15", "nginx:1.16", "nginx:1.17"):
        set_image(lab, image)
        settle(lab)
    assert sorted(lab.revisions().values()) == [3, 4]


def test_status_fields_while_waiting_and_when_settled() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2))
    lab.sync_sts()
    status = status_of(lab.sync_sts())
    assert status is not None
    assert status["replicas"] == 1 and status["availableReplicas"] == 0
    assert "readyReplicas" not in status  # omitempty, as the Go type
    settle(lab)
    sts = lab.api.get("StatefulSet", "default", "web")
    (revision,) = lab.revisions()
    assert sts["status"] == {
        "observedGeneration": 1,
        "replicas": 2,
        "readyReplicas": 2,
        "currentReplicas": 2,
        "updatedReplicas": 2,
        "currentRevision": revision,
        "updateRevision": revision,
        "collisionCount": 0,
        "availableReplicas": 2,
    }


def test_min_ready_seconds_halts_until_the_pod_is_available() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=2, minReadySeconds=10))
    lab.sync_sts()
    lab.run("web-0")
    actions = lab.sync_sts()
    assert creates(actions) == []  # ready, but not available for 10 s yet
    assert [a.seconds for a in actions if isinstance(a, RequeueAfter)] == [10]
    lab.clock.advance(11)
    assert creates(lab.sync_sts()) == ["web-1"]


def test_a_pod_missing_its_identity_labels_gets_them_back() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=1))
    settle(lab)
    lab.edit("Pod", "web-0", lambda p: p["metadata"]["labels"].pop("apps.kubernetes.io/pod-index"))
    actions = lab.sync_sts()
    assert messages(actions) == ["update Pod web-0 in StatefulSet web successful"]
    assert lab.pods()["web-0"]["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "0"


def test_an_invalid_pod_template_shows_as_failed_create_events() -> None:
    """The set's validation checks template metadata only; the pod is refused on creation."""
    lab = Lab()
    bad = template()
    bad["spec"]["containers"][0].pop("image")
    lab.api.create(statefulset(replicas=1, template=bad))
    actions = lab.sync_sts()
    assert creates(actions) == []
    assert messages(actions) == [
        'create Pod web-0 in StatefulSet web failed error: Pod "web-0" is invalid: '
        "spec.containers[0].image: Required value"
    ]


def test_an_orphan_pod_with_a_member_name_is_adopted_and_others_are_not() -> None:
    lab = Lab()
    sts = lab.api.create(statefulset(replicas=1))
    for name in ("web-0", "web-x"):
        lab.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
            }
        )
    lab.sync_sts()
    pods = lab.pods()
    assert pods["web-0"]["metadata"]["ownerReferences"][0]["uid"] == sts["metadata"]["uid"]
    assert "ownerReferences" not in pods["web-x"]["metadata"]


def test_a_settled_set_plans_nothing_and_the_planner_does_not_mutate_its_input() -> None:
    lab = Lab()
    lab.api.create(statefulset(replicas=3))
    settle(lab)
    sts = lab.api.get("StatefulSet", "default", "web")
    pods = lab.api.list("Pod", "default")
    revisions = lab.api.list("ControllerRevision", "default")
    before = repr((sts, pods, revisions))
    taken = {r["metadata"]["name"]: r for r in revisions}
    assert sync_stateful_set(sts, pods, revisions, taken, lab.now) == []
    assert repr((sts, pods, revisions)) == before


def test_a_revision_name_taken_by_other_data_bumps_the_collision_count() -> None:
    from controlplane.models.history import hash_revision, revision_data

    lab = Lab()
    sts = lab.api.create(statefulset(replicas=1))
    data = revision_data(sts)
    squatter = f"web-{hash_revision(data, 0)}"
    lab.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ControllerRevision",
            "metadata": {"name": squatter, "namespace": "default", "labels": {"other": "x"}},
            "data": {"something": "else"},
            "revision": 1,
        }
    )
    lab.sync_sts()
    status = lab.api.get("StatefulSet", "default", "web")["status"]
    assert status["collisionCount"] == 1
    assert status["updateRevision"] == f"web-{hash_revision(data, 1)}" != squatter
    revision = lab.api.get("ControllerRevision", "default", status["updateRevision"])
    assert revision["metadata"]["labels"]["controller.kubernetes.io/hash"] == squatter[4:]
