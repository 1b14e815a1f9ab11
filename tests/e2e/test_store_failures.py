"""The store failing under the real mkctl and daemon: a command that reports failure has not
written, an acknowledged write is kept and its work finished later, and the daemon outlives
another process holding the write lock.

Faults are injected with `MKCTL_FAILPOINT=<point>=full` (controlplane/failpoints.py), which
raises SQLite's "database or disk is full" there.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from controlplane.runtime.lease import process_alive
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, wait_for
from tests.e2e.test_bad_input import store_rows


def seeded(mkctl: Mkctl, tmp_path: Path, replicas: int = 3) -> Path:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=replicas, image="nginx:1.25"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    return tmp_path / "home"


def replicas_and_phases(mkctl: Mkctl) -> tuple[int, list[str]]:
    deployment = json.loads(mkctl("get", "deployment", "web", "-o", "json").out)
    pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    return deployment["spec"]["replicas"], sorted(p["status"]["phase"] for p in pods)


def test_a_write_that_fails_on_a_full_disk_reports_it_and_stores_nothing(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    home = seeded(mkctl, tmp_path)
    before = store_rows(home)
    full = mkctl(
        "scale", "deployment", "web", "--replicas=5", env={"MKCTL_FAILPOINT": "store.commit=full"}
    )
    db = home / "cluster.db"
    assert (full.code, full.out) == (1, "")
    assert full.err == f"error: the store {db} is full: free disk space and try again\n"
    assert store_rows(home) == before
    assert replicas_and_phases(mkctl) == (3, ["Running"] * 3)


def test_an_acknowledged_write_is_kept_and_its_work_finished_by_the_next_command(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    home = seeded(mkctl, tmp_path)
    scaled = mkctl(
        "scale",
        "deployment",
        "web",
        "--replicas=12",
        env={"MKCTL_FAILPOINT": "kubelet.before-commit=full"},
    )
    assert (scaled.code, scaled.out) == (0, "deployment.apps/web scaled\n")
    assert scaled.err == (
        f"Warning: the cluster has not caught up yet: the store {home / 'cluster.db'} is full: "
        "free disk space and try again; the next mkctl command or the daemon continues the "
        "work\n"
    )
    assert replicas_and_phases(mkctl) == (12, ["Pending"] * 9 + ["Running"] * 3)
    assert mkctl("annotate", "deployment", "web", "note=disk freed").code == 0
    assert replicas_and_phases(mkctl) == (12, ["Running"] * 12)


def test_the_daemon_outlives_another_process_holding_the_write_lock(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    home = seeded(mkctl, tmp_path, replicas=2)
    short = {"MKCTL_STORE_BUSY_TIMEOUT": "0.2"}  # the default waits 30 s, and would not fail
    started = mkctl("cluster", "start", "--speed", "50", env=short)
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    try:
        assert mkctl("scale", "deployment", "web", "--replicas=4").code == 0
        holder = sqlite3.connect(home / "cluster.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the daemon now cannot write
        log = home / "daemon.log"
        wait_for(lambda: "is locked by another process" in log.read_text())
        wait_for(lambda: log.read_text().count("reconciling failed") >= 3)
        assert process_alive(pid)
        holder.execute("ROLLBACK")
        holder.close()
        wait_for(lambda: replicas_and_phases(mkctl) == (4, ["Running"] * 4))
        assert process_alive(pid)
    finally:
        stopped = mkctl("cluster", "stop")
    assert stopped.code == 0, stopped.err
