"""A running daemon expires Events as kube-apiserver's --event-ttl does, on its simulated
clock (an hour at --speed 1000 is 3.6 s): each goes with a DELETED change, which is what a
watch of events delivers."""

from __future__ import annotations

import json
from pathlib import Path

from controlplane.api.verbs import Api
from controlplane.clock import SystemClock
from controlplane.ids import RandomIds
from controlplane.models.constants import ChangeType, Kind, Obj
from controlplane.store import Store
from tests.e2e.conftest import make_mkctl, wait_for


def test_the_daemon_expires_events_and_the_log_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mkctl = make_mkctl(home)
    started = mkctl("cluster", "start", "--speed", "1000")
    assert started.code == 0, started.err
    try:
        served = json.loads((home / "apiserver.json").read_text())
        store = Api(Store(served["store"]), SystemClock(), RandomIds())
        revision = store.current_revision()
        assert mkctl("run", "web", "--image=nginx").code == 0

        def about_web() -> list[Obj]:
            return [e for e in store.list(Kind.EVENT) if e["involvedObject"]["name"] == "web"]

        recorded = {e["metadata"]["name"] for e in wait_for(about_web)}
        wait_for(lambda: not about_web(), seconds=60)
        deleted = {
            c.obj["metadata"]["name"]
            for c in store.changes_after(revision)
            if c.type == ChangeType.DELETED and c.obj["kind"] == Kind.EVENT
        }
        assert recorded <= deleted
        assert mkctl("get", "pod", "web").code == 0  # the pod itself stays
    finally:
        mkctl("cluster", "stop")
