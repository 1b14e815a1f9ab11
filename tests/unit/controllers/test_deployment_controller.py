"""DeploymentController: which keys a change wakes, and reconcile through a read-only API."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from deployment_fixtures import DEPLOY_UID, NOW, Cluster, deployment, of_kind

from controlplane.api.errors import ApiError
from controlplane.clock import FakeClock
from controlplane.controllers.deployment import DeploymentController, sync_deployment
from controlplane.ids import SeededIds
from controlplane.models import selectors
from controlplane.models.constants import EventType, Obj
from controlplane.models.meta import Change, Key, name_of
from controlplane.runtime.actions import Create, RecordEvent, UpdateStatus


class FakeApi:
    """The two reads the controller uses, over a dict of objects."""

    def __init__(self, *objs: Obj) -> None:
        self.objs = {
            Key(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o
            for o in objs
        }
        self.calls: list[tuple[str, str]] = []

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        self.calls.append(("get", kind))
        try:
            return copy.deepcopy(self.objs[Key(kind, namespace, name)])
        except KeyError:
            raise ApiError("NotFound", 404, f"{kind} {name} not found") from None

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        controller_uid: str | None = None,
        include_orphans: bool = False,
    ) -> list[Obj]:
        self.calls.append(("list", kind))
        found = [
            copy.deepcopy(o)
            for k, o in sorted(self.objs.items())
            if k.kind == kind
            and namespace in (None, k.namespace)
            and (
                label_selector is None
                or selectors.matches(label_selector, o["metadata"].get("labels") or {})
            )
        ]
        return found

    def dependents(self, owner_uid: str) -> list[Obj]:
        raise AssertionError("the Deployment controller finds its ReplicaSets by listing")


def _rs(name: str, labels: dict[str, str], owner: dict[str, Any] | None = None) -> Obj:
    metadata: Obj = {"name": name, "namespace": "default", "uid": f"uid-{name}", "labels": labels}
    if owner is not None:
        metadata["ownerReferences"] = [owner]
    return {"kind": "ReplicaSet", "metadata": metadata, "spec": {"replicas": 1}}


def _owner(kind: str = "Deployment", name: str = "nginx", uid: str = DEPLOY_UID) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid, "controller": True}


def _pod(rs: str, phase: str = "Running") -> Obj:
    return {
        "kind": "Pod",
        "metadata": {
            "name": f"{rs}-abcde",
            "namespace": "default",
            "labels": {"app": "nginx"},
            "ownerReferences": [_owner("ReplicaSet", rs, f"uid-{rs}")],
        },
        "status": {"phase": phase},
    }


def _controller(*objs: Obj) -> tuple[DeploymentController, FakeApi]:
    api = FakeApi(*objs)
    return DeploymentController(api, FakeClock(NOW), SeededIds()), api


NGINX = Key("Deployment", "default", "nginx")


def test_a_deployment_change_wakes_that_deployment() -> None:
    controller, _ = _controller()
    assert list(controller.keys_for(Change(1, "MODIFIED", deployment()))) == [NGINX]


def test_a_replica_set_change_wakes_its_controlling_deployment() -> None:
    controller, api = _controller()
    rs = _rs("nginx-5", {"app": "nginx"}, _owner())
    assert list(controller.keys_for(Change(1, "DELETED", rs))) == [NGINX]
    assert api.calls == []  # no reads needed
    other = _rs("x", {"app": "nginx"}, _owner(kind="StatefulSet"))
    assert list(controller.keys_for(Change(1, "ADDED", other))) == []


def test_an_orphan_replica_set_wakes_every_deployment_that_could_adopt_it() -> None:
    web = deployment("web")
    web["spec"]["selector"] = {"matchLabels": {"tier": "fe"}}
    everything = deployment("all")
    everything["spec"]["selector"] = {}
    controller, _ = _controller(deployment(), web, everything, deployment("other"))
    orphan = _rs("orphan", {"app": "nginx", "tier": "fe"})
    keys = list(controller.keys_for(Change(1, "ADDED", orphan)))
    assert keys == [NGINX, Key("Deployment", "default", "web")]
    assert list(controller.keys_for(Change(1, "ADDED", _rs("bare", {})))) == []


def test_pod_deletion_wakes_a_recreate_deployment_only() -> None:
    rs = _rs("nginx-5", {"app": "nginx"}, _owner())
    recreate, _ = _controller(deployment(strategy="Recreate"), rs)
    assert list(recreate.keys_for(Change(1, "DELETED", _pod("nginx-5")))) == [NGINX]
    assert list(recreate.keys_for(Change(1, "MODIFIED", _pod("nginx-5", "Failed")))) == [NGINX]
    assert list(recreate.keys_for(Change(1, "MODIFIED", _pod("nginx-5")))) == []
    assert list(recreate.keys_for(Change(1, "DELETED", _pod("gone")))) == []
    rolling, _ = _controller(deployment(), rs)
    assert list(rolling.keys_for(Change(1, "DELETED", _pod("nginx-5")))) == []


def test_reconcile_of_a_missing_deployment_plans_nothing() -> None:
    controller, _ = _controller()
    assert controller.reconcile([NGINX]) == []


def test_reconcile_creates_the_first_replica_set() -> None:
    controller, api = _controller(deployment(replicas=2))
    actions = controller.reconcile([NGINX, NGINX])
    (create,) = of_kind(actions, Create)
    assert create.obj["spec"]["replicas"] == 2
    (status,) = of_kind(actions, UpdateStatus)
    assert status.obj["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert ("list", "Pod") not in api.calls  # rolling updates never read pods


def test_reconcile_of_recreate_reads_pods_by_replica_set() -> None:
    d = deployment(replicas=2, strategy="Recreate")
    old = _rs("nginx-old", {"app": "nginx"}, _owner())
    old["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "1"}
    old["spec"]["replicas"] = 0
    old["spec"]["template"] = {"metadata": {"labels": {"app": "nginx"}}, "spec": {}}
    old["status"] = {"replicas": 0}
    controller, api = _controller(d, old, _pod("nginx-old"))
    actions = controller.reconcile([NGINX])
    assert of_kind(actions, Create) == []  # an old pod is still running
    assert ("list", "Pod") in api.calls
    api.objs.pop(Key("Pod", "default", "nginx-old-abcde"))
    assert len(of_kind(controller.reconcile([NGINX]), Create)) == 1


def test_a_fresh_deployment_settles_into_one_complete_replica_set() -> None:
    cluster = Cluster(deployment(replicas=3))
    messages = cluster.run_until_settled()
    (rs,) = cluster.rss.values()
    assert messages == [f"Scaled up replica set {name_of(rs)} from 0 to 3"]
    assert cluster.d["status"]["availableReplicas"] == 3
    assert cluster.sync() == []


def test_events_are_normal_scaling_replica_set_from_the_deployment_controller() -> None:
    actions = sync_deployment(deployment(), [], {}, NOW)
    (event,) = of_kind(actions, RecordEvent)
    assert (event.type, event.reason, event.source) == (
        EventType.NORMAL,
        "ScalingReplicaSet",
        "deployment-controller",
    )
    assert event.involved["metadata"]["name"] == "nginx"
