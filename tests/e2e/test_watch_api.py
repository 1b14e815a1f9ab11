"""Watches of a real daemon, through the official Python client and through `mkctl get -w`:
every change arrives, in order and once, exactly as the store's change log holds it; a watch
from a compacted revision gets Kubernetes' 410."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import SystemClock
from controlplane.ids import RandomIds
from controlplane.store import Store
from tests.clients import python_client
from tests.e2e.conftest import REPO, Mkctl, make_mkctl, mkctl_command, wait_for

kubernetes = pytest.importorskip("kubernetes")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def served(home: Path) -> Iterator[dict[str, str]]:
    """A running daemon: its apiserver.json (`url`, `store`)."""
    mkctl = make_mkctl(home)
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    try:
        yield {**json.loads((home / "apiserver.json").read_text()), "home": str(home)}
    finally:
        mkctl("cluster", "stop")


def core_api(served: dict[str, str]) -> Any:
    """The official client's CoreV1Api for the daemon, through its kubeconfig."""
    return kubernetes.client.CoreV1Api(python_client(Path(served["home"])))


def store_api(served: dict[str, str]) -> Api:
    """The daemon's store, opened beside it: what the watches must reproduce."""
    return Api(Store(served["store"]), SystemClock(), RandomIds())


def pod(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "watched"}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def logged(store: Api, after: str, until: int) -> list[tuple[str, str, str]]:
    """The default namespace's pod changes in the log, as (type, name, resourceVersion)."""
    return [
        (c.type, c.obj["metadata"]["name"], c.obj["metadata"]["resourceVersion"])
        for c in store.changes_after(int(after))
        if c.obj["kind"] == "Pod"
        and c.obj["metadata"].get("namespace") == "default"
        and c.revision <= until
    ]


def test_the_python_client_receives_every_change_in_order(served: dict[str, str]) -> None:
    v1 = core_api(served)
    start = v1.list_namespaced_pod("default").metadata.resource_version
    received: list[tuple[str, str, str]] = []

    def follow() -> None:
        stream = kubernetes.watch.Watch().stream(
            v1.list_namespaced_pod, "default", resource_version=start, timeout_seconds=5
        )
        for event in stream:
            meta = event["object"].metadata
            received.append((event["type"], meta.name, meta.resource_version))

    follower = threading.Thread(target=follow)
    follower.start()
    for name in ("w1", "w2", "w3"):
        v1.create_namespaced_pod("default", pod(name))
    v1.patch_namespaced_pod("w1", "default", {"metadata": {"labels": {"step": "two"}}})
    v1.delete_namespaced_pod("w2", "default", grace_period_seconds=0)
    v1.delete_namespaced_pod("w3", "default", grace_period_seconds=0)
    wait_for(lambda: ("DELETED", "w3") in {(t, n) for t, n, _ in received})
    follower.join(timeout=30)
    assert not follower.is_alive(), "the stream did not end at its timeoutSeconds"

    assert len(received) >= 6  # 3 ADDED, the patch, 2 DELETED, and the kubelet's changes
    last = int(received[-1][2])
    assert received == logged(store_api(served), start, last)
    assert [t for t, n, _ in received if n == "w1"][:2] == ["ADDED", "MODIFIED"]

    # Without a resourceVersion: the current pods first, as synthetic ADDED events.
    v1.create_namespaced_pod("default", pod("w4"))
    current = {p.metadata.name for p in v1.list_namespaced_pod("default").items}
    initial = [
        (e["type"], e["object"].metadata.name)
        for e in kubernetes.watch.Watch().stream(
            v1.list_namespaced_pod, "default", timeout_seconds=1
        )
    ]
    assert current and initial[: len(current)] == [("ADDED", n) for n in sorted(current)]

    # The same pods again, a page at a time, as client-go's pager asks for them.
    paged, token = [], None
    while True:
        page = v1.list_namespaced_pod("default", limit=1, _continue=token)
        paged += [p.metadata.name for p in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert len(paged) == len(current) > 1 and set(paged) == current


def test_a_watch_from_a_compacted_revision_gets_410(served: dict[str, str]) -> None:
    v1 = core_api(served)
    start = v1.list_namespaced_pod("default").metadata.resource_version
    v1.create_namespaced_pod("default", pod("c1"))
    store = store_api(served)
    newest = wait_for(
        lambda: store.current_revision() > int(start) + 1 and store.current_revision()
    )
    store.compact(newest)
    with pytest.raises(kubernetes.client.rest.ApiException) as caught:
        for _ in kubernetes.watch.Watch().stream(
            v1.list_namespaced_pod, "default", resource_version=start, timeout_seconds=2
        ):
            pass
    assert caught.value.status == 410
    assert f"Expired: too old resource version: {start} (" in str(caught.value.reason)


def watched_rows(home: Path) -> None:
    """`mkctl get pods -w --output-watch-events` prints the first table, then one row per
    change as it happens, with either way of reaching the cluster."""
    mkctl: Mkctl = make_mkctl(home)
    created = mkctl("create", "-f", "-", stdin=json.dumps(pod("first")))
    assert created.code == 0, created.err
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    watcher = subprocess.Popen(
        [*mkctl_command(), "get", "pods", "-w", "--output-watch-events"],
        cwd=REPO,
        env={**env, "MKCTL_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert watcher.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = watcher.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()

    def row() -> list[str]:
        return lines.get(timeout=30).split()  # a missing row fails instead of hanging

    try:
        assert row() == ["EVENT", "NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        assert row()[:2] == ["ADDED", "first"]
        assert mkctl("create", "-f", "-", stdin=json.dumps(pod("second"))).code == 0
        assert row()[:2] == ["ADDED", "second"]
        assert mkctl("delete", "pod", "second", "--grace-period=0", "--force").code == 0
        while row()[:2] != ["DELETED", "second"]:
            pass
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)


def test_mkctl_get_watch_follows_the_daemons_stream(served: dict[str, str], home: Path) -> None:
    watched_rows(home)


def test_mkctl_get_watch_without_a_daemon_watches_in_process(home: Path) -> None:
    watched_rows(home)
