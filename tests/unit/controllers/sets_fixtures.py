"""A small lab for StatefulSet and DaemonSet planner tests: the real API on a fake clock.

Objects are created and changed through `controlplane.api` (so defaults, validation,
generation and resourceVersions are real), but nothing runs by itself: a test calls
`sync_sts`/`sync_ds` to plan one sync and apply it, and plays the kubelet by hand
(`run`, `fail`, `finish`), so it can stop a rollout at any point and look.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock, rfc3339
from controlplane.controllers.daemonset import DaemonSetController
from controlplane.controllers.statefulset import StatefulSetController
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.models.meta import Key
from controlplane.models.node_registration import registered_node
from controlplane.runtime.actions import (
    Action,
    Bind,
    Create,
    Delete,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)
from controlplane.store import Store


def template(image: str = "nginx:1.14.2", app: str = "web", **spec: Any) -> Obj:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {"containers": [{"name": "nginx", "image": image}], **spec},
    }


def statefulset(name: str = "web", replicas: int = 3, **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "serviceName": "nginx",
            "selector": {"matchLabels": {"app": name}},
            "template": spec.pop("template", template(app=name)),
            **spec,
        },
    }


def daemonset(name: str = "fluentd", **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": spec.pop("template", template("fluentd:v1", app=name)),
            **spec,
        },
    }


class Lab:
    def __init__(self, nodes: int = 3) -> None:
        self.clock = FakeClock()
        self.api = Api(Store("sqlite://"), self.clock, SeededIds(11))
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        for i in range(nodes):
            self.add_node(f"node-{i + 1}")
        self.events: list[RecordEvent] = []

    # --- the world ---

    def add_node(self, name: str, **labels: str) -> Obj:
        index = len(self.api.list("Node"))
        node = registered_node(name, index, self.clock.now())
        node["metadata"]["labels"].update(labels)
        return self.api.create(node)

    def edit(self, kind: str, name: str, change: Any, namespace: str = "default") -> Obj:
        """Apply `change(obj)` to a copy of the live object and update it."""
        obj = copy.deepcopy(self.api.get(kind, namespace if kind != "Node" else "", name))
        change(obj)
        return self.api.update(obj)

    def pods(self) -> dict[str, Obj]:
        return {p["metadata"]["name"]: p for p in self.api.list("Pod", "default")}

    def revisions(self) -> dict[str, int]:
        return {r["metadata"]["name"]: r["revision"] for r in self.api.list("ControllerRevision")}

    # --- playing the kubelet ---

    def run(self, *names: str) -> None:
        """Bind (if needed) and start pods: Running and Ready now."""
        for name in names:
            pod = self.api.get("Pod", "default", name)
            if not pod["spec"].get("nodeName"):
                pod = self.api.bind("default", name, _target(pod))
            running = copy.deepcopy(pod)
            running["status"] = running_status(pod, self.now)
            self.api.update_status(running)

    def run_all(self) -> bool:
        """Start every Pending pod and end every terminating one; True if there were any."""
        pods = self.pods()
        pending = [n for n, p in pods.items() if p["status"].get("phase") == "Pending"]
        ending = [n for n, p in pods.items() if p["metadata"].get("deletionTimestamp")]
        self.run(*(n for n in pending if n not in ending))
        for name in ending:
            self.finish(name)
        return bool(pending or ending)

    def settle(self, sync: Any, rounds: int = 50) -> None:
        """Sync and play the kubelet until neither has anything left to do."""
        for _ in range(rounds):
            actions = sync()
            if not self.run_all() and not actions:
                return
        raise AssertionError("did not settle")

    def fail(self, name: str) -> None:
        pod = copy.deepcopy(self.api.get("Pod", "default", name))
        pod["status"]["phase"] = "Failed"
        self.api.update_status(pod)

    def finish(self, name: str) -> None:
        """The kubelet ends a terminating pod: the object goes."""
        self.api.delete("Pod", "default", name, grace_period_seconds=0)

    @property
    def now(self) -> float:
        return self.clock.now()

    # --- syncing ---

    def sync_sts(self, name: str = "web") -> list[Action]:
        return self._sync(
            StatefulSetController(self.api, self.api.clock, self.api.ids),
            Key("StatefulSet", "default", name),
        )

    def sync_ds(self, name: str = "fluentd") -> list[Action]:
        return self._sync(
            DaemonSetController(self.api, self.api.clock, self.api.ids),
            Key("DaemonSet", "default", name),
        )

    def _sync(self, controller: Any, key: Key) -> list[Action]:
        with self.api.snapshot():
            actions: list[Action] = controller.reconcile([key])
        self.apply(actions)
        return actions

    def apply(self, actions: list[Action]) -> None:
        """What the manager's executor does, in one transaction."""
        with self.api.batch():
            for action in actions:
                match action:
                    case Create(obj):
                        event = action.event_for(self.api.create(obj))
                        if event is not None:
                            self.events.append(event)
                    case Update(obj):
                        self.api.update(obj)
                    case UpdateStatus(obj):
                        self.api.update_status(obj)
                    case Delete():
                        self.api.delete(
                            action.kind,
                            action.namespace,
                            action.name,
                            uid=action.uid,
                            grace_period_seconds=action.grace_period_seconds,
                        )
                    case RecordEvent():
                        self.events.append(action)
                    case Bind(namespace, name, node):
                        self.api.bind(namespace, name, node)
                    case RequeueAfter():
                        pass


def _target(pod: Obj) -> str:
    """Where a pod goes: a DaemonSet pod's pinned node, anything else on node-1."""
    from controlplane.models.nodes import target_node_name

    return target_node_name(pod) or "node-1"


def creates(actions: list[Action]) -> list[str]:
    """The pods a sync creates: their names, or `generateName` for the API server to fill."""
    return [
        a.obj["metadata"].get("name") or a.obj["metadata"]["generateName"]
        for a in actions
        if isinstance(a, Create) and a.obj["kind"] == "Pod"
    ]


def deletes(actions: list[Action]) -> list[str]:
    return [a.name for a in actions if isinstance(a, Delete)]


def messages(actions: list[Action]) -> list[str]:
    return [a.message for a in actions if isinstance(a, RecordEvent)]


def status_of(actions: list[Action]) -> Obj | None:
    written = [a.obj["status"] for a in actions if isinstance(a, UpdateStatus)]
    return written[-1] if written else None


def running_status(pod: Obj, now: float) -> Obj:
    """The status a kubelet writes once every container runs and is ready."""
    stamp = rfc3339(now)
    return {
        "phase": "Running",
        "conditions": [
            {"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": stamp}
            for t in (
                "PodReadyToStartContainers",
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled",
            )
        ],
        "hostIP": "192.168.49.2",
        "podIP": "10.244.1.5",
        "startTime": stamp,
        "containerStatuses": [
            {
                "name": c["name"],
                "image": c["image"],
                "ready": True,
                "restartCount": 0,
                "started": True,
                "state": {"running": {"startedAt": stamp}},
            }
            for c in pod["spec"]["containers"]
        ],
    }
