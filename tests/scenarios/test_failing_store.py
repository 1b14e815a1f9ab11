"""A store that fails under the controllers (disk full, locked): no work is dropped, and the
daemon's loop backs off and carries on instead of exiting.

Faults are injected with `controlplane.failpoints` (`<point>=full` raises SQLite's "database
or disk is full" there, inside the pass's transaction, until disarmed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from controlplane import failpoints
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.models.meta import key_of
from controlplane.runtime.lease import DAEMON, LEASE_NAME, holder_identity
from controlplane.store import StoreError


def deployment(replicas: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]},
            },
        },
    }


@pytest.fixture(autouse=True)
def disarm() -> Iterator[None]:
    yield
    failpoints.arm(None)


def phases(cluster: Cluster) -> list[str]:
    return sorted(p["status"].get("phase", "") for p in cluster.api.list("Pod", "default"))


@pytest.mark.parametrize("point", ["scheduler.before-commit", "kubelet.before-commit"])
def test_a_pass_that_fails_on_a_full_disk_owes_its_keys_to_the_next_run(point: str) -> None:
    cluster = open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(7))
    cluster.api.create(deployment(12))
    failpoints.arm(f"{point}=full")
    with pytest.raises(StoreError, match="is full: free disk space and try again"):
        cluster.settle()
    failpoints.arm(None)
    pending = cluster.api.lease(LEASE_NAME).pending  # type: ignore[union-attr]
    assert pending, "the failed pass's keys were saved as still owed"
    cluster.settle()
    assert phases(cluster) == ["Running"] * 12


def test_a_batch_split_to_find_a_failing_key_owes_every_key_when_the_store_fails() -> None:
    cluster = open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(8))
    cluster.api.create(deployment(6))
    cluster.settle()
    manager = cluster.manager
    kubelet = next(c for c in manager.controllers if c.name == "kubelet")
    keys = [key_of(p) for p in cluster.api.list("Pod", "default")]
    manager._acquire(0)  # a pass is run by the lease's holder only
    failpoints.arm("kubelet.before-commit=full")
    with pytest.raises(StoreError):
        manager._run(kubelet, keys)
    assert list(manager._queues["kubelet"]) == keys


def test_the_daemon_loop_backs_off_and_carries_on_through_a_full_disk(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    cluster = open_cluster(
        "sqlite://", clock=clock, ids=SeededIds(9), holder=holder_identity(DAEMON)
    )
    cluster.api.create(deployment(4))
    failpoints.arm("replicaset.before-commit=full")
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        clock.advance(seconds)
        if len(pauses) == 20:  # the disk has been freed
            failpoints.arm(None)

    cluster.manager._sleep = sleep
    with caplog.at_level(logging.WARNING):
        cluster.manager.run_forever(lambda: phases(cluster) == ["Running"] * 4 or len(pauses) > 500)
    assert phases(cluster) == ["Running"] * 4
    failures = [r.getMessage() for r in caplog.records if "reconciling failed" in r.getMessage()]
    assert failures and "is full: free disk space and try again" in failures[0]
    assert [r for r in caplog.records if r.exc_info] == []  # a store error, not a bug


def test_the_daemon_loop_retries_a_lease_it_cannot_take_while_the_store_fails() -> None:
    clock = FakeClock()
    cluster = open_cluster(
        "sqlite://", clock=clock, ids=SeededIds(10), holder=holder_identity(DAEMON)
    )
    cluster.api.create(deployment(2))
    failpoints.arm("store.commit=locked")  # every write, the lease's first
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        clock.advance(seconds)
        if len(pauses) == 10:
            failpoints.arm(None)

    cluster.manager._sleep = sleep
    cluster.manager.run_forever(lambda: phases(cluster) == ["Running"] * 2 or len(pauses) > 500)
    assert phases(cluster) == ["Running"] * 2
    assert max(pauses) <= 5.0  # backed off, up to the ceiling
