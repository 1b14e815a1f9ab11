"""Builders and a tiny simulated cluster for the Deployment planner tests.

`deployment()` builds a Deployment as the API would store it (defaults applied).
`Cluster` applies planned actions the way the API would (uids, timestamps, generation,
resourceVersion) and plays a ReplicaSet controller whose pods become available only when
told, so tests can walk a rollout sync by sync. Other test modules import these helpers.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.clock import rfc3339
from controlplane.controllers.deployment import sync_deployment
from controlplane.models.constants import Obj
from controlplane.models.meta import name_of
from controlplane.runtime.actions import (
    Action,
    Create,
    Delete,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)

NOW = 1_700_000_000.0
DEPLOY_UID = "d0000000-0000-4000-8000-000000000001"


def template(image: str = "nginx:1.14.2", app: str = "nginx") -> Obj:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {
            "containers": [
                {
                    "name": "nginx",
                    "image": image,
                    "imagePullPolicy": "IfNotPresent",
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30,
            "schedulerName": "default-scheduler",
            "securityContext": {},
        },
    }


def deployment(
    name: str = "nginx",
    replicas: int = 3,
    image: str = "nginx:1.14.2",
    *,
    strategy: str = "RollingUpdate",
    max_surge: Any = "25%",
    max_unavailable: Any = "25%",
    paused: bool = False,
    revision_history_limit: int | None = 10,
    progress_deadline: int | None = 600,
    min_ready_seconds: int = 0,
    generation: int = 1,
    annotations: dict[str, str] | None = None,
    status: Obj | None = None,
) -> Obj:
    """A Deployment as stored after API defaulting (pkg/apis/apps/v1/defaults.go)."""
    spec: Obj = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": name}},
        "template": template(image, name),
        "strategy": {"type": strategy},
    }
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {
            "maxSurge": max_surge,
            "maxUnavailable": max_unavailable,
        }
    if revision_history_limit is not None:
        spec["revisionHistoryLimit"] = revision_history_limit
    if progress_deadline is not None:
        spec["progressDeadlineSeconds"] = progress_deadline
    if min_ready_seconds:
        spec["minReadySeconds"] = min_ready_seconds
    if paused:
        spec["paused"] = True
    metadata: Obj = {
        "name": name,
        "namespace": "default",
        "uid": DEPLOY_UID,
        "resourceVersion": "1",
        "generation": generation,
        "creationTimestamp": rfc3339(NOW - 3600),
    }
    if annotations:
        metadata["annotations"] = dict(annotations)
    obj: Obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": spec}
    if status is not None:
        obj["status"] = status
    return obj


def of_kind(actions: list[Action], kind: type) -> list[Any]:
    return [a for a in actions if isinstance(a, kind)]


def event_messages(actions: list[Action]) -> list[str]:
    return [a.message for a in actions if isinstance(a, RecordEvent)]


class Cluster:
    """One Deployment and its ReplicaSets, changed only through planned actions.

    `sync()` plans one sync at `now` and applies it. Pods are not modelled for RollingUpdate:
    each RS's status says how many pods exist and are available. `settle()` plays the
    ReplicaSet controller: pods match spec.replicas at once; newly created ones become
    available only if `available` says so.
    """

    def __init__(self, d: Obj, replica_sets: list[Obj] | None = None) -> None:
        self.d = d
        self.rss: dict[str, Obj] = {name_of(rs): rs for rs in replica_sets or []}
        self.pods_by_rs_uid: dict[str, list[Obj]] = {}
        self.now = NOW
        self.created = 0
        self.revision = 100
        self.history: list[list[Action]] = []

    def _rv(self) -> str:
        self.revision += 1
        return str(self.revision)

    def sync(self) -> list[Action]:
        inputs = copy.deepcopy((self.d, self.rss, self.pods_by_rs_uid))
        actions = sync_deployment(self.d, list(self.rss.values()), self.pods_by_rs_uid, self.now)
        assert (self.d, self.rss, self.pods_by_rs_uid) == inputs, "the planner mutated its input"
        self.apply(actions)
        self.history.append(actions)
        return actions

    def apply(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Create):
                obj = copy.deepcopy(action.obj)
                self.created += 1
                obj["metadata"].update(
                    uid=f"uid-{name_of(obj)}",
                    resourceVersion=self._rv(),
                    generation=1,
                    creationTimestamp=rfc3339(NOW + self.created),
                )
                obj["status"] = {"replicas": 0}
                assert name_of(obj) not in self.rss
                self.rss[name_of(obj)] = obj
            elif isinstance(action, Update):
                current = self.rss[name_of(action.obj)]
                assert (
                    action.obj["metadata"]["resourceVersion"]
                    == current["metadata"]["resourceVersion"]
                ), "stale update"
                obj = copy.deepcopy(action.obj)
                if obj["spec"] != current["spec"]:
                    obj["metadata"]["generation"] = current["metadata"]["generation"] + 1
                obj["status"] = current.get("status", {})
                obj["metadata"]["resourceVersion"] = self._rv()
                self.rss[name_of(obj)] = obj
            elif isinstance(action, UpdateStatus):
                assert (
                    action.obj["metadata"]["resourceVersion"]
                    == self.d["metadata"]["resourceVersion"]
                ), "stale status update"
                obj = copy.deepcopy(action.obj)
                obj["spec"] = self.d["spec"]
                obj["metadata"]["generation"] = self.d["metadata"]["generation"]
                obj["metadata"]["resourceVersion"] = self._rv()
                self.d = obj
            elif isinstance(action, Delete):
                assert action.kind == "ReplicaSet"
                del self.rss[action.name]

    def settle(self, available: bool = True, names: list[str] | None = None) -> None:
        """The RS controller catches up: pods = spec; availability as told."""
        for name, rs in self.rss.items():
            if names is not None and name not in names:
                continue
            want = rs["spec"]["replicas"]
            status = rs.setdefault("status", {})
            old_available = status.get("availableReplicas", 0)
            ready = want if available else min(old_available, want)
            rs["status"] = {
                "replicas": want,
                "fullyLabeledReplicas": want,
                "readyReplicas": ready,
                "availableReplicas": ready,
                "observedGeneration": rs["metadata"]["generation"],
            }
            rs["metadata"]["resourceVersion"] = self._rv()

    def change_spec(self, **changes: Any) -> None:
        """A user edit of the Deployment's spec: generation bumps."""
        self.d = copy.deepcopy(self.d)
        self.d["spec"].update(changes)
        self.d["metadata"]["generation"] += 1
        self.d["metadata"]["resourceVersion"] = self._rv()

    def set_image(self, image: str) -> None:
        new_template = copy.deepcopy(self.d["spec"]["template"])
        new_template["spec"]["containers"][0]["image"] = image
        self.change_spec(template=new_template)

    def rs_by_image(self, image: str) -> Obj:
        (rs,) = [
            rs
            for rs in self.rss.values()
            if rs["spec"]["template"]["spec"]["containers"][0]["image"] == image
        ]
        return rs

    def sizes(self) -> dict[str, int]:
        return {name: rs["spec"]["replicas"] for name, rs in sorted(self.rss.items())}

    def run_until_settled(self, max_syncs: int = 200) -> list[str]:
        """Settle (all pods available) and sync until a sync plans nothing; the events."""
        messages: list[str] = []
        for _ in range(max_syncs):
            self.settle()
            actions = self.sync()
            messages += event_messages(actions)
            if not [a for a in actions if not isinstance(a, RequeueAfter)]:
                return messages
        raise AssertionError("deployment never settled")


# --- the helpers themselves ---
