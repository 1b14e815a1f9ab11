"""The DaemonSet planner, sync by sync, on a fake clock (upstream daemon_controller.go,
update.go): which nodes get a pod, and the rolling update's surge/unavailable budgets."""

from __future__ import annotations

import pytest
from sets_fixtures import Lab, creates, daemonset, deletes, messages, status_of, template

from controlplane.controllers.daemonset import sync_daemon_set
from controlplane.ids import SeededIds
from controlplane.models.nodes import target_node_name


def nodes_of(lab: Lab) -> dict[str, str]:
    """node -> image of the daemon pod there."""
    return {
        target_node_name(p) or "": p["spec"]["containers"][0]["image"]
        for p in lab.pods().values()
        if not p["metadata"].get("deletionTimestamp")
    }


def set_image(lab: Lab, image: str) -> None:
    def change(ds: dict) -> None:
        ds["spec"]["template"]["spec"]["containers"][0]["image"] = image

    lab.edit("DaemonSet", "fluentd", change)


def settle(lab: Lab) -> None:
    lab.settle(lab.sync_ds)


def test_one_pod_per_node_pinned_by_node_affinity() -> None:
    lab = Lab()
    ds = lab.api.create(daemonset())
    actions = lab.sync_ds()
    assert len(creates(actions)) == 3
    assert creates(actions) == ["fluentd-"] * 3  # named by the API server
    created = sorted(e.message for e in lab.events if e.reason == "SuccessfulCreate")
    assert created == [f"Created pod: {name}" for name in sorted(lab.pods())]
    pods = list(lab.pods().values())
    assert sorted(target_node_name(p) for p in pods) == ["node-1", "node-2", "node-3"]
    pod = pods[0]
    assert "nodeName" not in pod["spec"]  # the scheduler binds it
    assert pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ] == {
        "nodeSelectorTerms": [
            {
                "matchFields": [
                    {"key": "metadata.name", "operator": "In", "values": [target_node_name(pod)]}
                ]
            }
        ]
    }
    (revision,) = lab.api.list("ControllerRevision", "default")
    hash_ = revision["metadata"]["labels"]["controller-revision-hash"]
    assert revision["metadata"]["name"] == f"fluentd-{hash_}"
    assert pod["metadata"]["labels"] == {
        "app": "fluentd",
        "controller-revision-hash": hash_,
        "pod-template-generation": "1",
    }
    assert pod["metadata"]["name"].startswith("fluentd-") and len(pod["metadata"]["name"]) == 13
    tolerations = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]}
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") in tolerations
    assert ("node.kubernetes.io/not-ready", "NoExecute") in tolerations
    assert pod["metadata"]["ownerReferences"][0]["uid"] == ds["metadata"]["uid"]


@pytest.mark.parametrize(
    ("spec", "labels", "expected"),
    [
        ({"nodeSelector": {"disk": "ssd"}}, {"node-2": {"disk": "ssd"}}, ["node-2"]),
        (
            {
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchExpressions": [
                                        {"key": "zone", "operator": "In", "values": ["a", "b"]}
                                    ]
                                }
                            ]
                        }
                    }
                }
            },
            {"node-1": {"zone": "a"}, "node-3": {"zone": "c"}},
            ["node-1"],
        ),
        (
            {
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchExpressions": [
                                        {"key": "zone", "operator": "NotIn", "values": ["a"]}
                                    ]
                                }
                            ]
                        }
                    }
                }
            },
            {"node-1": {"zone": "a"}, "node-3": {"zone": "c"}},
            ["node-2", "node-3"],
        ),
        (
            {
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}
                            ]
                        }
                    }
                }
            },
            {"node-3": {"gpu": ""}},
            ["node-3"],
        ),
    ],
    ids=["nodeSelector", "affinity-In", "affinity-NotIn", "affinity-Exists"],
)
def test_only_nodes_that_match_get_a_pod(spec: dict, labels: dict, expected: list[str]) -> None:
    lab = Lab()
    for node, extra in labels.items():
        lab.edit("Node", node, lambda n, extra=extra: n["metadata"]["labels"].update(extra))
    lab.api.create(daemonset(template=template("fluentd:v1", app="fluentd", **spec)))
    settle(lab)
    assert sorted(nodes_of(lab)) == expected
    status = lab.api.get("DaemonSet", "default", "fluentd")["status"]
    assert status["desiredNumberScheduled"] == len(expected)


def test_taints_keep_new_pods_off_and_no_execute_evicts_running_ones() -> None:
    lab = Lab()
    lab.edit(
        "Node", "node-1", lambda n: n["spec"].update(taints=[{"key": "k", "effect": "NoSchedule"}])
    )
    lab.api.create(daemonset())
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-2", "node-3"]
    # A NoSchedule taint added later lets the running pod stay ...
    lab.edit(
        "Node", "node-2", lambda n: n["spec"].update(taints=[{"key": "k", "effect": "NoSchedule"}])
    )
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-2", "node-3"]
    status = lab.api.get("DaemonSet", "default", "fluentd")["status"]
    assert (status["desiredNumberScheduled"], status["numberMisscheduled"]) == (1, 1)
    # ... a NoExecute one does not.
    lab.edit(
        "Node", "node-3", lambda n: n["spec"].update(taints=[{"key": "k", "effect": "NoExecute"}])
    )
    actions = lab.sync_ds()
    assert len(deletes(actions)) == 1
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-2"]


def test_a_toleration_lets_the_pod_onto_a_tainted_node() -> None:
    lab = Lab()
    lab.edit(
        "Node",
        "node-1",
        lambda n: n["spec"].update(
            taints=[{"key": "dedicated", "value": "log", "effect": "NoSchedule"}]
        ),
    )
    tolerating = template(
        "fluentd:v1",
        app="fluentd",
        tolerations=[
            {"key": "dedicated", "operator": "Equal", "value": "log", "effect": "NoSchedule"}
        ],
    )
    lab.api.create(daemonset(template=tolerating))
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-1", "node-2", "node-3"]


def test_a_cordoned_node_still_runs_and_gets_daemon_pods() -> None:
    lab = Lab()
    lab.edit("Node", "node-2", lambda n: n["spec"].update(unschedulable=True))
    lab.api.create(daemonset())
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-1", "node-2", "node-3"]


def test_pods_follow_nodes_that_are_added_relabelled_and_removed() -> None:
    lab = Lab()
    lab.api.create(
        daemonset(template=template("fluentd:v1", app="fluentd", nodeSelector={"logs": "on"}))
    )
    for node in ("node-1", "node-2", "node-3"):
        lab.edit("Node", node, lambda n: n["metadata"]["labels"].update(logs="on"))
    settle(lab)
    lab.add_node("node-4", logs="on")
    assert len(creates(lab.sync_ds())) == 1
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-1", "node-2", "node-3", "node-4"]
    lab.edit("Node", "node-4", lambda n: n["metadata"]["labels"].update(logs="off"))
    assert len(deletes(lab.sync_ds())) == 1
    settle(lab)
    assert sorted(nodes_of(lab)) == ["node-1", "node-2", "node-3"]
    status = lab.api.get("DaemonSet", "default", "fluentd")["status"]
    assert status["desiredNumberScheduled"] == status["numberAvailable"] == 3


def test_an_unbound_pod_pinned_to_a_removed_node_is_deleted() -> None:
    lab = Lab()
    lab.add_node("node-4")
    lab.api.create(daemonset())
    lab.sync_ds()  # four pods, none bound yet
    lab.api.delete("Node", "", "node-4")
    actions = lab.sync_ds()
    (gone,) = deletes(actions)
    assert gone not in nodes_of(lab).values() and len(lab.pods()) == 3


def test_a_failed_daemon_pod_is_deleted_with_a_warning_then_replaced() -> None:
    lab = Lab()
    lab.api.create(daemonset())
    settle(lab)
    victim = next(n for n, p in lab.pods().items() if target_node_name(p) == "node-2")
    lab.fail(victim)
    actions = lab.sync_ds()
    assert deletes(actions) == [victim]
    assert messages(actions)[0] == (
        f"Found failed daemon pod default/{victim} on node node-2, will try to kill it"
    )
    assert len(creates(lab.sync_ds())) == 1
    assert sorted(nodes_of(lab)) == ["node-1", "node-2", "node-3"]


def test_rolling_update_replaces_max_unavailable_pods_at_a_time() -> None:
    lab = Lab(nodes=4)
    lab.api.create(
        daemonset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}})
    )
    settle(lab)
    set_image(lab, "fluentd:v2")
    first = lab.sync_ds()
    assert len(deletes(first)) == 2 and creates(first) == []
    assert lab.sync_ds() == []  # two old pods terminating: the budget is spent
    lab.run_all()  # they end
    assert len(creates(lab.sync_ds())) == 2  # manage refills the nodes with new pods
    assert deletes(lab.sync_ds()) == []  # new pods not available yet
    lab.run_all()
    assert len(deletes(lab.sync_ds())) == 2
    settle(lab)
    assert set(nodes_of(lab).values()) == {"fluentd:v2"}
    status = lab.api.get("DaemonSet", "default", "fluentd")["status"]
    assert status["updatedNumberScheduled"] == status["numberAvailable"] == 4


def test_percentages_round_up() -> None:
    lab = Lab(nodes=3)
    lab.api.create(
        daemonset(
            updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50%"}}
        )
    )
    settle(lab)
    set_image(lab, "fluentd:v2")
    assert len(deletes(lab.sync_ds())) == 2  # ceil(1.5)


def test_max_surge_starts_the_new_pod_before_the_old_one_goes() -> None:
    lab = Lab(nodes=2)
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    lab.api.create(daemonset(updateStrategy=strategy))
    settle(lab)
    old = set(lab.pods())
    set_image(lab, "fluentd:v2")
    surge = lab.sync_ds()
    assert len(creates(surge)) == 1 and deletes(surge) == []
    assert lab.sync_ds() == []  # the surge pod is not available: maxSurge is spent
    lab.run_all()
    replaced = lab.sync_ds()
    (gone,) = deletes(replaced)
    assert gone in old
    settle(lab)
    assert set(nodes_of(lab).values()) == {"fluentd:v2"} and len(lab.pods()) == 2


def test_on_delete_leaves_old_pods_until_they_are_deleted() -> None:
    lab = Lab()
    lab.api.create(daemonset(updateStrategy={"type": "OnDelete"}))
    settle(lab)
    set_image(lab, "fluentd:v2")
    assert deletes(lab.sync_ds()) == []
    victim = next(iter(lab.pods()))
    lab.api.delete("Pod", "default", victim)
    settle(lab)
    assert sorted(nodes_of(lab).values()) == ["fluentd:v1", "fluentd:v1", "fluentd:v2"]


def test_undo_to_an_old_template_renumbers_its_revision() -> None:
    lab = Lab()
    lab.api.create(daemonset())
    settle(lab)
    (first,) = lab.revisions()
    set_image(lab, "fluentd:v2")
    settle(lab)
    set_image(lab, "fluentd:v1")
    settle(lab)
    assert lab.revisions()[first] == 3 and sorted(lab.revisions().values()) == [2, 3]
    hash_ = first.removeprefix("fluentd-")
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in lab.pods().values()} == {
        hash_
    }
    ds = lab.api.get("DaemonSet", "default", "fluentd")
    assert ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "3"


def test_status_fields() -> None:
    lab = Lab()
    lab.api.create(daemonset())
    lab.sync_ds()
    status = status_of(lab.sync_ds())
    assert status == {
        "currentNumberScheduled": 3,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 3,
        "numberReady": 0,
        "observedGeneration": 1,
        "updatedNumberScheduled": 3,
        "numberUnavailable": 3,
    }
    settle(lab)
    assert lab.api.get("DaemonSet", "default", "fluentd")["status"] == {
        "currentNumberScheduled": 3,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 3,
        "numberReady": 3,
        "observedGeneration": 1,
        "updatedNumberScheduled": 3,
        "numberAvailable": 3,
    }


def test_a_settled_daemon_set_plans_nothing() -> None:
    lab = Lab()
    lab.api.create(daemonset())
    settle(lab)
    ds = lab.api.get("DaemonSet", "default", "fluentd")
    pods = lab.api.list("Pod", "default")
    revisions = lab.api.list("ControllerRevision", "default")
    taken = {r["metadata"]["name"]: r for r in revisions}
    nodes = lab.api.list("Node")
    assert sync_daemon_set(ds, nodes, pods, revisions, taken, lab.now, SeededIds(1)) == []
