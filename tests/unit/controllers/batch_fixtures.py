"""A whole embedded cluster on a fake clock, for Job and CronJob scenarios: the controllers,
scheduler and kubelet run as `mkctl` runs them, and time moves only when a test says so."""

from __future__ import annotations

from typing import Any

from controlplane.api.verbs import Api
from controlplane.bootstrap import bootstrap
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.store import Store

# 2023-11-14T22:13:20Z: 20 seconds past a minute.
START = 1_700_000_000.0


class Lab:
    def __init__(self) -> None:
        self.clock = FakeClock(START)
        self.api = Api(Store("sqlite://"), self.clock, SeededIds(3))
        bootstrap(self.api)
        self.cluster = Cluster(self.api)

    def settle(self, seconds: float = 0.0) -> None:
        self.clock.advance(seconds)
        self.cluster.settle()

    def get(self, kind: str, name: str) -> Obj:
        return self.api.get(kind, "default", name)

    def names(self, kind: str) -> list[str]:
        return sorted(o["metadata"]["name"] for o in self.api.list(kind, "default"))

    def reasons(self, kind: str, name: str) -> list[str]:
        obj = self.get(kind, name)
        return [f"{e['reason']}: {e['message']}" for e in self.api.events_about(obj)]


def pod_template(image: str = "busybox:1.36", restart: str = "Never") -> dict[str, Any]:
    return {
        "spec": {
            "containers": [{"name": "work", "image": image, "command": ["sh", "-c", "true"]}],
            "restartPolicy": restart,
        }
    }


def job(name: str = "pi", **spec: Any) -> Obj:
    template = spec.pop("template", pod_template())
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": template, **spec},
    }


def cronjob(name: str = "hello", schedule: str = "*/1 * * * *", **spec: Any) -> Obj:
    template = spec.pop("template", pod_template(restart="OnFailure"))
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": template}}, **spec},
    }


def conditions(obj: Obj) -> list[tuple[str, str, str]]:
    return [
        (c["type"], c.get("reason", ""), c.get("message", ""))
        for c in (obj.get("status") or {}).get("conditions") or []
    ]
