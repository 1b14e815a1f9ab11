"""The CLI's hold on the daemon process: start it, stop it, ask after it, find its kubeconfig.

Not the cluster's API (that is `client.py`'s door): these act on the process that serves it,
through its pidfile and lock (`controlplane/daemon.py`), imported by `mkctl cluster`, and by
`mkctl traffic`, which runs the controllers while it sends requests when no daemon does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from minikubectl.errors import CliError

# LeaseDuration, RenewDeadline and RetryPeriod, in seconds.
LeaderElection = tuple[float, float, float]

if TYPE_CHECKING:
    from controlplane.daemon import DaemonStatus
    from minikubectl.client import Client


def status() -> DaemonStatus:
    from controlplane import daemon

    return daemon.status()


def start(speed: float, election: LeaderElection | None = None) -> int:
    """Start this home's daemon, on this home's store (shared with other daemons maybe)."""
    from controlplane import daemon
    from controlplane.runtime.lease import LeaderElectionConfig

    config = LeaderElectionConfig(*election) if election else None
    try:
        return daemon.start(speed, election=config)
    except daemon.DaemonError as exc:
        raise CliError(str(exc)) from exc


def stop() -> int:
    from controlplane import daemon

    try:
        return daemon.stop()
    except daemon.DaemonError as exc:
        raise CliError(str(exc)) from exc


def leader(client: Client, daemon: int | None) -> str:
    """Who holds the controller lease (kube-system/kube-controller-manager), and whether
    it is this home's daemon."""
    from controlplane.runtime.lease import current_record, pid_of

    record = current_record(client.api)
    if record is None or record.expired(time.time()):
        return "none: the next command or daemon takes the controller lease"
    holder = record.holder_identity
    if daemon is not None and pid_of(holder) == daemon:
        return f"{holder} (this daemon runs the controllers)"
    return holder


def kubeconfig_path() -> str:
    """The daemon's kubeconfig for real clients, or a CliError when no daemon wrote it."""
    from controlplane import daemon

    path = daemon.kubeconfig_path()
    if not path.exists():
        raise CliError("no kubeconfig yet: start the daemon with 'mkctl cluster start'")
    return str(path)


def store_location() -> str:
    """Where the cluster's store is, fit to print: a server URL's password as `***`."""
    from controlplane.home import store_url
    from controlplane.store.engine import without_password

    return without_password(store_url())


@contextmanager
def controllers_running(client: Client, speed: float) -> Iterator[None]:
    """While the block runs, run the controllers in the background on the real clock, as
    the daemon does (so other mkctl commands meanwhile only write, and pods take their
    time); with a daemon reconciling, or serving, there is nothing to run."""
    from controlplane.runtime.lease import DAEMON, daemon_reconciles, holder_identity

    if client.served is not None or daemon_reconciles(client.local):
        yield
        return
    import threading

    from controlplane.cluster import open_cluster

    cluster = open_cluster(holder=holder_identity(DAEMON), speed=speed)
    stop = threading.Event()
    thread = threading.Thread(target=cluster.manager.run_forever, args=(stop.is_set,))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
