"""What the informer keeps of each object (controlplane/api/transform.py): no managedFields,
which every write still keeps from the store, and parts equal between objects shared, which
the mutation detector still guards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from controlplane.api import informer as informer_module
from controlplane.api.informer import Informer
from controlplane.api.informer_mutations import CacheMutated
from controlplane.api.transform import SharedParts
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.clone import clone
from controlplane.models.constants import Obj
from controlplane.store import Store

CONTAINERS = [{"name": "web", "image": "nginx:1.14.2", "ports": [{"containerPort": 80}]}]


def pod(name: str) -> Obj:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": {"containers": clone(CONTAINERS)},
    }


@pytest.fixture
def api(tmp_path: Path, clock: FakeClock) -> Api:
    api = Api(Store(f"sqlite:///{tmp_path / 'cluster.db'}"), clock, SeededIds(7))
    api.create({"kind": "Namespace", "metadata": {"name": "default"}})
    api._informer = Informer(detect_mutations=True)
    return api


def informed(api: Api, name: str) -> Obj:
    with api.snapshot(informed=True):
        api.list("Pod")
        return api.get("Pod", "default", name)


def without_managed_fields(obj: Obj) -> Obj:
    return {**obj, "metadata": {k: v for k, v in obj["metadata"].items() if k != "managedFields"}}


def test_the_informer_drops_managed_fields_that_a_get_still_shows(api: Api) -> None:
    api.create(pod("a"))
    cached = informed(api, "a")
    stored = api.get("Pod", "default", "a")
    assert "managedFields" not in cached["metadata"]
    assert stored["metadata"]["managedFields"][0]["manager"] == "mkctl"
    assert json.dumps(cached, sort_keys=True) == json.dumps(
        without_managed_fields(stored), sort_keys=True
    )


def test_writes_from_a_cached_copy_keep_the_stored_managed_fields(api: Api) -> None:
    """A controller writes a copy of what the informer handed it: update, status update,
    patch and binding all start from the stored object, so its managedFields stay and the
    controller's own entry is added to them."""
    api.create(pod("a"))
    with api.acting_as("kube-controller-manager"):
        edited = clone(informed(api, "a"))
        edited["metadata"]["labels"]["tier"] = "front"
        api.update(edited)
    with api.acting_as("kubelet"):
        edited = clone(informed(api, "a"))
        edited["status"] = {"phase": "Running", "podIP": "10.244.0.5"}
        api.update_status(edited)
    with api.acting_as("kube-scheduler"):
        api.bind("default", "a", "node-1")
    with api.acting_as("mkctl-patch"):
        api.patch("Pod", "default", "a", {"metadata": {"annotations": {"a": "b"}}}, "merge")
    managers = [
        entry["manager"] for entry in api.get("Pod", "default", "a")["metadata"]["managedFields"]
    ]
    assert sorted(managers) == ["kube-controller-manager", "kubelet", "mkctl", "mkctl-patch"]
    assert "managedFields" not in informed(api, "a")["metadata"]


def test_equal_parts_of_two_pods_are_one_object(api: Api) -> None:
    api.create(pod("a"))
    api.create(pod("b"))
    with api.snapshot(informed=True):
        a, b = api.list("Pod")
    assert a["spec"]["containers"] is b["spec"]["containers"]
    assert a["metadata"]["labels"] is b["metadata"]["labels"]
    assert a["metadata"] is not b["metadata"]
    assert a["spec"]["containers"] == api.get("Pod", "default", "b")["spec"]["containers"]


def test_a_change_to_a_shared_part_is_caught_by_the_mutation_detector(api: Api) -> None:
    api.create(pod("a"))
    api.create(pod("b"))
    """Editing pod a's containers in place edits pod b's too: b is caught."""
    with api.snapshot(informed=True):
        a = api.list("Pod")[0]
    a["spec"]["containers"][0]["image"] = "changed in place"
    with (
        pytest.raises(CacheMutated, match="Pod default/b was changed"),
        api.snapshot(informed=True),
    ):
        api.get("Pod", "default", "b")


def test_objects_listed_a_page_at_a_time_are_all_kept_in_order(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(informer_module, "LIST_PAGE", 2)
    for name in ("e", "a", "d", "c", "b"):
        api.create(pod(name))
    with api.snapshot(informed=True):
        listed = api.list("Pod")
    assert [p["metadata"]["name"] for p in listed] == ["a", "b", "c", "d", "e"]
    assert all(p["spec"]["containers"] is listed[0]["spec"]["containers"] for p in listed)


def test_values_equal_in_python_but_not_in_json_are_never_merged() -> None:
    """1 == 1.0 == True in Python: the parts of a CRD's schema, and of custom resources, are
    left as they came, so a `default: 1.0` stays 1.0."""
    parts = SharedParts()

    def crd(name: str, default: Any) -> Obj:
        schema = {"type": "number", "default": default}
        return {"kind": "CustomResourceDefinition", "metadata": {"name": name}, "spec": schema}

    objects = [crd("a", 1), crd("b", 1.0), crd("c", True)]
    kept = [parts.kept(obj) for obj in objects]
    kept.append(parts.kept({"kind": "Widget", "spec": {"size": 1.0}}, typed=False))
    kept.append(parts.kept({"kind": "Widget", "spec": {"size": 1}}, typed=False))
    assert [json.dumps(k["spec"]) for k in kept] == [
        '{"type": "number", "default": 1}',
        '{"type": "number", "default": 1.0}',
        '{"type": "number", "default": true}',
        '{"size": 1.0}',
        '{"size": 1}',
    ]
