"""RollingUpdate (rolling.go): fenceposts, worked examples, and the rollout bounds."""

from __future__ import annotations

import pytest
from deployment_fixtures import Cluster, deployment, event_messages
from hypothesis import given, settings
from hypothesis import strategies as st

from controlplane.controllers.deployment.rolling import reconcile_new_replica_set
from controlplane.controllers.deployment.util import (
    max_surge,
    max_unavailable,
    resolve_fenceposts,
)
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import DEPLOYMENT_CONTROLLER
from controlplane.models.meta import name_of
from controlplane.runtime.actions import Create, Update


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable"),
    [(1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 1, 1), (5, 2, 1), (10, 3, 2)],
    ids=lambda v: str(v),
)
def test_fenceposts_for_the_25_percent_defaults(
    replicas: int, surge: int, unavailable: int
) -> None:
    d = deployment(replicas=replicas)
    assert (max_surge(d), max_unavailable(d)) == (surge, unavailable)


@pytest.mark.parametrize(
    ("surge", "unavailable", "replicas", "expected"),
    [
        ("1%", "1%", 2, (1, 0)),  # surge rounds up
        ("0%", "1%", 2, (0, 1)),  # both 0 after rounding: unavailable becomes 1
        (0, "10%", 5, (0, 1)),
        (2, 0, 4, (2, 0)),
        ("50%", "50%", 3, (2, 1)),
    ],
)
def test_resolve_fenceposts(
    surge: int | str, unavailable: int | str, replicas: int, expected: tuple[int, int]
) -> None:
    assert resolve_fenceposts(surge, unavailable, replicas) == expected


def test_max_unavailable_is_capped_at_replicas_and_zero_for_recreate() -> None:
    assert max_unavailable(deployment(replicas=2, max_unavailable=5, max_surge=0)) == 2
    assert max_unavailable(deployment(replicas=0)) == 0
    assert max_unavailable(deployment(strategy="Recreate")) == 0
    assert max_surge(deployment(strategy="Recreate")) == 0


def _rs(name: str, replicas: int, created: str) -> dict[str, object]:
    return {
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": created},
        "spec": {"replicas": replicas},
    }


@pytest.mark.parametrize(
    ("replicas", "surge", "old", "new", "expected"),
    [
        (1, 1, 1, 0, 1),  # room for one surge pod: the new RS goes to 1
        (1, 0, 1, 0, None),  # no surge: wait for the old RS to shrink first
        (3, 1, 3, 0, 1),
        (3, 1, 2, 1, 2),
        (3, 1, 3, 1, None),  # at R + surge already
        (10, 3, 10, 0, 3),
        (10, 3, 8, 3, 5),
        (3, 1, 0, 5, 3),  # above R: straight down to R
        (3, 1, 0, 3, None),  # already R
    ],
)
def test_reconcile_new_replica_set(
    replicas: int, surge: int, old: int, new: int, expected: int | None
) -> None:
    d = deployment(replicas=replicas, max_surge=surge, max_unavailable=0 if surge else 1)
    old_rs, new_rs = (
        _rs("old", old, "2023-01-01T00:00:00Z"),
        _rs("new", new, "2023-01-02T00:00:00Z"),
    )
    plan = SyncWrites(d, DEPLOYMENT_CONTROLLER, 0.0)
    scaled = reconcile_new_replica_set(plan, [old_rs, new_rs], new_rs)
    assert scaled == (expected is not None)
    updates = [a for a in plan.actions() if isinstance(a, Update)]
    if expected is None:
        assert updates == []
    else:
        (update,) = updates
        assert update.obj["spec"]["replicas"] == expected
        assert update.obj["metadata"]["annotations"] == {
            "deployment.kubernetes.io/desired-replicas": str(replicas),
            "deployment.kubernetes.io/max-replicas": str(replicas + surge),
        }


def _settled(replicas: int, **kwargs: object) -> Cluster:
    cluster = Cluster(deployment(replicas=replicas, **kwargs))  # type: ignore[arg-type]
    cluster.run_until_settled()
    return cluster


def test_r3_rolling_update_step_by_step() -> None:
    """Reference 3.5 worked example: R=3, surge 1, unavailable 0."""
    cluster = _settled(3)
    old = name_of(cluster.rs_by_image("nginx:1.14.2"))
    cluster.set_image("nginx:1.16.1")

    actions = cluster.sync()
    new = name_of(cluster.rs_by_image("nginx:1.16.1"))
    assert [type(a) for a in actions if isinstance(a, Create | Update)] == [Create]
    assert event_messages(actions) == [f"Scaled up replica set {new} from 0 to 1"]

    # (available after settling, events of the next sync)
    steps = [
        (False, []),  # new pod not available: maxScaledDown = 4 - 3 - 1 = 0
        (True, [f"Scaled down replica set {old} from 3 to 2"]),
        (False, [f"Scaled up replica set {new} from 1 to 2"]),
        (False, []),
        (True, [f"Scaled down replica set {old} from 2 to 1"]),
        (True, [f"Scaled up replica set {new} from 2 to 3"]),
        (False, []),
        (True, [f"Scaled down replica set {old} from 1 to 0"]),
        (True, []),  # complete: status only
    ]
    for available, expected in steps:
        cluster.settle(available=available)
        assert event_messages(cluster.sync()) == expected
    cluster.settle()
    assert cluster.sync() == []
    assert cluster.sizes() == {new: 3, old: 0}
    assert cluster.d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"


def test_r10_rolling_update_surges_three_and_drops_two() -> None:
    """Reference 3.5: R=10, maxSurge ceil(2.5) = 3, maxUnavailable floor(2.5) = 2.

    The reference counts the first scale-down as sync 2; upstream's rolloutRolling goes on
    to reconcileOldReplicaSets in the very sync that created B, so both events come at once.
    """
    cluster = _settled(10)
    a = name_of(cluster.rs_by_image("nginx:1.14.2"))
    cluster.set_image("nginx:1.16.1")
    actions = cluster.sync()
    b = name_of(cluster.rs_by_image("nginx:1.16.1"))
    # no room to grow (13 >= 13); maxScaledDown = 13 - 8 - 3 = 2; budget 10 - 8 = 2
    assert event_messages(actions) == [
        f"Scaled up replica set {b} from 0 to 3",
        f"Scaled down replica set {a} from 10 to 8",
    ]
    cluster.settle(available=False)
    assert event_messages(cluster.sync()) == [f"Scaled up replica set {b} from 3 to 5"]
    cluster.settle(available=False)
    assert event_messages(cluster.sync()) == []  # 13 - 8 - 5 = 0: wait for B's pods
    cluster.run_until_settled()
    assert cluster.sizes() == {a: 0, b: 10}


def test_unhealthy_old_replicas_are_cleaned_up_first() -> None:
    cluster = _settled(4)  # surge 1, unavailable 1
    old = cluster.rs_by_image("nginx:1.14.2")
    old["status"]["availableReplicas"] = 2  # two old pods crash
    old["status"]["readyReplicas"] = 2
    cluster.set_image("nginx:1.16.1")
    actions = cluster.sync()
    new = name_of(cluster.rs_by_image("nginx:1.16.1"))
    # maxScaledDown = 5 - 3 - 1 = 1: one unhealthy old replica goes (C1); then available
    # 2 <= minAvailable 3 stops the availability-driven scale-down (C2)
    assert event_messages(actions) == [
        f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {name_of(old)} from 4 to 3",
    ]


@settings(max_examples=60)
@given(
    replicas=st.integers(min_value=1, max_value=12),
    surge=st.one_of(st.integers(0, 4), st.sampled_from(["0%", "10%", "25%", "50%", "100%"])),
    unavailable=st.one_of(st.integers(0, 4), st.sampled_from(["0%", "10%", "25%", "50%"])),
    lag=st.lists(st.booleans(), max_size=6),
)
def test_rollout_stays_within_surge_and_unavailability_bounds(
    replicas: int, surge: object, unavailable: object, lag: list[bool]
) -> None:
    """Sum of spec.replicas <= R + maxSurge and available >= R - maxUnavailable throughout,
    when new pods become available only on a later step (sometimes several steps later)."""
    if surge in (0, "0%") and unavailable in (0, "0%"):
        unavailable = 1  # validation forbids an explicit 0/0
    cluster = _settled(replicas, max_surge=surge, max_unavailable=unavailable)
    upper = replicas + max_surge(cluster.d)
    lower = replicas - max_unavailable(cluster.d)
    cluster.set_image("nginx:1.16.1")
    lag = [*lag, True]  # pods do become available eventually
    for step in range(200):
        cluster.sync()
        total = sum(rs["spec"]["replicas"] for rs in cluster.rss.values())
        assert total <= upper
        # The RS controller deletes unavailable pods first when an RS shrinks.
        available = sum(
            min(rs["status"].get("availableReplicas", 0), rs["spec"]["replicas"])
            for rs in cluster.rss.values()
        )
        assert available >= lower
        cluster.settle(available=lag[step % len(lag)])
        new = cluster.rs_by_image("nginx:1.16.1")
        if new["status"].get("availableReplicas") == replicas and total == replicas:
            break
    else:
        raise AssertionError("rollout did not finish")
