"""A real mkctl daemon for a test: the Kubernetes REST API on a free loopback port.

For code that talks to a cluster over HTTP (kubectl, client-go, the official Python client,
Helm): `api_server(home)` starts `mkctl`'s daemon with its own `MKCTL_HOME`, waits until it
serves, and stops it afterwards. The daemon reconciles on the real clock, `speed` times faster
than a small real cluster, so a test polls for what it expects rather than sleeping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from controlplane import daemon
from controlplane.home import PRIVATE_DIR

# Pods are Ready a fifth of a second after they are scheduled instead of two seconds.
TEST_SPEED = 10.0


@dataclass(frozen=True)
class ApiServer:
    """A running daemon: where its kubeconfig is, and what it holds (URL, bearer token)."""

    home: Path  # its MKCTL_HOME
    kubeconfig: Path  # cluster, user and current context `mkctl`
    url: str  # https://127.0.0.1:PORT
    token: str
    pid: int

    @property
    def env(self) -> dict[str, str]:
        """Variables that point `mkctl` (MKCTL_HOME) and kubectl or a client (KUBECONFIG) at
        this server: add them to a subprocess's environment."""
        return {"MKCTL_HOME": str(self.home), "KUBECONFIG": str(self.kubeconfig)}


@contextmanager
def api_server(home: Path, *, speed: float = TEST_SPEED) -> Iterator[ApiServer]:
    """Start a daemon whose home is `home` (created private if missing), yield it, stop it.

    Its store is always the SQLite file in `home`: a `MKCTL_STORE` set for other work is
    not inherited, so a test never touches a cluster it did not start."""
    home.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    with _without("MKCTL_STORE"):
        try:
            pid = daemon.start(speed, home)
        except daemon.DaemonError as exc:
            raise RuntimeError(f"the mkctl API server did not start: {exc}") from None
    try:
        kubeconfig = daemon.kubeconfig_path(home)
        config = json.loads(kubeconfig.read_text())
        yield ApiServer(
            home=home,
            kubeconfig=kubeconfig,
            url=config["clusters"][0]["cluster"]["server"],
            token=config["users"][0]["user"]["token"],
            pid=pid,
        )
    finally:
        with suppress(daemon.DaemonError):  # it already exited: nothing left to stop
            daemon.stop(home)


@contextmanager
def _without(variable: str) -> Iterator[None]:
    """`variable` unset while the block runs (the daemon inherits this process's env)."""
    saved = os.environ.pop(variable, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[variable] = saved
