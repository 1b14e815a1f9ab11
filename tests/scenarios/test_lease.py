"""The controller lease: one reconciler at a time, handed over on expiry or on death."""

from __future__ import annotations

import copy

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.runtime.lease import DAEMON, LEASE_NAME, holder_identity
from controlplane.runtime.manager import LEASE_SECONDS


def deployment() -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]},
            },
        },
    }


def two_managers_on_one_store() -> tuple[Cluster, Cluster, FakeClock]:
    clock = FakeClock()
    daemon = open_cluster(
        "sqlite://", clock=clock, ids=SeededIds(1), holder=holder_identity(DAEMON)
    )
    cli = Cluster(Api(daemon.api.store, clock, SeededIds(2)))
    return daemon, cli, clock


def test_a_live_daemon_lease_keeps_embedded_commands_from_reconciling() -> None:
    daemon, cli, clock = two_managers_on_one_store()
    daemon.manager._save_progress(expires=LEASE_SECONDS)  # the daemon holds the lease
    cli.api.create(deployment())
    assert cli.manager.daemon_holds_lease()
    assert cli.settle() == 0
    assert cli.api.list("ReplicaSet", "default") == []  # the CLI only wrote
    clock.advance(LEASE_SECONDS + 1)  # the daemon stopped renewing: the lease expires
    assert not cli.manager.daemon_holds_lease()
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 2


def test_the_next_holder_continues_from_the_cursor_the_last_one_saved() -> None:
    daemon, cli, _ = two_managers_on_one_store()
    daemon.api.create(deployment())
    daemon.settle()
    cursor = daemon.api.lease(LEASE_NAME).cursor  # type: ignore[union-attr]
    assert cursor == daemon.api.current_revision()
    assert cli.settle() == 0  # nothing has happened since
    live = copy.deepcopy(cli.api.get("Deployment", "default", "web"))
    live["spec"]["replicas"] = 3
    cli.api.update(live)
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 3


def test_a_lease_held_by_a_dead_process_is_taken_over_at_once() -> None:
    daemon, cli, _ = two_managers_on_one_store()
    dead = holder_identity(DAEMON).rsplit(":", 2)[0] + ":999999999:deadbeef"
    daemon.api.try_acquire_lease(LEASE_NAME, dead, LEASE_SECONDS)
    cli.api.create(deployment())
    assert not cli.manager.daemon_holds_lease()
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 2


def test_the_daemon_loop_reconciles_until_told_to_stop() -> None:
    daemon, cli, clock = two_managers_on_one_store()
    cli.api.create(deployment())
    rounds = iter(range(200))
    daemon.manager._sleep = lambda _seconds: None
    daemon.manager.run_forever(lambda: next(rounds, None) is None)
    assert len(cli.api.list("Pod", "default")) == 2
    assert cli.api.lease(LEASE_NAME).expires <= clock.now()  # type: ignore[union-attr]
