"""Namespace lifecycle in the API: terminate instead of delete, no new content, finalize.

Messages from staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle and
pkg/registry/core/namespace/storage/storage.go.
"""

from __future__ import annotations

import copy

import pytest

from controlplane.api.errors import ApiError, has_cause
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.models.constants import EventType


def pod(namespace: str = "shop", name: str = "p") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


@pytest.fixture
def shop(api: Api) -> dict:
    return api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})


def test_a_new_namespace_is_active_and_carries_the_kubernetes_finalizer(shop: dict) -> None:
    assert shop["spec"] == {"finalizers": ["kubernetes"]}
    assert shop["status"] == {"phase": "Active"}


def test_deleting_a_namespace_marks_it_terminating(api: Api, shop: dict, clock: FakeClock) -> None:
    clock.advance(5)
    marked = api.delete("Namespace", "", "shop", propagation="Background")
    assert marked["status"]["phase"] == "Terminating"
    assert marked["metadata"]["deletionTimestamp"] == "2023-11-14T22:13:25Z"
    stored = api.get("Namespace", "", "shop")
    assert stored == marked
    # Deleting again changes nothing and is not an error.
    clock.advance(5)
    assert api.delete("Namespace", "", "shop") == stored
    assert api.get("Namespace", "", "shop") == stored


def test_nothing_can_be_created_in_a_terminating_namespace(api: Api, shop: dict) -> None:
    api.delete("Namespace", "", "shop")
    with pytest.raises(ApiError) as caught:
        api.create(pod())
    error = caught.value
    assert (error.reason, error.code) == ("Forbidden", 403)
    assert error.message == (
        'pods "p" is forbidden: unable to create new content in namespace shop because it is '
        "being terminated"
    )
    assert has_cause(error, "NamespaceTerminating")
    assert api.list("Pod", "shop") == []


def test_events_into_a_terminating_namespace_are_refused_too(api: Api, shop: dict) -> None:
    created = api.create(pod())
    api.delete("Namespace", "", "shop")
    with pytest.raises(ApiError) as caught:
        api.record_event(created, EventType.NORMAL, "Killing", "Stopping container c", "kubelet")
    assert has_cause(caught.value, "NamespaceTerminating")


def test_an_update_cannot_remove_the_finalizer_but_finalize_can(api: Api, shop: dict) -> None:
    api.delete("Namespace", "", "shop")
    edited = copy.deepcopy(api.get("Namespace", "", "shop"))
    edited["spec"]["finalizers"] = []
    edited["metadata"]["labels"]["team"] = "a"
    updated = api.update(edited)
    assert updated["spec"]["finalizers"] == ["kubernetes"]
    assert updated["metadata"]["labels"]["team"] == "a"
    api.finalize_namespace("shop", "kubernetes")
    with pytest.raises(ApiError) as caught:
        api.get("Namespace", "", "shop")
    assert caught.value.reason == "NotFound"


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_the_system_namespaces_may_not_be_deleted(api: Api, name: str) -> None:
    if name != "default":
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    with pytest.raises(ApiError) as caught:
        api.delete("Namespace", "", name)
    assert (caught.value.reason, caught.value.message) == (
        "Forbidden",
        f'namespaces "{name}" is forbidden: this namespace may not be deleted',
    )
    assert api.get("Namespace", "", name)["status"]["phase"] == "Active"


def test_creating_in_a_missing_namespace_is_not_found(api: Api) -> None:
    with pytest.raises(ApiError) as caught:
        api.create(pod(namespace="nowhere"))
    assert caught.value.message == 'namespaces "nowhere" not found'
