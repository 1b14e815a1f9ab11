"""Controller failover: two mkctl daemons on one store, the leader killed (or paused) mid-
rollout again and again; how long until the other holds the controller lease, and does each
rollout still finish with exactly its replicas?

    .venv/bin/python bench/failover.py                 # 10 SIGKILLs, 15/10/2 s
    .venv/bin/python bench/failover.py --signal stop   # 10 SIGSTOPs: the lease must expire
    .venv/bin/python bench/failover.py --kills 3 --lease-duration 3 --renew-deadline 2 \\
        --retry-period 0.5

Takeover is the new holder's acquireTime less the moment of the signal, both on this
machine's clock. A SIGKILLed holder on the same machine is recognised as dead and its lease
taken at the next RetryPeriod; a paused one (or one on another machine) only after its lease
runs out, so the bound either way is LeaseDuration + 2 x RetryPeriod. A leader paused inside
a write transaction keeps a SQLite store locked until it resumes (no one can write, the
standby neither): such rounds, checked in /proc/locks, are counted apart.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from controlplane.api.verbs import Api
from controlplane.bootstrap import open_api
from controlplane.runtime.lease import current_record, pid_of

MKCTL = [sys.executable, "-m", "minikubectl"]
REPLICAS = (6, 9)  # each round scales between these, with a new image


def mkctl(home: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    done = subprocess.run(
        [*MKCTL, *args],
        env={**env, "MKCTL_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"mkctl {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def start(home: Path, store: str, flags: list[str]) -> int:
    out = mkctl(home, "cluster", "start", "--speed", "5", "--store", store, *flags)
    return int(out.split("pid ")[1].rstrip(")\n"))


def check_rollout(home: Path, replicas: int, image: str) -> None:
    """The rollout finished with exactly `replicas` pods of the new ReplicaSet."""
    mkctl(home, "rollout", "status", "deployment/web", "--timeout=100s")
    deadline = time.monotonic() + 60
    while True:
        pods = json.loads(mkctl(home, "get", "pods", "-l", "app=web", "-o", "json"))["items"]
        if len(pods) == replicas or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    owners = {p["metadata"]["ownerReferences"][0]["uid"] for p in pods}
    images = {p["spec"]["containers"][0]["image"] for p in pods}
    if len(pods) != replicas or len(owners) != 1 or images != {image}:
        raise SystemExit(f"after failover: {len(pods)} pods, owners {owners}, images {images}")


def taken_over(api: Api, pid: int, deadline: float) -> float | None:
    """When daemon `pid` took the lease (its acquireTime), or None by `deadline`."""
    while time.time() < deadline:
        record = current_record(api)
        if record and pid_of(record.holder_identity) == pid and record.acquire_time:
            return record.acquire_time
        time.sleep(0.01)
    return None


def holds_write_lock(pid: int) -> bool:
    """Does `pid` hold a POSIX write lock (SQLite's RESERVED or PENDING byte) on any file?
    Read from /proc/locks: `1: POSIX ADVISORY WRITE <pid> <dev:inode> <start> <end>`."""
    try:
        with open("/proc/locks") as locks:
            return any(
                fields[1:5] == ["POSIX", "ADVISORY", "WRITE", str(pid)]
                for fields in (line.split() for line in locks)
            )
    except OSError:
        return True  # no /proc: assume so


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--signal", choices=("kill", "stop"), default="kill")
    parser.add_argument("--lease-duration", type=float, default=15.0)
    parser.add_argument("--renew-deadline", type=float, default=10.0)
    parser.add_argument("--retry-period", type=float, default=2.0)
    parser.add_argument(
        "--store", help="a store URL to use (emptied first); a new SQLite file by default"
    )
    args = parser.parse_args()
    flags = [
        f"--leader-elect-lease-duration={args.lease_duration}s",
        f"--leader-elect-renew-deadline={args.renew_deadline}s",
        f"--leader-elect-retry-period={args.retry_period}s",
    ]
    bound = args.lease_duration + 2 * args.retry_period
    work = Path(tempfile.mkdtemp(prefix="mkctl-failover-"))
    store = args.store or f"sqlite:///{work / 'shared.db'}"
    api = open_api(store)
    if args.store:
        api.store.reset()  # a cluster of its own, bootstrapped again by the first daemon
    homes = {start(work / name, store, flags): work / name for name in ("a", "b")}
    takeovers: list[float] = []
    blocked = 0
    try:
        mkctl(
            work / "a", "create", "deployment", "web", "--image=nginx:1.10-alpine", "--replicas=6"
        )
        for round_ in range(1, args.kills + 1):
            record = current_record(api)
            leader = pid_of(record.holder_identity) if record else None
            if leader not in homes:
                raise SystemExit(f"no daemon of ours leads: {record}")
            (other,) = (pid for pid in homes if pid != leader)
            replicas, image = REPLICAS[round_ % 2], f"nginx:1.{10 + round_}-alpine"
            mkctl(homes[other], "scale", "deployment/web", f"--replicas={replicas}")
            mkctl(homes[other], "set", "image", "deployment/web", f"nginx={image}")
            time.sleep(0.3)  # let the leader get into the rollout
            signalled = time.time()
            os.kill(leader, signal.SIGKILL if args.signal == "kill" else signal.SIGSTOP)
            taken = taken_over(api, other, signalled + bound + 10)
            if taken is None:
                if not holds_write_lock(leader):
                    raise SystemExit(f"round {round_}: no takeover, and no lock held")
                blocked += 1
                print(f"round {round_:2d}: paused holding the write lock", flush=True)
                os.kill(leader, signal.SIGCONT)
                check_rollout(homes[other], replicas, image)
                continue
            takeover = taken - signalled
            takeovers.append(takeover)
            print(f"round {round_:2d}: takeover {takeover:6.3f} s", flush=True)
            check_rollout(homes[other], replicas, image)
            home = homes.pop(leader)
            if args.signal == "stop":
                os.kill(leader, signal.SIGCONT)
                mkctl(home, "cluster", "stop")
            homes[start(home, store, flags)] = home
    finally:
        for pid, home in homes.items():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
            subprocess.run([*MKCTL, "cluster", "stop"], env={**os.environ, "MKCTL_HOME": str(home)})
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"takeover after SIG{args.signal.upper()} over {len(takeovers)} rounds: "
        f"min {min(takeovers):.3f} s, median {statistics.median(takeovers):.3f} s, "
        f"max {max(takeovers):.3f} s (bound LeaseDuration + 2 x RetryPeriod = {bound:g} s)"
    )
    if blocked:
        print(
            f"{blocked} more rounds paused the leader inside a write transaction: the store "
            "stayed locked, so no one wrote, until it resumed"
        )
    if max(takeovers) > bound:
        raise SystemExit("a takeover exceeded the bound")


if __name__ == "__main__":
    main()
