"""Each embedded command's scheduler and ReplicaSet controller start from the state the last
command saved with the informer (controlplane/api/informer_followers.py): they heal, place
and scale without walking the pods, and come to what a walk of every pod says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from controlplane.api import informer_snapshot
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster
from controlplane.controllers.replicaset import ReplicaSetController
from controlplane.ids import SeededIds
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import uid_of
from controlplane.models.node_registration import registered_node
from controlplane.models.scheduling import SharedRequests
from controlplane.runtime.derived import Totals
from controlplane.scheduler import OwnersPodsPerNode, Scheduler, share_of_node
from controlplane.store import Store
from tests.scenarios.test_control_plane import deployment

REPLICAS = 6


class Commands:
    """Embedded commands over one store file, each a new API, informer and controllers."""

    def __init__(self, home: Path, clock: FakeClock) -> None:
        home.mkdir(exist_ok=True)
        self.url = f"sqlite:///{home / 'cluster.db'}"
        self.snapshot = home / "cluster.informer"
        self.clock = clock
        self.count = 0

    def __call__(self) -> Cluster:
        self.count += 1
        api = Api(Store(self.url), self.clock, SeededIds(self.count))
        if api.current_revision() == 0:
            api.create({"kind": "Namespace", "metadata": {"name": "default"}})
            for n in (1, 2, 3):
                api.create(registered_node(f"node-{n}", n - 1, self.clock.now()))
        return Cluster(api)


def started(tmp_path: Path, *, with_states: bool) -> Commands:
    """Commands over a new store, after a first one that created a Deployment of six pods
    and saved the informer, with its followers' states or without (the next walk)."""
    commands = Commands(tmp_path, FakeClock())
    first = commands()
    first.api.create(deployment(REPLICAS))
    first.settle()
    snapshot = informer_snapshot.load(commands.snapshot)
    assert snapshot is not None
    assert set(snapshot.followers["Pod"]) == {"replicaset", "scheduler/usage", "scheduler/owners"}
    if not with_states:
        snapshot.followers.clear()
        informer_snapshot.save(commands.snapshot, snapshot)
    return commands


def no_walks(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a walk of every pod by the followers fails the test."""

    def walked(*args: Any) -> None:
        pytest.fail("walked every pod")

    monkeypatch.setattr(ReplicaSetController, "sync_replica_set", walked)
    monkeypatch.setattr(Totals, "over", walked)
    monkeypatch.setattr(OwnersPodsPerNode, "relisted", walked)


def web_pods(cluster: Cluster) -> list[Obj]:
    return cluster.api.list(Kind.POD, "default", label_selector="app=web")


def placed(cluster: Cluster) -> list[tuple[str, str, str]]:
    """Each web pod's name, node and phase, and the ReplicaSet's status."""
    (rs,) = cluster.api.list(Kind.REPLICA_SET, "default")
    pods = [
        (p["metadata"]["name"], p["spec"]["nodeName"], p["status"]["phase"])
        for p in web_pods(cluster)
    ]
    return [*pods, ("status", str(sorted(rs["status"].items())), "")]


def heal(command: Commands) -> Cluster:
    cluster = command()
    cluster.api.delete(Kind.POD, "default", web_pods(cluster)[0]["metadata"]["name"])
    cluster.settle()
    return cluster


def scale(command: Commands, replicas: int) -> Cluster:
    cluster = command()
    live = cluster.api.get("Deployment", "default", "web")
    cluster.api.update({**live, "spec": {**live["spec"], "replicas": replicas}})
    cluster.settle()
    return cluster


def scheduler_of(cluster: Cluster) -> Scheduler:
    (scheduler,) = [c for c in cluster.manager.controllers if isinstance(c, Scheduler)]
    return scheduler


def as_walked(cluster: Cluster) -> None:
    """The followed state is what walking every pod gives: the ReplicaSet's fresh count
    writes nothing, the scheduler's sums and owners' pods per node are a walk's."""
    api = cluster.api
    (rs,) = api.list(Kind.REPLICA_SET, "default")
    pods = api.list(Kind.POD, "default", controller_uid=uid_of(rs), include_orphans=True)
    assert ReplicaSetController(api, api.clock, api.ids).sync_replica_set(rs, pods, 0.0) == []
    scheduler, every_pod = scheduler_of(cluster), api.list(Kind.POD)
    usage, owners = Totals(share_of_node(SharedRequests())), OwnersPodsPerNode()
    owners.relisted(every_pod)
    assert scheduler._usage.totals() == usage.over(every_pod)
    assert scheduler._owners.of("default", uid_of(rs)) == owners.of("default", uid_of(rs))


def test_commands_in_turn_heal_as_commands_that_walk_the_pods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three heals, each resuming the same snapshot (a few changes are not worth saving
    again), so each is told more changes since: the same pods on the same nodes, the same
    status, as commands whose followers walk every pod."""
    walking = started(tmp_path / "walking", with_states=False)
    resuming = started(tmp_path / "resuming", with_states=True)
    walked = [placed(heal(walking)) for _ in range(3)]
    with monkeypatch.context() as patched:
        no_walks(patched)
        resumed = [placed(cluster := heal(resuming)) for _ in range(3)]
    assert resumed == walked
    assert all(phase == "Running" for _, _, phase in resumed[-1][:-1])
    as_walked(cluster)


def test_a_scale_down_picks_the_pods_a_walk_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walking = started(tmp_path / "walking", with_states=False)
    resuming = started(tmp_path / "resuming", with_states=True)
    walked = placed(scale(walking, 3))
    with monkeypatch.context() as patched:
        no_walks(patched)
        resumed = placed(scale(resuming, 3))
    assert resumed == walked
    assert len(resumed) == 4
    # The pods changed while no scheduler followed them (it had nothing to place): its
    # state is gone from the snapshot the scale-down saved, and the next command walks the
    # pods once, and saves what it found for the one after.
    heal(resuming)
    with monkeypatch.context() as patched:
        no_walks(patched)
        healed = heal(resuming)
    assert len(web_pods(healed)) == 3
    as_walked(healed)


def test_a_state_of_another_shape_is_walked_and_saved_anew(tmp_path: Path) -> None:
    command = started(tmp_path, with_states=True)
    snapshot = informer_snapshot.load(command.snapshot)
    assert snapshot is not None
    states = snapshot.followers["Pod"]
    states["replicaset"] = {uid: ("not", "facts") for uid in states["replicaset"]}
    states["scheduler/usage"] = [("not a sum",)]
    informer_snapshot.save(command.snapshot, snapshot)
    cluster = heal(command)  # walked: right all the same, and saved for the next
    assert [p["status"]["phase"] for p in web_pods(cluster)] == ["Running"] * REPLICAS
    as_walked(cluster)
    again = informer_snapshot.load(command.snapshot)
    assert again is not None and again.revision > snapshot.revision
    assert again.followers["Pod"]["scheduler/usage"] != [("not a sum",)]
