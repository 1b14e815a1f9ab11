"""The scheduler's choices, one table each: which node a pod goes to (spread by owner, then
by what this scheduler placed, then by name), which pods a change wakes (the scheduling
queue's events, pkg/scheduler/eventhandlers.go), and what an unschedulable pod gets
(pkg/scheduler/schedule_one.go handleSchedulingFailure)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.models.constants import Obj
from controlplane.models.meta import Change, Key
from controlplane.models.node_registration import registered_node
from controlplane.runtime.actions import Bind, RecordEvent, UpdateStatus
from controlplane.scheduler import Scheduler, choose_node, num_feasible_nodes_to_find

CHOICES = [
    ("fewest of the owner's pods first", {"a": 2, "b": 1}, {}, "b"),
    ("then fewest placed by this scheduler", {"a": 1, "b": 1}, {"a": 3, "b": 1}, "b"),
    ("then the first name", {}, {}, "a"),
    ("the owner's spread outweighs what was placed", {"a": 0, "b": 1}, {"a": 9}, "a"),
]


@pytest.mark.parametrize(
    ("owner_pods", "placed", "chosen"), [c[1:] for c in CHOICES], ids=[c[0] for c in CHOICES]
)
def test_choose_node(owner_pods: dict[str, int], placed: dict[str, int], chosen: str) -> None:
    assert choose_node(["a", "b"], Counter(owner_pods), Counter(placed)) == chosen


@pytest.mark.parametrize(
    ("nodes", "to_find"), [(3, 3), (99, 99), (100, 100), (250, 120), (1000, 420), (5000, 500)]
)
def test_num_feasible_nodes_to_find_is_upstreams_adaptive_share(nodes: int, to_find: int) -> None:
    assert num_feasible_nodes_to_find(nodes) == to_find


def test_with_many_nodes_each_pod_filters_from_where_the_last_stopped(api: Api) -> None:
    """With 250 nodes a pod is placed among the first 120 that fit from a rotating start
    (schedule_one.go findNodesThatPassFilters, nextStartNodeIndex)."""
    with_nodes(api, 250)
    names = [f"p{i}" for i in range(4)]
    for name in names:
        api.create(pod(name))
    actions = Scheduler(api).reconcile([Key("Pod", "default", n) for n in names])
    nodes = [registered["metadata"]["name"] for registered in api.list("Node")]
    binds = [nodes.index(a.node) for a in actions if isinstance(a, Bind)]
    windows = [range(0, 120), range(120, 240), [*range(240, 250), *range(0, 110)], range(110, 230)]
    assert all(index in window for index, window in zip(binds, windows, strict=True))
    assert binds[1] >= 120  # not the first window again


def pod(name: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx"}], **spec},
    }


def with_nodes(api: Api, count: int) -> None:
    for index in range(count):
        api.create(registered_node(f"node-{index + 1}", index, api.clock.now()))


def test_pods_are_bound_in_turn_and_each_binding_is_an_event(api: Api) -> None:
    with_nodes(api, 2)
    for name in ("a", "b", "c"):
        api.create(pod(name))
    keys = [Key("Pod", "default", name) for name in ("a", "b", "c")]
    actions = Scheduler(api).reconcile(keys)
    binds = [(a.name, a.node) for a in actions if isinstance(a, Bind)]
    assert binds == [("a", "node-1"), ("b", "node-2"), ("c", "node-1")]
    assert [a.reason for a in actions if isinstance(a, RecordEvent)] == ["Scheduled"] * 3


def test_a_pod_no_node_fits_is_marked_unschedulable_once(api: Api) -> None:
    with_nodes(api, 1)
    api.create(pod("picky", nodeSelector={"disk": "ssd"}))
    scheduler = Scheduler(api)
    actions = scheduler.reconcile([Key("Pod", "default", "picky")])
    (event,) = [a for a in actions if isinstance(a, RecordEvent)]
    assert (event.reason, event.message) == (
        "FailedScheduling",
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..",
    )
    (status,) = [a for a in actions if isinstance(a, UpdateStatus)]
    api.update_status(status.obj)
    again = scheduler.reconcile([Key("Pod", "default", "picky")])
    assert [type(a) for a in again] == [RecordEvent]  # the same failure writes no status


WAKES = [
    ("a new unbound pod wakes itself", "pod", "ADDED", ["default/new"]),
    ("a node change wakes every waiting pod", "node", "MODIFIED", ["default/w"]),
    ("a deleted node wakes none", "node", "DELETED", []),
    ("a bound pod that goes wakes the waiting ones", "bound", "DELETED", ["default/w"]),
]


@pytest.mark.parametrize(
    ("what", "change_type", "woken"), [w[1:] for w in WAKES], ids=[w[0] for w in WAKES]
)
def test_which_pods_a_change_wakes(api: Api, what: str, change_type: str, woken: list[str]) -> None:
    with_nodes(api, 1)
    api.create(pod("w", nodeSelector={"disk": "ssd"}))  # waits: no node has the label
    scheduler = Scheduler(api)
    scheduler.keys_for(Change(0, "ADDED", api.get("Pod", "default", "w")))
    obj = {
        "pod": pod("new"),
        "node": api.get("Node", "", "node-1"),
        "bound": pod("old", nodeName="node-1"),
    }[what]
    keys = scheduler.keys_for(Change(1, change_type, obj))
    assert [f"{k.namespace}/{k.name}" for k in keys] == woken
