"""Two daemons on one store: both serve the API, the controllers run in the one holding the
Lease kube-system/kube-controller-manager, and the other takes over when the leader is
killed or paused past its lease; a paused leader that resumes writes nothing and steps down.

Short leader-election durations keep each case to seconds (kube-controller-manager's
defaults are 15/10/2 s)."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from controlplane.api.verbs import Api
from controlplane.bootstrap import open_api
from controlplane.models.leases import LeaderElectionRecord
from controlplane.runtime.lease import current_record, pid_of
from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, make_mkctl, wait_for

LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD = 2.0, 1.5, 0.25
ELECTION = (
    f"--leader-elect-lease-duration={LEASE_DURATION}s",
    f"--leader-elect-renew-deadline={RENEW_DEADLINE}s",
    f"--leader-elect-retry-period={RETRY_PERIOD}s",
)
TAKEOVER_BOUND = LEASE_DURATION + 2 * RETRY_PERIOD
REPLICAS = 8


@dataclass
class Daemons:
    homes: dict[int, Path]  # pid: its MKCTL_HOME
    mkctl: dict[int, Mkctl]
    store: Api

    def lease(self) -> LeaderElectionRecord:
        record = current_record(self.store)
        assert record is not None
        return record

    def leader(self) -> int:
        """The holder's pid, once one holds the lease: `cluster start` returns when the
        daemon serves, and its controllers take the lease a moment later (as
        kube-controller-manager's leader election runs after its server starts)."""
        pid = wait_for(
            lambda: (record := current_record(self.store)) and pid_of(record.holder_identity)
        )
        assert pid in self.homes
        return pid

    def other(self, pid: int) -> int:
        (other,) = (p for p in self.homes if p != pid)
        return other


@contextmanager
def two_daemons(
    tmp_path: Path, first_env: dict[str, str | None] | None = None
) -> Iterator[Daemons]:
    """Daemons `a` (started first, and the leader once it holds the lease) and `b`."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    found = Daemons({}, {}, open_api(url))
    try:
        for name, env in (("a", first_env), ("b", None)):
            mkctl = make_mkctl(tmp_path / name)
            started = mkctl("cluster", "start", "--speed", "5", "--store", url, *ELECTION, env=env)
            assert started.code == 0, started.err
            pid = int(started.out.split("pid ")[1].rstrip(")\n"))
            found.homes[pid], found.mkctl[pid] = tmp_path / name, mkctl
            found.leader()
        yield found
    finally:
        for pid, mkctl in found.mkctl.items():
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                continue
            mkctl("cluster", "stop")


@pytest.fixture
def daemons(tmp_path: Path) -> Iterator[Daemons]:
    with two_daemons(tmp_path) as found:
        yield found


def stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[-1].split()[0] == "T"


def items(mkctl: Mkctl, *args: str) -> list[dict]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)["items"]


def start_rollout(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=REPLICAS, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    done = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
    assert done.code == 0, done.err
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=REPLICAS, image="nginx:1.16.1"))
    assert mkctl("apply", "-f", str(manifest)).code == 0


def assert_rollout_finished(mkctl: Mkctl) -> None:
    """One new ReplicaSet owning exactly the replicas, all of the new image: no pod twice,
    none orphaned."""
    done = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
    assert done.code == 0, done.err
    sets = items(mkctl, "rs")
    (new,) = [rs for rs in sets if rs["spec"]["replicas"] == REPLICAS]
    pods = wait_for(lambda: len(p := items(mkctl, "pods")) == REPLICAS and p)
    assert len(sets) == 2
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.16.1"}
    owners = {p["metadata"]["ownerReferences"][0]["uid"] for p in pods}
    assert owners == {new["metadata"]["uid"]}


def test_both_serve_and_kubectl_shows_the_holder(daemons: Daemons) -> None:
    leader = daemons.leader()
    shown = [mkctl("get", "lease", "-n", "kube-system") for mkctl in daemons.mkctl.values()]
    if KUBECTL.exists():
        shown += [
            kubectl(home, "get", "lease", "-n", "kube-system") for home in daemons.homes.values()
        ]
    for result in shown:
        assert result.code == 0, result.err
        header, row = result.out.splitlines()
        assert header.split() == ["NAME", "HOLDER", "AGE"]
        assert row.split()[:2] == ["kube-controller-manager", daemons.lease().holder_identity]
        assert f"-{leader}-" in row
    lease = daemons.lease()
    assert (lease.lease_duration_seconds, lease.leader_transitions) == (2, 0)


def test_the_leader_killed_mid_rollout_is_replaced_and_the_rollout_finishes(
    daemons: Daemons, tmp_path: Path
) -> None:
    leader = daemons.leader()
    survivor = daemons.mkctl[daemons.other(leader)]
    start_rollout(survivor, tmp_path)
    wait_for(lambda: len(items(survivor, "rs")) == 2)  # the new ReplicaSet is under way
    killed_at = time.time()
    os.kill(leader, signal.SIGKILL)
    taken = wait_for(lambda: pid_of(daemons.lease().holder_identity) == daemons.other(leader))
    assert taken
    lease = daemons.lease()
    assert lease.acquire_time is not None
    assert lease.acquire_time - killed_at < TAKEOVER_BOUND
    assert lease.leader_transitions == 1
    assert_rollout_finished(survivor)


def test_a_leader_paused_past_its_lease_writes_nothing_when_it_resumes(tmp_path: Path) -> None:
    """The leader stops itself between planning a Job's pod and writing it; the standby
    takes over and creates the pod; the resumed leader's write is refused in its own
    transaction (else the Job would have two pods), and it stops its controllers."""
    with two_daemons(tmp_path, {"MKCTL_FAILPOINT": "job.before-write=stop"}) as daemons:
        leader = daemons.leader()
        standby = daemons.other(leader)
        mkctl = daemons.mkctl[standby]
        created = mkctl("create", "job", "once", "--image=busybox", "--", "true")
        assert created.code == 0, created.err
        wait_for(lambda: stopped(leader))
        paused_at = time.time()
        wait_for(lambda: pid_of(daemons.lease().holder_identity) == standby)
        lease = daemons.lease()
        assert lease.acquire_time is not None
        assert lease.acquire_time - paused_at < TAKEOVER_BOUND
        wait_for(lambda: items(mkctl, "pods", "-l", "job-name=once"))
        os.kill(leader, signal.SIGCONT)
        log = daemons.homes[leader] / "daemon.log"
        wait_for(lambda: "stopping the controllers until it is ours again" in log.read_text())
        done = mkctl("wait", "--for=condition=complete", "job/once", "--timeout=60s")
        assert done.code == 0, done.err
        assert len(items(mkctl, "pods", "-l", "job-name=once")) == 1  # no duplicate
        assert f"the controller lease is now held by {lease.holder_identity}" in log.read_text()
        assert pid_of(daemons.lease().holder_identity) == standby  # never taken back


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--leader-elect-lease-duration", "5s"],
            "error: invalid leader election settings: "
            "leaseDuration must be greater than renewDeadline\n",
        ),
        (
            ["--leader-elect-retry-period", "abc"],
            'error: invalid argument "abc" for "--leader-elect-retry-period" flag: '
            'time: invalid duration "abc"\n',
        ),
    ],
)
def test_bad_election_settings_are_refused_before_anything_starts(
    tmp_path: Path, flags: list[str], message: str
) -> None:
    refused = make_mkctl(tmp_path / "home")("cluster", "start", *flags)
    assert (refused.code, refused.err) == (1, message)
    assert not (tmp_path / "home").exists()
