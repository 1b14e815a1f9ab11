"""Daemon mode with the real mkctl: lifecycle, bad requests, and convergence after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.runtime.lease import process_alive as alive
from tests.clients import call, daemon_address
from tests.e2e.conftest import (
    REPO,
    WEB_DEPLOYMENT,
    Mkctl,
    mkctl_command,
    mkctl_importing,
    wait_for,
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def daemon(mkctl: Mkctl, home: Path) -> Iterator[int]:
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    yield pid
    mkctl("cluster", "stop")
    assert not alive(pid)


def wait_gone(pid: int) -> None:
    for _ in range(200):
        if not alive(pid):
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} still alive")


def items(mkctl: Mkctl, *args: str) -> list[dict]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)["items"]


def test_daemon_lifecycle_and_its_refusals(mkctl: Mkctl, home: Path, daemon: int) -> None:
    assert (home / "daemon.pid").read_text().strip() == str(daemon)
    second = mkctl("cluster", "start")
    assert (second.code, second.err) == (
        1,
        f"error: the mkctl daemon is already running (pid {daemon})\n",
    )
    status = mkctl("cluster", "status")
    assert status.out.startswith(f"daemon:  running (pid {daemon}, up ")
    assert "nodes:   3 (3 Ready)\n" in status.out
    stopped = mkctl("cluster", "stop")
    assert stopped.out == f"mkctl daemon stopped (pid {daemon})\n"
    wait_gone(daemon)
    assert not (home / "daemon.pid").exists() and not (home / "apiserver.json").exists()
    again = mkctl("cluster", "stop")
    assert (again.code, again.err) == (1, "error: the mkctl daemon is not running\n")


def test_a_stale_pidfile_is_detected_and_cleaned(mkctl: Mkctl, home: Path) -> None:
    mkctl("get", "nodes")  # creates the home
    (home / "daemon.pid").write_text("999999999\n")
    status = mkctl("cluster", "status")
    assert "a stale pidfile was left by a killed daemon" in status.out
    stop = mkctl("cluster", "stop")
    assert (stop.code, stop.err) == (
        1,
        "error: the mkctl daemon is not running (removed a stale pidfile)\n",
    )
    assert not (home / "daemon.pid").exists()


@pytest.mark.parametrize(
    ("given", "shown"),
    [("nan", "nan"), ("inf", "inf"), ("0", "0.0"), ("-1", "-1.0"), ("1e-9", "1e-09")],
)
def test_an_invalid_speed_is_refused(mkctl: Mkctl, home: Path, given: str, shown: str) -> None:
    bad = mkctl("cluster", "start", "--speed", given)
    assert (bad.code, bad.err) == (
        1,
        f"error: invalid speed {shown}: must be a number from 0.01 to 1000\n",
    )
    assert not (home / "daemon.pid").exists() and not (home / "daemon.log").exists()


def test_stop_never_signals_a_process_the_pidfile_names_wrongly(mkctl: Mkctl, home: Path) -> None:
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        mkctl("get", "nodes")  # creates the home
        (home / "daemon.pid").write_text(f"{bystander.pid}\n")  # as after a reboot
        assert "a stale pidfile was left by a killed daemon" in mkctl("cluster", "status").out
        stop = mkctl("cluster", "stop")
        assert (stop.code, stop.err) == (
            1,
            "error: the mkctl daemon is not running (removed a stale pidfile)\n",
        )
        assert bystander.poll() is None
        started = mkctl("cluster", "start", "--speed", "50")
        assert started.code == 0, started.err
        daemon = int(started.out.split("pid ")[1].rstrip(")\n"))
        (home / "daemon.pid").write_text(f"{bystander.pid}\n")  # overwritten while it runs
        assert f"running (pid {daemon}," in mkctl("cluster", "status").out
        assert mkctl("cluster", "stop").out == f"mkctl daemon stopped (pid {daemon})\n"
        wait_gone(daemon)
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


def daemons_serving(home: Path) -> list[int]:
    """Every `controlplane.daemon` process whose MKCTL_HOME is `home`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if b"controlplane.daemon" not in (entry / "cmdline").read_bytes():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"MKCTL_HOME={home}".encode() in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def test_two_starts_at_once_leave_exactly_one_daemon(home: Path) -> None:
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc to count daemons")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(home)
    starts = [
        subprocess.Popen(
            [*mkctl_command(), "cluster", "start", "--speed", "50"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = sorted((p.wait(timeout=120), *p.communicate()) for p in starts)
    try:
        (won, out, _), (lost, _, err) = results
        assert (won, lost) == (0, 1), results
        winner = int(out.split("pid ")[1].rstrip(")\n"))
        assert err == f"error: the mkctl daemon is already running (pid {winner})\n"
        assert daemons_serving(home) == [winner]
        assert (home / "daemon.pid").read_text() == f"{winner}\n"
        assert json.loads((home / "apiserver.json").read_text())["url"] in (
            home / "kubeconfig"
        ).read_text().replace("https://", "http://")
    finally:
        stopped = subprocess.run(
            [*mkctl_command(), "cluster", "stop"], env=env, capture_output=True, text=True
        )
    assert stopped.returncode == 0, stopped.stderr
    wait_for(lambda: not daemons_serving(home))


def test_with_a_daemon_commands_return_at_once_and_the_daemon_reconciles(
    mkctl: Mkctl, daemon: int, tmp_path: Path
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    done = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
    assert done.code == 0, done.err
    assert done.out.endswith('deployment "web" successfully rolled out\n')
    assert len(items(mkctl, "pods")) == 3


def test_with_a_daemon_reads_are_answered_over_http_without_the_store(
    mkctl: Mkctl, daemon: int, home: Path, tmp_path: Path
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    served = json.loads((home / "apiserver.json").read_text())
    assert served["url"].startswith("http://127.0.0.1:")
    printed, imported = mkctl_importing(home, "get", "pods", "-o", "name")
    assert len(printed) == 2 and all(line.startswith("pod/web-") for line in printed), printed
    assert "controlplane.store" not in imported
    url, token = daemon_address(home)
    listed = call(url, "GET", "/apis/apps/v1/namespaces/default/deployments", token=token).json()
    assert listed["kind"] == "DeploymentList"
    assert [d["metadata"]["name"] for d in listed["items"]] == ["web"]


def test_sigkill_mid_rollout_then_restart_converges(
    mkctl: Mkctl, home: Path, tmp_path: Path
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=60, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: settles at once
    started = mkctl("cluster", "start", "--speed", "50")
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=60, image="nginx:1.16.1"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)
    restarted = mkctl("cluster", "start", "--speed", "50")
    assert restarted.code == 0, restarted.err
    try:
        done = mkctl("rollout", "status", "deployment/web", "--timeout=120s")
        assert done.code == 0, done.err
    finally:
        mkctl("cluster", "stop")
    pods = items(mkctl, "pods")
    sets = {rs["metadata"]["name"]: rs for rs in items(mkctl, "rs")}
    new = [rs for rs in sets.values() if rs["spec"]["replicas"] == 60]
    assert len(new) == 1 and len(sets) == 2
    assert len(pods) == 60 and len({p["metadata"]["name"] for p in pods}) == 60
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.16.1"}
    assert {p["metadata"]["ownerReferences"][0]["uid"] for p in pods} == {new[0]["metadata"]["uid"]}
    (deploy,) = items(mkctl, "deploy")
    assert deploy["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
