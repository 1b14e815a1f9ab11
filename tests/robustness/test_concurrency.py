"""Concurrent writers against one store while the daemon reconciles: nothing is ever lost.

Eight processes increment one annotation counter (read, change, update with the read
resourceVersion, retry on 409 Conflict) while the daemon keeps writing the same Deployment's
status and a watcher follows the change log. Afterwards every acknowledged increment is in
the store, each under its own revision, the log's revisions are contiguous, the watcher saw
each once and in order, and no process saw "database is locked" or a traceback. Then eight
processes race to create the same pods (exactly one wins each name) and to delete them with
uid and resourceVersion preconditions (exactly one delete succeeds per pod).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Mkctl
from tests.robustness.oracles import rows_at
from tests.robustness.soak import scaled
from tests.robustness.workers import COUNTER

WRITERS = 8
SECONDS = scaled(12, 60)
NAMES = [f"race-{i}" for i in range(24)]

pytestmark = pytest.mark.slow

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: counter
spec:
  replicas: 2
  selector:
    matchLabels:
      app: counter
  template:
    metadata:
      labels:
        app: counter
    spec:
      containers:
      - name: c
        image: busybox
"""


@pytest.fixture
def home(mkctl_on_store: Mkctl, tmp_path: Path) -> Iterator[Path]:
    """A cluster with the counter Deployment and a running daemon, on each store."""
    mkctl = mkctl_on_store
    manifest = tmp_path / "counter.yaml"
    manifest.write_text(DEPLOYMENT)
    assert mkctl("apply", "-f", str(manifest)).code == 0
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    yield tmp_path / "home"
    stopped = mkctl("cluster", "stop")
    assert stopped.code == 0, stopped.err


def start_workers(home: Path, store_url: str, *commands: list[str]) -> list[subprocess.Popen[str]]:
    """Start worker processes at once (see tests/robustness/workers.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(home)
    if not store_url.startswith("sqlite"):  # else the file in MKCTL_HOME
        env["MKCTL_STORE"] = store_url
    return [
        subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.workers", *command],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]


def result_of(process: subprocess.Popen[str]) -> dict:
    """A worker's report; it must exit 0 with nothing on stderr."""
    out, err = process.communicate(timeout=SECONDS + 120)
    assert "database is locked" not in err
    assert "Traceback" not in err
    assert (process.returncode, err) == (0, "")
    result: dict = json.loads(out)
    return result


def test_writers_racers_and_the_daemon_lose_nothing(
    home: Path, store_url: str, tmp_path: Path
) -> None:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    (barrier / "racers").write_text(str(WRITERS))
    stop_watching = tmp_path / "stop-watching"
    *workers, watching = start_workers(
        home,
        store_url,
        *[["increment", "counter", str(SECONDS)] for _ in range(WRITERS)],
        *[["race", str(barrier), *NAMES] for _ in range(WRITERS)],
        ["watch", str(stop_watching)],
    )
    results = [result_of(process) for process in workers]
    stop_watching.touch()  # only now: a late writer's acknowledged change is in the log
    watcher = result_of(watching)
    writers, racers = results[:WRITERS], results[WRITERS:]
    rows = rows_at(store_url, "SELECT revision, type, name, body FROM changes ORDER BY revision")
    revisions = [row[0] for row in rows]
    assert revisions == list(range(1, len(rows) + 1))  # contiguous, unique, in order

    # Every acknowledged increment is stored, once, under the revision it was told.
    acked = [tuple(ack) for w in writers for ack in w["acked"]]
    assert len({rv for rv, _ in acked}) == len(acked)
    counter_at = {
        rev: json.loads(body)["metadata"].get("annotations", {}).get(COUNTER)
        for rev, _, name, body in rows
        if name == "counter"
    }
    assert all(counter_at[rv] == str(value) for rv, value in acked)
    assert sorted(value for _, value in acked) == list(range(1, len(acked) + 1))
    ((body,),) = rows_at(store_url, "SELECT body FROM objects WHERE name = 'counter'")
    assert json.loads(body)["metadata"]["annotations"][COUNTER] == str(len(acked))

    # Racing creates: one winner per name; preconditioned deletes: one success per pod.
    winners = {name: uid for r in racers for name, uid in r["won"].items()}
    assert Counter(name for r in racers for name in r["won"]) == Counter(NAMES)
    assert all(sorted([*r["won"], *r["lost"]]) == sorted(NAMES) for r in racers)
    assert Counter(name for r in racers for name in r["deleted"]) == Counter(NAMES)
    assert {name: uid for r in racers for name, uid in r["deleted"].items()} == winners
    logged = [(change, name, json.loads(body)["metadata"]["uid"]) for _, change, name, body in rows]
    assert sorted((n, u) for c, n, u in logged if c == "ADDED" and n in winners) == sorted(
        winners.items()
    )
    assert sorted((n, u) for c, n, u in logged if c == "DELETED" and n in winners) == sorted(
        winners.items()
    )

    # A watcher that followed the log meanwhile saw every change once, in order.
    seen = watcher["seen"]
    assert seen == revisions[: len(seen)] and seen[-1] >= max(rv for rv, _ in acked)
    print(
        f"\n{WRITERS} writers x {SECONDS} s with the daemon and {WRITERS} racers: "
        f"{len(acked)} increments acknowledged, {sum(w['conflicts'] for w in writers)} "
        f"conflicts retried, 0 lost; {len(rows)} revisions, all seen by the watcher"
    )
