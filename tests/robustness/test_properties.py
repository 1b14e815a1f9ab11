"""Random command sequences against the whole control plane, invariants checked throughout.

Hypothesis draws a strategy and a sequence of apply, scale, set image, undo, pause, resume,
delete pod and delete Deployment (each propagation policy). The manager runs on a fake
clock; after every pass a controller commits, the bounds of a rollout are checked, and
after every command (once settled) the ownership and revision history.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlplane.api.errors import ApiError
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from minikubectl.kubectl.rollout import RolloutError
from minikubectl.kubectl.rollout.deployment import undo
from tests.robustness.oracles import (
    HASH,
    active,
    fenceposts,
    history_problems,
    ownership_problems,
    revision,
    settled_problems,
)
from tests.robustness.soak import scaled

pytestmark = pytest.mark.slow

IMAGES = ("nginx:1.14.2", "nginx:1.16.1", "nginx:1.17.0")
Command = tuple[Any, ...]

commands = st.one_of(
    st.tuples(st.just("apply"), st.integers(0, 5), st.sampled_from(IMAGES)),
    st.tuples(st.just("scale"), st.integers(0, 5)),
    st.tuples(st.just("set-image"), st.sampled_from(IMAGES)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("pause")),
    st.tuples(st.just("resume")),
    st.tuples(st.just("delete-pod"), st.integers(0, 9)),
    st.tuples(st.just("delete"), st.sampled_from(["Background", "Foreground", "Orphan"])),
)
strategies = st.sampled_from(
    [
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": "50%"}},
        {"type": "Recreate"},
    ]
)


def manifest(replicas: int, image: str, strategy: dict) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "strategy": copy.deepcopy(strategy),
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


class Watched:
    """A cluster whose manager checks the rollout bounds after every committed pass."""

    def __init__(self, strategy: dict) -> None:
        self.cluster: Cluster = open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(5))
        self.strategy = strategy
        self.passes = 0
        self.before = self.snapshot()
        execute = self.cluster.manager._execute

        def checked(controller: Any, actions: Any) -> None:
            execute(controller, actions)
            self.passes += 1
            self.check_pass()

        self.cluster.manager._execute = checked  # type: ignore[method-assign]

    def snapshot(self) -> tuple[dict | None, list[dict], list[dict]]:
        api = self.cluster.api
        found = api.list("Deployment", "default")
        return (
            found[0] if found else None,
            api.list("ReplicaSet", "default"),
            api.list("Pod", "default"),
        )

    def check_pass(self) -> None:
        deployment, replica_sets, pods = self.snapshot()
        _, _, old_pods = self.before
        self.before = (deployment, replica_sets, pods)
        assert ownership_problems(pods, replica_sets) == [] or deployment is None
        if deployment is None or deployment["metadata"].get("deletionTimestamp"):
            return
        surge_limit, available_floor = fenceposts(deployment)
        if self.strategy["type"] == "Recreate":
            hashes = {p["metadata"]["labels"].get(HASH) for p in pods}
            assert len(hashes) <= 1, f"Recreate ran old and new pods together: {hashes}"
            return
        running, was_running = len(active(pods)), len(active(old_pods))
        assert running <= max(surge_limit, was_running), "a pass created pods past maxSurge"
        available = len(available_pods(pods))
        was_available = len(available_pods(old_pods))
        assert available >= min(available_floor, was_available), "a pass went below the floor"

    def run(self, command: Command) -> None:
        api = self.cluster.api
        name, *args = command
        live = next(iter(api.list("Deployment", "default")), None)
        if name == "apply":
            wanted = manifest(args[0], args[1], self.strategy)
            if live is None:
                api.create(wanted)
            else:
                live["spec"].update(replicas=args[0], template=wanted["spec"]["template"])
                api.update(live)
        elif live is None:
            return
        elif name == "scale":
            api.patch("Deployment", "default", "web", {"spec": {"replicas": args[0]}}, "merge")
        elif name == "set-image":
            live["spec"]["template"]["spec"]["containers"][0]["image"] = args[0]
            api.update(live)
        elif name in ("pause", "resume"):
            live["spec"]["paused"] = name == "pause"
            api.update(live)
        elif name == "undo":
            with contextlib.suppress(RolloutError):  # no earlier revision, or paused
                undo(api, live)
        elif name == "delete-pod":
            pods = active(api.list("Pod", "default"))
            if pods:
                target = pods[args[0] % len(pods)]["metadata"]["name"]
                api.delete("Pod", "default", target)
        else:
            api.delete("Deployment", "default", "web", propagation=args[0])
        self.before = self.snapshot()
        self.cluster.settle()

    def check_settled(self, state: dict) -> None:
        deployment, replica_sets, pods = self.snapshot()
        assert ownership_problems(pods, replica_sets) == []
        if deployment is None:
            state.pop("uid", None)
            return
        assert history_problems(deployment, replica_sets) == []
        uid, rev = deployment["metadata"]["uid"], revision(deployment)
        if state.get("uid") == uid:  # the same Deployment: its revision moves by 0 or 1
            assert rev - state["revision"] in (0, 1), f"revision {state['revision']} -> {rev}"
        state.update(uid=uid, revision=rev)
        if not deployment["spec"].get("paused"):
            assert settled_problems(deployment, replica_sets, pods) == []


def available_pods(pods: list[dict]) -> list[dict]:
    return [
        p
        for p in active(pods)
        if any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in p.get("status", {}).get("conditions") or []
        )
    ]


EXAMPLES = scaled(20, 400)


@settings(max_examples=EXAMPLES)
@given(strategy=strategies, steps=st.lists(commands, min_size=1, max_size=8))
def test_random_command_sequences_keep_every_invariant(strategy: dict, steps: list) -> None:
    watched = Watched(strategy)
    state: dict = {}
    for command in [("apply", 3, IMAGES[0]), *steps]:
        try:
            watched.run(command)
        except ApiError as exc:
            assert exc.reason in ("NotFound", "Conflict"), exc.message
        watched.check_settled(state)
