"""The daemon: the same manager as embedded mode, forever, on the real clock.

`mkctl cluster start` makes a new bearer token (`$MKCTL_HOME/token`) and runs
`python -m controlplane.daemon` as a detached process. The daemon takes `daemon.lock` for as
long as it lives, writes its pid to `daemon.pid`, logs to `daemon.log`, writes `kubeconfig`
for real clients once it listens, takes the controller lease (waiting for an embedded command
that holds it to finish), and reconciles until SIGTERM or SIGINT, when it saves its progress,
releases the lease and removes the pidfile. A daemon killed with SIGKILL leaves a stale
pidfile and a lease held by a dead process; both are recognised and taken over by the next
start or command. Several daemons, each in its own home, may serve one store (`cluster start
--store`): each serves the API, and the controllers run in whichever holds the lease
(`runtime/leader_election.py`, with kube-controller-manager's `--leader-elect-*` durations).
Only the holder of the lock is ever signalled (a pidfile may name any
process after a reboot), and `start` and `stop` run one at a time (`lifecycle.lock`), so two
starts at once leave one daemon.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import math
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from controlplane.apiserver import endpoint, kubeconfig, tls
from controlplane.apiserver.daemon_token import new_token, read_token, write_token
from controlplane.home import home, open_private, private_home, write_private
from controlplane.runtime.lease import (
    DAEMON,
    LeaderElectionConfig,
    holder_identity,
    process_alive,
)

PIDFILE = "daemon.pid"
LOGFILE = "daemon.log"
LOCKFILE = "daemon.lock"  # held by the daemon for as long as it lives
LIFECYCLE_LOCK = "lifecycle.lock"  # held by `cluster start|stop` while they act
KUBECONFIG = "kubeconfig"
NAME = "mkctl"  # the kubeconfig's cluster, user and context
MIN_SPEED, MAX_SPEED = 0.01, 1000.0
FILE_LIMIT = 65536  # open files the daemon asks for, within the hard limit
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 15.0


class DaemonError(Exception):
    """A daemon lifecycle request that cannot be carried out; the message says why."""


@dataclass
class DaemonStatus:
    pid: int | None
    started: float | None  # epoch seconds, from the pidfile's mtime
    stale_pidfile: bool = False


def pidfile(where: Path | None = None) -> Path:
    return (where or home()) / PIDFILE


def kubeconfig_path(where: Path | None = None) -> Path:
    return (where or home()) / KUBECONFIG


def check_speed(speed: float) -> None:
    if not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise DaemonError(
            f"invalid speed {speed}: must be a number from {MIN_SPEED} to {MAX_SPEED:g}"
        )


@contextmanager
def lifecycle(where: Path) -> Iterator[None]:
    """Held by `cluster start` and `cluster stop` while they act, so that two of them at
    once run one after the other: the second sees what the first did."""
    fd = open_private(where / LIFECYCLE_LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def lock_holder(where: Path) -> int | None:
    """The pid holding the daemon's lock, or None when no process holds it.

    The lock dies with its process, so a pidfile left by a SIGKILL or a reboot names no
    one, whatever process has its number now. The holder's pid is read from /proc/locks
    (Linux); elsewhere the pidfile's pid is trusted only while the lock is held."""
    try:
        fd = os.open(where / LOCKFILE, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            inode = os.fstat(fd).st_ino
        else:
            return None  # not held: no daemon (the lock goes as the descriptor closes)
    finally:
        os.close(fd)
    try:
        with open("/proc/locks") as locks:
            for line in locks:
                fields = line.split()  # 1: FLOCK ADVISORY WRITE <pid> <maj:min:inode> ...
                if (
                    len(fields) > 5
                    and (fields[1], fields[3]) == ("FLOCK", "WRITE")
                    and fields[5].rsplit(":", 1)[-1] == str(inode)
                ):
                    return int(fields[4])
    except (OSError, ValueError):
        pass
    return _pidfile_pid(where)


def _pidfile_pid(where: Path) -> int | None:
    try:
        return int(pidfile(where).read_text().strip())
    except (OSError, ValueError):
        return None


def status(where: Path | None = None) -> DaemonStatus:
    """Is a daemon running here? Only the process holding the daemon's lock is one; a
    pidfile without it is reported as stale."""
    where = where or home()
    pid = lock_holder(where)
    if pid is None or not process_alive(pid):
        return DaemonStatus(None, None, stale_pidfile=pidfile(where).exists())
    try:
        started: float | None = pidfile(where).stat().st_mtime
    except OSError:
        started = None
    return DaemonStatus(pid, started)


def start(
    speed: float,
    where: Path | None = None,
    *,
    election: LeaderElectionConfig | None = None,
) -> int:
    """Launch a detached daemon and wait until it runs; returns its pid. It serves the
    home's store: any number of daemons, each on its own home, may share one (the
    controllers run in the one that holds the controller lease)."""
    check_speed(speed)
    election = election or LeaderElectionConfig()
    try:
        election.check()
    except ValueError as exc:
        raise DaemonError(f"invalid leader election settings: {exc}") from None
    where = where or private_home()
    with lifecycle(where):
        current = status(where)
        if current.pid is not None:
            raise DaemonError(f"the mkctl daemon is already running (pid {current.pid})")
        forget(where)
        write_token(where, new_token())
        tls.make_certificate(where)
        env = {**os.environ, "MKCTL_HOME": str(where)}
        log = open_private(where / LOGFILE, os.O_WRONLY | os.O_APPEND)
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "controlplane.daemon",
                    "--speed",
                    str(speed),
                    *election_flags(election),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
            )
        finally:
            os.close(log)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if status(where).pid == process.pid and (where / endpoint.ENDPOINT_FILE).exists():
                return process.pid
            if process.poll() is not None:
                raise DaemonError(f"the mkctl daemon exited at start; see {where / LOGFILE}")
            time.sleep(0.02)
        process.terminate()
        raise DaemonError(f"the mkctl daemon did not start in time; see {where / LOGFILE}")


def stop(where: Path | None = None) -> int:
    """Ask the daemon to stop (SIGTERM) and wait until it has; returns its pid.

    The signal goes only to the process that holds the daemon's lock, through a pidfd
    opened before the check, so that not even a pid reused in between is signalled."""
    where = where or home()
    if not where.is_dir():
        raise DaemonError("the mkctl daemon is not running")
    with lifecycle(where):
        current = status(where)
        if current.pid is None:
            if current.stale_pidfile:
                forget(where)
                raise DaemonError("the mkctl daemon is not running (removed a stale pidfile)")
            raise DaemonError("the mkctl daemon is not running")
        pid = current.pid
        with _process_handle(pid) as handle:
            if lock_holder(where) != pid:
                raise DaemonError("the mkctl daemon is not running")
            handle(signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                if lock_holder(where) != pid:
                    forget(where)
                    return pid
                time.sleep(0.02)
            handle(signal.SIGKILL)
        forget(where)
        return pid


@contextmanager
def _process_handle(pid: int) -> Iterator[Callable[[int], None]]:
    """A way to signal `pid` that cannot reach another process reusing its number."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfds (macOS, older Linux)
        yield lambda signum: os.kill(pid, signum)
        return
    try:
        yield lambda signum: signal.pidfd_send_signal(fd, signum)
    finally:
        os.close(fd)


def forget(where: Path) -> None:
    """Remove what a daemon that is gone left behind: its pidfile and its API endpoint."""
    endpoint.withdraw(where)
    pidfile(where).unlink(missing_ok=True)


def write_kubeconfig(where: Path, url: str, token: str) -> None:
    """`$MKCTL_HOME/kubeconfig`, for kubectl and the other real clients: the server (https
    with the daemon's certificate when it has one), the token, and a context `mkctl`."""
    entry = kubeconfig.cluster_entry(url, where)
    doc = kubeconfig.kubeconfig(NAME, entry, NAME, token, context=NAME)
    kubeconfig.write(kubeconfig_path(where), doc)


def hold_daemon_lock(where: Path) -> int:
    """Take the lock that makes this process the daemon, for as long as it lives. A probe
    by `status` holds it shared for an instant, hence the short retry."""
    fd = open_private(where / LOCKFILE, os.O_RDWR)
    deadline = time.monotonic() + 2.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise DaemonError("another mkctl daemon runs on this home") from None
            time.sleep(0.01)


def raise_file_limit() -> None:
    """Allow as many open files as the hard limit does, as Go programs do at start (os
    package, `adjustFileLimit`): each API connection holds one, and the soft limit is
    often 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = FILE_LIMIT if hard == resource.RLIM_INFINITY else min(hard, FILE_LIMIT)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def election_flags(election: LeaderElectionConfig) -> list[str]:
    """kube-controller-manager's flags for these settings, as the daemon takes them."""
    return [
        f"--leader-elect-lease-duration={election.lease_duration}s",
        f"--leader-elect-renew-deadline={election.renew_deadline}s",
        f"--leader-elect-retry-period={election.retry_period}s",
    ]


def run(speed: float, election: LeaderElectionConfig) -> None:
    """The daemon process itself."""
    raise_file_limit()
    where = private_home()
    hold_daemon_lock(where)  # kept until the process exits
    write_private(pidfile(where), f"{os.getpid()}\n")
    token = read_token(where) or new_token()
    stopping = False
    wake: list[Callable[[], None]] = []  # ends the controllers' idle wait

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for now in wake:
            now()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # Imported here: `mkctl cluster start|stop` load this module too, and need no store
    # (the controllers are most of a start's time when imported twice).
    from controlplane.apiserver.http import ApiServer
    from controlplane.bootstrap import open_api
    from controlplane.cluster import open_cluster

    cluster = open_cluster(holder=holder_identity(DAEMON), speed=speed, election=election)
    wake.append(cluster.manager.wake)
    store_url = cluster.api.store.url
    # The API server gets its own API and store connection: it answers from its own thread.
    secure = tls.server_context(where) if tls.has_certificate(where) else None
    server = ApiServer(open_api(store_url, clock=cluster.api.clock), token, tls=secure)
    server.serve_in_background()
    write_token(where, token)
    write_kubeconfig(where, server.url, token)
    endpoint.publish(where, endpoint.Endpoint(server.url, store_url))
    logging.info("mkctl daemon %d started (speed %s), serving %s", os.getpid(), speed, server.url)
    try:
        cluster.manager.run_forever(lambda: stopping)
    finally:
        server.shutdown()
        forget(where)
        logging.info("mkctl daemon %d stopped", os.getpid())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m controlplane.daemon")
    parser.add_argument("--speed", type=float, default=1.0)
    defaults = LeaderElectionConfig()
    for flag, default in (
        ("--leader-elect-lease-duration", defaults.lease_duration),
        ("--leader-elect-renew-deadline", defaults.renew_deadline),
        ("--leader-elect-retry-period", defaults.retry_period),
    ):
        parser.add_argument(flag, type=duration, default=default)
    args = parser.parse_args(argv)
    check_speed(args.speed)
    election = LeaderElectionConfig(
        args.leader_elect_lease_duration,
        args.leader_elect_renew_deadline,
        args.leader_elect_retry_period,
    )
    election.check()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run(args.speed, election)


def duration(text: str) -> float:
    """A duration flag in Go's syntax, as kube-controller-manager's: `15s`, `500ms`."""
    from controlplane.models.durations import parse_duration

    return parse_duration(text)


if __name__ == "__main__":
    main()
