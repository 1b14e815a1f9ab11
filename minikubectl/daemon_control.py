"""The CLI's hold on the daemon process: start it, stop it, ask after it, find its kubeconfig.

Not the cluster's API (that is `client.py`'s door): these act on the process that serves it,
through its pidfile and lock (`controlplane/daemon.py`), imported only by `mkctl cluster`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minikubectl.errors import CliError

if TYPE_CHECKING:
    from controlplane.daemon import DaemonStatus


def status() -> DaemonStatus:
    from controlplane import daemon

    return daemon.status()


def start(speed: float) -> int:
    from controlplane import daemon

    try:
        return daemon.start(speed)
    except daemon.DaemonError as exc:
        raise CliError(str(exc)) from exc


def stop() -> int:
    from controlplane import daemon

    try:
        return daemon.stop()
    except daemon.DaemonError as exc:
        raise CliError(str(exc)) from exc


def kubeconfig_path() -> str:
    """The daemon's kubeconfig for real clients, or a CliError when no daemon wrote it."""
    from controlplane import daemon

    path = daemon.kubeconfig_path()
    if not path.exists():
        raise CliError("no kubeconfig yet: start the daemon with 'mkctl cluster start'")
    return str(path)


def store_location() -> str:
    from controlplane.home import store_url

    return store_url()
