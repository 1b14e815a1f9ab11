"""The controller lease: one reconciler at a time, handed over on expiry, on release or on
death, and a deposed leader's writes refused."""

from __future__ import annotations

import copy
import socket

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.runtime.leader_election import LeaderElector, LeaderLost
from controlplane.runtime.leadership import LeaseBusy
from controlplane.runtime.lease import (
    DAEMON,
    LeaderElectionConfig,
    current_record,
    holder_identity,
)

LEASE_DURATION = LeaderElectionConfig().lease_duration


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
    daemon.manager._acquire(0)  # the daemon leads
    cli.api.create(deployment())
    assert cli.manager.daemon_holds_lease()
    assert cli.settle() == 0
    assert cli.api.list("ReplicaSet", "default") == []  # the CLI only wrote
    clock.advance(LEASE_DURATION + 1)  # the daemon stopped renewing: the lease expires
    assert not cli.manager.daemon_holds_lease()
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 2
    record = current_record(cli.api)
    assert record is not None and record.holder_identity == ""  # released after the run
    assert record.leader_transitions == 1  # from the daemon to the command


def test_the_next_holder_continues_from_the_cursor_the_last_one_saved() -> None:
    daemon, cli, _ = two_managers_on_one_store()
    daemon.api.create(deployment())
    daemon.settle()
    revision = daemon.api.current_revision()
    assert cli.settle() == 0  # nothing has happened since but the lease's own writes
    assert cli.api.current_revision() == revision  # and nothing was written
    live = copy.deepcopy(cli.api.get("Deployment", "default", "web"))
    live["spec"]["replicas"] = 3
    cli.api.update(live)
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 3


def test_a_lease_held_by_a_dead_process_is_taken_over_at_once() -> None:
    daemon, cli, _ = two_managers_on_one_store()
    dead = f"{socket.gethostname()}_{DAEMON}-999999999-deadbeef"
    assert LeaderElector(daemon.api, dead, LeaderElectionConfig()).try_acquire_or_renew()
    cli.api.create(deployment())
    assert not cli.manager.daemon_holds_lease()
    assert cli.settle() > 0
    assert len(cli.api.list("Pod", "default")) == 2


def test_the_daemon_loop_reconciles_until_told_to_stop_and_releases() -> None:
    daemon, cli, _ = two_managers_on_one_store()
    cli.api.create(deployment())
    rounds = iter(range(200))
    daemon.manager._sleep = lambda _seconds: None
    daemon.manager.run_forever(lambda: next(rounds, None) is None)
    assert len(cli.api.list("Pod", "default")) == 2
    record = current_record(cli.api)
    assert record is not None
    assert (record.holder_identity, record.lease_duration_seconds) == ("", 1)


def test_a_deposed_leader_writes_nothing_and_steps_down() -> None:
    """A leader paused past its lease: another takes it; the old one's next pass is refused
    inside its own transaction, and it stops its controllers."""
    first, _, clock = two_managers_on_one_store()
    second = Cluster(Api(first.api.store, clock, SeededIds(3)), holder=holder_identity(DAEMON))
    first.manager._acquire(0)
    first.api.create(deployment())
    first.manager._read_changes()
    batch = first.manager._next_batch()
    assert batch is not None  # the Deployment controller has work, and is paused here
    clock.advance(LEASE_DURATION + 1)
    second.manager._acquire(0)  # takes over the expired lease
    before = first.api.current_revision()
    with pytest.raises(LeaderLost):
        first.manager._run(*batch)
    assert first.api.current_revision() == before  # no ReplicaSet, no event
    with pytest.raises(LeaseBusy):
        first.manager._renew_if_due()
    record = current_record(first.api)
    assert record is not None and record.holder_identity == second.holder


def test_a_leader_that_cannot_renew_within_the_deadline_steps_down() -> None:
    daemon, _, clock = two_managers_on_one_store()
    daemon.manager._acquire(0)
    config = daemon.manager.election

    def failing() -> bool:
        raise OSError("database is locked")

    daemon.manager.elector.try_acquire_or_renew = failing  # type: ignore[method-assign]
    clock.advance(config.retry_period)
    daemon.manager._renew_if_due()  # within RenewDeadline: retried later
    clock.advance(config.renew_deadline)
    with pytest.raises(LeaseBusy, match="failed to renew lease kube-controller-manager"):
        daemon.manager._renew_if_due()
