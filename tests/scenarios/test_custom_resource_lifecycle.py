"""Custom resources in a whole control plane on a fake clock: the garbage collector follows
ownerReferences from a custom resource to a Deployment (and its pods) and back, and deleting
a CRD deletes its objects first, waiting for their own finalizers."""

from __future__ import annotations

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import is_served
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from tests.scenarios.test_control_plane import deployment
from tests.unit.api.crd.widgets import crd, widget

CRD = "CustomResourceDefinition"


@pytest.fixture
def cluster() -> Cluster:
    cluster = open_cluster("sqlite://", clock=FakeClock(), ids=SeededIds(42))
    cluster.api.create(crd())
    return cluster


def owned_by(owner: dict) -> dict:
    meta = owner["metadata"]
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def gone(cluster: Cluster, kind: str, name: str) -> bool:
    try:
        cluster.api.get(kind, "default", name)
    except ApiError:
        return True
    return False


def test_deleting_a_custom_resource_collects_the_deployment_it_owns(cluster: Cluster) -> None:
    owner = cluster.api.create(widget())
    web = deployment(replicas=2)
    web["metadata"]["ownerReferences"] = [owned_by(owner)]
    cluster.api.create(web)
    cluster.settle()
    assert len(cluster.api.list("Pod", "default", label_selector="app=web")) == 2
    cluster.api.delete("Widget", "default", "w", propagation="Foreground")
    cluster.settle()
    assert gone(cluster, "Deployment", "web")
    assert cluster.api.list("Pod", "default", label_selector="app=web") == []
    assert gone(cluster, "Widget", "w")


def test_a_custom_resource_owned_by_a_deployment_goes_with_it(cluster: Cluster) -> None:
    owner = cluster.api.create(deployment(replicas=1))
    child = widget()
    child["metadata"]["ownerReferences"] = [owned_by(owner)]
    cluster.api.create(child)
    cluster.settle()
    cluster.api.delete("Deployment", "default", "web")
    cluster.settle()
    assert gone(cluster, "Widget", "w")


def test_deleting_a_crd_deletes_its_objects_then_itself(cluster: Cluster) -> None:
    held = widget("held")
    held["metadata"]["finalizers"] = ["example.com/cleanup"]
    cluster.api.create(held)
    cluster.api.create(widget("free"))
    cluster.api.delete(CRD, "", "widgets.example.com")
    cluster.settle()
    assert gone(cluster, "Widget", "free")
    assert cluster.api.get("Widget", "default", "held")["metadata"]["deletionTimestamp"]
    assert cluster.api.get(CRD, "", "widgets.example.com")["metadata"]["deletionTimestamp"]
    cluster.api.patch("Widget", "default", "held", {"metadata": {"finalizers": None}}, "merge")
    cluster.settle()
    assert gone(cluster, CRD, "widgets.example.com")
    assert not is_served("Widget")


def test_deleting_a_namespace_deletes_its_custom_resources(cluster: Cluster) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    cluster.api.create({**widget(), "metadata": {"name": "w", "namespace": "team"}})
    cluster.api.delete("Namespace", "", "team")
    cluster.settle()
    assert cluster.api.list("Widget", "team") == []
    assert gone(cluster, "Namespace", "team")
