"""PersistentVolumeClaims, PersistentVolumes and StorageClasses: defaults, validation with
upstream's messages, the DefaultStorageClass admission and table cells, as kube-apiserver 1.37
treats them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.defaults import apply_defaults
from controlplane.api.errors import ApiError
from controlplane.api.tables.storage import (
    PV_COLUMNS,
    PVC_COLUMNS,
    STORAGECLASS_COLUMNS,
    persistent_volume_cells,
    persistent_volume_claim_cells,
    storage_class_cells,
)
from controlplane.api.validation import validate
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.storage import default_storage_class
from controlplane.store import Store


def claim(name: str = "data", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
    }


def volume(name: str = "pv1", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "capacity": {"storage": "5Gi"},
            "hostPath": {"path": "/data"},
            **spec,
        },
    }


def messages(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    apply_defaults(obj)
    return [str(e) for e in validate(obj, old)]


@pytest.fixture
def api() -> Api:
    api = Api(Store("sqlite://"), FakeClock(), SeededIds(3))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    return api


def test_defaults_as_upstream() -> None:
    pvc, pv, sc = claim(), volume(), {"kind": "StorageClass", "provisioner": "x"}
    for obj in (pvc, pv, sc):
        apply_defaults(obj)
    assert (pvc["spec"]["volumeMode"], pvc["status"]) == ("Filesystem", {"phase": "Pending"})
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"  # made by hand: kept
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")


def test_a_statefulset_claim_template_is_defaulted_like_a_claim() -> None:
    sts = {"kind": "StatefulSet", "spec": {"volumeClaimTemplates": [claim("www")]}}
    apply_defaults(sts)
    (template,) = sts["spec"]["volumeClaimTemplates"]
    assert (template["spec"]["volumeMode"], template["status"]) == (
        "Filesystem",
        {"phase": "Pending"},
    )


def test_a_claim_needs_access_modes_and_a_storage_request() -> None:
    bare = claim()
    bare["spec"] = {}
    assert messages(bare) == [
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
    ]
    assert messages(claim(accessModes=["ReadWriteSometimes"])) == [
        'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: '
        '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'
    ]
    assert messages(claim(resources={"requests": {"storage": "0"}})) == [
        'spec.resources[storage]: Invalid value: "0": must be greater than zero'
    ]


def test_a_claim_spec_is_immutable_but_a_bound_claim_may_grow(api: Api) -> None:
    created = api.create(claim())
    bigger = copy.deepcopy(created)
    bigger["spec"]["resources"]["requests"]["storage"] = "2Gi"
    with pytest.raises(ApiError) as refused:
        api.update(bigger)
    assert refused.value.message == (
        'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after '
        "creation except resources.requests and volumeAttributesClassName for bound claims"
    )
    bound = copy.deepcopy(created)
    bound["status"] = {"phase": "Bound"}
    bound = api.update_status(bound)
    bound["spec"]["resources"]["requests"]["storage"] = "2Gi"
    bound["spec"]["volumeName"] = "pv1"  # the binder fills it in once
    assert api.update(bound)["spec"]["resources"]["requests"]["storage"] == "2Gi"
    bound = api.get("PersistentVolumeClaim", "default", "data")
    bound["spec"]["resources"]["requests"]["storage"] = "1Gi"
    with pytest.raises(ApiError) as shrunk:
        api.update(bound)
    assert "field can not be less than status.capacity" in shrunk.value.message


def test_a_volume_needs_capacity_and_one_source() -> None:
    no_source = volume()
    del no_source["spec"]["hostPath"]
    assert messages(no_source) == ["spec: Required value: must specify a volume type"]
    two = volume(nfs={"server": "s", "path": "/"})
    assert messages(two) == ["spec.nfs: Forbidden: may not specify more than 1 volume type"]
    no_capacity = volume()
    del no_capacity["spec"]["capacity"]
    assert messages(no_capacity) == ["spec.capacity: Required value"]


def test_storage_class_rules() -> None:
    sc: dict[str, Any] = {"kind": "StorageClass", "metadata": {"name": "fast"}}
    assert messages(copy.deepcopy(sc)) == ["provisioner: Required value"]
    bad = {**sc, "provisioner": "x", "reclaimPolicy": "Recycle"}
    assert messages(bad) == [
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'
    ]
    old = {**sc, "provisioner": "x"}
    apply_defaults(old)
    changed = {**old, "provisioner": "y", "volumeBindingMode": "WaitForFirstConsumer"}
    assert messages(changed, old) == [
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]


def test_a_claim_without_a_class_gets_the_default_one(api: Api) -> None:
    assert api.create(claim("before"))["spec"].get("storageClassName") is None
    api.create(default_storage_class())
    assert api.create(claim())["spec"]["storageClassName"] == "standard"
    assert api.create(claim("none", storageClassName=""))["spec"]["storageClassName"] == ""


def test_table_cells_as_kubectl_prints_them() -> None:
    pvc = claim(volumeName="pvc-1", storageClassName="standard", volumeMode="Filesystem")
    pvc["status"] = {
        "phase": "Bound",
        "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
        "capacity": {"storage": "1024Mi"},
    }
    assert [c.name for c in PVC_COLUMNS] == [
        "Name",
        "Status",
        "Volume",
        "Capacity",
        "Access Modes",
        "StorageClass",
        "VolumeAttributesClass",
        "Age",
        "VolumeMode",
    ]
    assert persistent_volume_claim_cells(pvc, 0.0)[:7] == [
        "data",
        "Bound",
        "pvc-1",
        "1Gi",
        "RWO,ROX",
        "standard",
        "<unset>",
    ]
    pending = claim()
    pending["status"] = {"phase": "Pending"}
    assert persistent_volume_claim_cells(pending, 0.0)[1:5] == ["Pending", "", "", ""]
    pv = volume(
        claimRef={"namespace": "default", "name": "data"},
        persistentVolumeReclaimPolicy="Delete",
        storageClassName="standard",
    )
    pv["status"] = {"phase": "Bound"}
    assert len(PV_COLUMNS) == 11
    assert persistent_volume_cells(pv, 0.0)[:9] == [
        "pv1",
        "5Gi",
        "RWO",
        "Delete",
        "Bound",
        "default/data",
        "standard",
        "<unset>",
        "",
    ]
    assert [c.name for c in STORAGECLASS_COLUMNS][1:5] == [
        "Provisioner",
        "ReclaimPolicy",
        "VolumeBindingMode",
        "AllowVolumeExpansion",
    ]
    sc = default_storage_class()
    assert storage_class_cells(sc, 0.0)[:5] == [
        "standard (default)",
        "mkctl.io/simulated",
        "Delete",
        "Immediate",
        False,
    ]
