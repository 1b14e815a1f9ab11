"""The daemon: the same manager as embedded mode, forever, on the real clock.

`mkctl cluster start` runs `python -m controlplane.daemon` as a detached process. It writes
its pid to `$MKCTL_HOME/daemon.pid` and logs to `$MKCTL_HOME/daemon.log`, takes the
controller lease (waiting for an embedded command that holds it to finish), and reconciles
until SIGTERM or SIGINT, when it saves its progress, releases the lease and removes the
pidfile. A daemon killed with SIGKILL leaves a stale pidfile and a lease held by a dead
process; both are recognised and taken over by the next start or command.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from controlplane.apiserver import endpoint
from controlplane.paths import home
from controlplane.runtime.lease import DAEMON, holder_identity, process_alive

PIDFILE = "daemon.pid"
LOGFILE = "daemon.log"
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


def status(where: Path | None = None) -> DaemonStatus:
    """Is a daemon running here? A pidfile whose process is gone is reported as stale."""
    path = pidfile(where)
    try:
        pid = int(path.read_text().strip())
        started = path.stat().st_mtime
    except (FileNotFoundError, ValueError):
        return DaemonStatus(None, None, stale_pidfile=path.exists())
    if not process_alive(pid):
        return DaemonStatus(None, None, stale_pidfile=True)
    return DaemonStatus(pid, started)


def start(speed: float, where: Path | None = None) -> int:
    """Launch a detached daemon and wait until it runs; returns its pid."""
    if speed <= 0:
        raise DaemonError(f"invalid speed {speed}: must be a number greater than 0")
    where = where or home()
    where.mkdir(parents=True, exist_ok=True)
    current = status(where)
    if current.pid is not None:
        raise DaemonError(f"the mkctl daemon is already running (pid {current.pid})")
    if current.stale_pidfile:
        forget(where)
    env = {**os.environ, "MKCTL_HOME": str(where)}
    with open(where / LOGFILE, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "controlplane.daemon", "--speed", str(speed)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if status(where).pid == process.pid:
            return process.pid
        if process.poll() is not None:
            raise DaemonError(f"the mkctl daemon exited at start; see {where / LOGFILE}")
        time.sleep(0.02)
    process.terminate()
    raise DaemonError(f"the mkctl daemon did not start in time; see {where / LOGFILE}")


def stop(where: Path | None = None) -> int:
    """Ask the daemon to stop (SIGTERM) and wait until it has; returns its pid."""
    where = where or home()
    current = status(where)
    if current.pid is None:
        if current.stale_pidfile:
            forget(where)
            raise DaemonError("the mkctl daemon is not running (removed a stale pidfile)")
        raise DaemonError("the mkctl daemon is not running")
    os.kill(current.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not process_alive(current.pid):
            forget(where)
            return current.pid
        time.sleep(0.02)
    os.kill(current.pid, signal.SIGKILL)
    forget(where)
    return current.pid


def forget(where: Path) -> None:
    """Remove what a daemon that is gone left behind: its pidfile and its API endpoint."""
    endpoint.withdraw(where)
    pidfile(where).unlink(missing_ok=True)


def run(speed: float) -> None:
    """The daemon process itself."""
    where = home()
    stopping = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # Imported here: `mkctl cluster start|stop` load this module too, and need no store
    # (the controllers are most of a start's time when imported twice).
    from controlplane.apiserver.http import ApiServer
    from controlplane.bootstrap import open_api
    from controlplane.cluster import open_cluster

    cluster = open_cluster(holder=holder_identity(DAEMON), speed=speed)
    store_url = cluster.api.store.url
    # The API server gets its own API and store connection: it answers from its own thread.
    server = ApiServer(open_api(store_url, clock=cluster.api.clock))
    server.serve_in_background()
    endpoint.publish(where, endpoint.Endpoint(server.url, store_url))
    pidfile(where).write_text(f"{os.getpid()}\n")
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run(args.speed)


if __name__ == "__main__":
    main()
