"""The leader election state machine on a fake clock, as client-go's leaderelection tests
drive theirs: who may take the Lease when, what each write records, and the fence."""

from __future__ import annotations

import copy

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.models.leases import LEASE_NAMESPACE, LeaderElectionRecord, micro_time
from controlplane.runtime.leader_election import LeaderElector, LeaderLost
from controlplane.runtime.lease import LEASE_NAME, LeaderElectionConfig, current_record

CONFIG = LeaderElectionConfig()


@pytest.fixture
def api(api: Api) -> Api:
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": LEASE_NAMESPACE}})
    return api


def elector(api: Api, name: str) -> LeaderElector:
    return LeaderElector(api, f"elsewhere_daemon-{name}-0", CONFIG)


def record(api: Api) -> LeaderElectionRecord:
    found = current_record(api)
    assert found is not None
    return found


def test_the_first_candidate_creates_the_lease(api: Api, clock: FakeClock) -> None:
    a = elector(api, "1")
    assert a.try_acquire_or_renew() and a.is_leader
    lease = api.get("Lease", LEASE_NAMESPACE, LEASE_NAME)
    assert lease["spec"] == {
        "holderIdentity": a.identity,
        "leaseDurationSeconds": 15,
        "acquireTime": micro_time(clock.now()),
        "renewTime": micro_time(clock.now()),
        "leaseTransitions": 0,
    }
    assert lease["metadata"]["managedFields"][0]["manager"] == "kube-controller-manager"


def test_renewing_keeps_the_acquire_time(api: Api, clock: FakeClock) -> None:
    a = elector(api, "1")
    a.try_acquire_or_renew()
    acquired = clock.now()
    clock.advance(CONFIG.retry_period)
    assert a.try_acquire_or_renew()
    renewed = record(api)
    assert (renewed.acquire_time, renewed.renew_time) == (acquired, clock.now())
    assert renewed.leader_transitions == 0


def test_a_held_lease_is_taken_only_after_lease_duration_without_renewal(
    api: Api, clock: FakeClock
) -> None:
    a, b = elector(api, "1"), elector(api, "2")
    a.try_acquire_or_renew()
    for _ in range(10):  # a renews every RetryPeriod: b never gets it
        clock.advance(CONFIG.retry_period)
        assert a.try_acquire_or_renew()
        assert not b.try_acquire_or_renew() and not b.is_leader
    clock.advance(CONFIG.lease_duration - 0.5)  # a stopped renewing
    assert not b.try_acquire_or_renew()
    clock.advance(0.5)
    assert b.try_acquire_or_renew()
    taken = record(api)
    assert taken.holder_identity == b.identity
    assert (taken.acquire_time, taken.leader_transitions) == (clock.now(), 1)


def test_a_record_from_a_clock_ahead_is_judged_by_when_it_was_last_seen_to_change(
    api: Api, clock: FakeClock
) -> None:
    """client-go's observedTime: a renewTime far in the future (another machine's clock)
    does not keep the lease valid once nobody has changed it for LeaseDuration."""
    a, b = elector(api, "1"), elector(api, "2")
    a.try_acquire_or_renew()
    lease = copy.deepcopy(api.get("Lease", LEASE_NAMESPACE, LEASE_NAME))
    lease["spec"]["renewTime"] = micro_time(clock.now() + 3600)
    api.update(lease)
    assert not b.try_acquire_or_renew()
    clock.advance(CONFIG.lease_duration)
    assert b.try_acquire_or_renew()


def test_of_two_writes_from_the_same_read_only_one_wins(api: Api, clock: FakeClock) -> None:
    a, b = elector(api, "1"), elector(api, "2")
    a.try_acquire_or_renew()
    clock.advance(CONFIG.lease_duration + 1)
    stale = api.get("Lease", LEASE_NAMESPACE, LEASE_NAME)
    assert b.try_acquire_or_renew()  # b's compare-and-swap lands first
    taken = LeaderElectionRecord(a.identity, 15, clock.now(), clock.now(), 1)
    assert not a._write(stale, taken, create=False)  # a's, on the same read, is refused
    assert record(api).holder_identity == b.identity


def test_a_released_lease_is_free_at_once(api: Api, clock: FakeClock) -> None:
    a, b = elector(api, "1"), elector(api, "2")
    a.try_acquire_or_renew()
    assert not b.try_acquire_or_renew()
    a.release()
    released = record(api)
    assert (released.holder_identity, released.lease_duration_seconds) == ("", 1)
    assert not a.is_leader
    assert b.try_acquire_or_renew()
    assert record(api).leader_transitions == 1


def test_the_fence_refuses_a_transaction_once_the_lease_changed_hands(
    api: Api, clock: FakeClock
) -> None:
    a, b = elector(api, "1"), elector(api, "2")
    a.try_acquire_or_renew()
    with api.batch():
        a.fence()  # still ours, as we wrote it
    clock.advance(CONFIG.lease_duration + 1)
    b.try_acquire_or_renew()
    before = api.current_revision()
    with pytest.raises(LeaderLost, match=f"now held by {b.identity}"), api.batch():
        api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
        a.fence()
    assert api.current_revision() == before  # the whole transaction rolled back
    assert not a.is_leader


def test_the_fence_refuses_even_our_own_lease_rewritten_by_another(api: Api) -> None:
    a = elector(api, "1")
    a.try_acquire_or_renew()
    lease = copy.deepcopy(api.get("Lease", LEASE_NAMESPACE, LEASE_NAME))
    lease["metadata"]["labels"] = {"touched": "yes"}
    api.update(lease)
    with pytest.raises(LeaderLost), api.batch():
        a.fence()


@pytest.mark.parametrize(
    ("durations", "message"),
    [
        ((10, 10, 2), "leaseDuration must be greater than renewDeadline"),
        ((15, 2, 2), "renewDeadline must be greater than retryPeriod*JitterFactor"),
    ],
)
def test_election_settings_are_checked_as_client_go_does(
    durations: tuple[float, float, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("*", r"\*")):
        LeaderElectionConfig(*durations).check()
