"""A whole cluster on a fake clock whose kubelet uses a given `Timing`, and what users see.

`Sim.timeline(seconds)` settles the cluster once per simulated second and records each change
of the pods' READY, STATUS and RESTARTS columns (as `kubectl get pods` prints them), so a test
can compare the life of a pod with the one Kubernetes shows.
"""

from __future__ import annotations

import copy
from typing import Any

from test_control_plane import deployment

from controlplane.api.tables.podstatus import summarize_pod
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.kubelet import Kubelet
from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.runtime.manager import Manager

NOW = 1_700_000_000.0


class Sim:
    def __init__(self, timing: Timing | None = None) -> None:
        self.clock = FakeClock(NOW)
        self.cluster = open_cluster("sqlite://", clock=self.clock, ids=SeededIds(3))
        self.timing = timing or Timing.instant()
        self.restart()

    @property
    def api(self) -> Any:
        return self.cluster.api

    def restart(self) -> None:
        """A new control-plane process: fresh API (event caches), kubelet and manager over
        the same store."""
        api = Api(self.api.store, self.clock, self.api.ids)
        cluster = Cluster(api)
        controllers = [
            Kubelet(api, self.timing) if c.name == "kubelet" else c
            for c in cluster.manager.controllers
        ]
        cluster.manager = Manager(api, controllers)
        self.cluster = cluster

    def settle(self) -> None:
        self.cluster.settle()

    def at(self, seconds: float) -> None:
        """Move the clock to NOW + seconds and let the cluster catch up."""
        self.clock.advance(NOW + seconds - self.clock.now())
        self.settle()

    def pod(self, name: str = "web", image: str = "nginx:1.14.2", **extra: Any) -> None:
        annotations = extra.pop("annotations", None)
        spec: dict[str, Any] = {"containers": [{"name": "nginx", "image": image}], **extra}
        meta: dict[str, Any] = {"name": name, "namespace": "default"}
        if annotations:
            meta["annotations"] = annotations
        self.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec})
        self.settle()

    def deployment(self, image: str = "nginx:1.14.2", replicas: int = 3) -> None:
        self.api.create(deployment(replicas, image))
        self.settle()

    def set_image(self, image: str) -> None:
        live = copy.deepcopy(self.api.get("Deployment", "default", "web"))
        live["spec"]["template"]["spec"]["containers"][0]["image"] = image
        self.api.update(live)
        self.settle()

    def pods(self) -> list[Obj]:
        return list(self.api.list("Pod", "default"))

    def get(self, name: str = "web") -> Obj:
        return dict(self.api.get("Pod", "default", name))

    def columns(self, name: str = "web") -> str:
        """`READY STATUS RESTARTS` of one pod, without the `(45s ago)` that changes each second."""
        summary = summarize_pod(self.get(name))
        return f"{summary.ready}/{summary.total} {summary.status} {summary.restarts}"

    def timeline(self, seconds: int, name: str = "web") -> list[tuple[int, str]]:
        """Each change of the pod's columns over the next `seconds`, one settle per second."""
        start = round(self.clock.now() - NOW)
        changes: list[tuple[int, str]] = []
        for t in range(start, start + seconds + 1):
            self.at(t)
            row = self.columns(name) if self._exists(name) else "gone"
            if not changes or changes[-1][1] != row:
                changes.append((t, row))
        return changes

    def _exists(self, name: str) -> bool:
        return any(p["metadata"]["name"] == name for p in self.pods())

    def events(self, name: str = "web") -> list[tuple[str, str, int]]:
        """(reason, message, count) of the events about a pod, oldest first."""
        found = [
            e
            for e in self.api.list("Event", "default")
            if e["involvedObject"]["name"] == name and e["involvedObject"]["kind"] == "Pod"
        ]
        found.sort(key=lambda e: e["metadata"]["name"])
        return [(e["reason"], e["message"], e["count"]) for e in found]

    def count(self, reason: str, message: str, name: str = "web") -> int:
        return sum(c for r, m, c in self.events(name) if r == reason and m == message)
