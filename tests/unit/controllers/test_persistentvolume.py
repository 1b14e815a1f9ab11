"""The PV binder and the simulated provisioner, sync by sync, on a fake clock
(pkg/controller/volume/persistentvolume/pv_controller.go)."""

from __future__ import annotations

from typing import Any

from sets_fixtures import Lab

from controlplane.controllers.persistentvolume import (
    PersistentVolumeController,
    StorageProtectionController,
)
from controlplane.controllers.persistentvolume.binder import find_best_match
from controlplane.models.meta import Key
from controlplane.models.storage import default_storage_class
from controlplane.runtime.actions import Action, Create, Delete, RecordEvent


def claim(name: str = "data", size: str = "1Gi", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
            **spec,
        },
    }


def volume(name: str, size: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
            "capacity": {"storage": size},
            "hostPath": {"path": f"/data/{name}"},
            "storageClassName": "",
            **spec,
        },
    }


class VolumeLab(Lab):
    def sync(self, *keys: Key) -> list[Action]:
        return self._sync_keys(
            PersistentVolumeController(self.api, self.api.clock, self.api.ids), list(keys)
        )

    def protect(self, *keys: Key) -> list[Action]:
        return self._sync_keys(
            StorageProtectionController(self.api, self.api.clock, self.api.ids), list(keys)
        )

    def _sync_keys(self, controller: Any, keys: list[Key]) -> list[Action]:
        with self.api.snapshot():
            actions = controller.reconcile(keys)
        self.apply(actions)
        return actions

    def claim(self, name: str = "data") -> dict[str, Any]:
        return self.api.get("PersistentVolumeClaim", "default", name)

    def volume(self, name: str) -> dict[str, Any]:
        return self.api.get("PersistentVolume", "", name)


def claim_key(name: str = "data") -> Key:
    return Key("PersistentVolumeClaim", "default", name)


def reasons(actions: list[Action]) -> list[str]:
    return [a.reason for a in actions if isinstance(a, RecordEvent)]


def test_the_default_class_provisions_a_bound_volume_in_one_sync() -> None:
    lab = VolumeLab()
    lab.api.create(default_storage_class())
    pvc = lab.api.create(claim())
    actions = lab.sync(claim_key())
    uid = pvc["metadata"]["uid"]
    (created,) = [a.obj for a in actions if isinstance(a, Create)]
    assert created["metadata"]["name"] == f"pvc-{uid}"
    assert reasons(actions) == ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    bound = lab.claim()
    assert bound["spec"]["volumeName"] == f"pvc-{uid}"
    assert bound["status"] == {
        "phase": "Bound",
        "accessModes": ["ReadWriteOnce"],
        "capacity": {"storage": "1Gi"},
    }
    annotations = bound["metadata"]["annotations"]
    assert annotations["pv.kubernetes.io/bind-completed"] == "yes"
    assert annotations["volume.kubernetes.io/storage-provisioner"] == "mkctl.io/simulated"
    pv = lab.volume(f"pvc-{uid}")
    assert pv["status"]["phase"] == "Bound"
    assert pv["spec"]["claimRef"]["uid"] == uid
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"  # the class's
    # Settled: syncing both again writes nothing.
    assert lab.sync(claim_key(), Key("PersistentVolume", "", f"pvc-{uid}")) == []


def test_an_unbound_claim_takes_the_smallest_volume_that_fits() -> None:
    lab = VolumeLab()
    for name, size in (("small", "500Mi"), ("big", "10Gi"), ("right", "2Gi")):
        lab.api.create(volume(name, size))
    pvc = lab.api.create(claim(size="1Gi", storageClassName=""))
    assert find_best_match(pvc, lab.api.list("PersistentVolume"))["metadata"]["name"] == "right"
    lab.sync(claim_key())
    assert lab.claim()["spec"]["volumeName"] == "right"
    right = lab.volume("right")
    assert right["spec"]["claimRef"]["name"] == "data"
    assert right["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    assert lab.claim()["status"]["capacity"] == {"storage": "2Gi"}


def test_a_claim_without_a_way_to_a_volume_waits_with_an_event() -> None:
    lab = VolumeLab()
    lab.api.create(claim("noclass", storageClassName=""))
    lab.api.create(claim("missing", storageClassName="fast"))
    lab.api.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "ebs"},
            "provisioner": "ebs.csi.aws.com",
        }
    )
    lab.api.create(claim("external", storageClassName="ebs"))
    actions = lab.sync(claim_key("noclass"), claim_key("missing"), claim_key("external"))
    assert [
        (a.involved["metadata"]["name"], a.reason, a.message)
        for a in actions
        if isinstance(a, RecordEvent)
    ] == [
        (
            "noclass",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
        ),
        ("missing", "ProvisioningFailed", 'storageclass.storage.k8s.io "fast" not found'),
        (
            "external",
            "ExternalProvisioning",
            "Waiting for a volume to be created either by the external provisioner "
            "'ebs.csi.aws.com' or manually by the system administrator. If volume creation is "
            "delayed, please verify that the provisioner is running and correctly registered.",
        ),
    ]
    assert all(lab.claim(n)["status"]["phase"] == "Pending" for n in ("noclass", "external"))
    assert lab.api.list("PersistentVolume") == []


def test_wait_for_first_consumer_provisions_once_a_pod_uses_the_claim() -> None:
    lab = VolumeLab()
    late = {**default_storage_class(), "volumeBindingMode": "WaitForFirstConsumer"}
    late["metadata"] = {"name": "late"}
    lab.api.create(late)
    lab.api.create(claim(storageClassName="late"))
    assert reasons(lab.sync(claim_key())) == ["WaitForFirstConsumer"]
    lab.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "user", "namespace": "default"},
            "spec": {
                "containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "data"}}],
            },
        }
    )
    lab.sync(claim_key())
    assert lab.claim()["status"]["phase"] == "Bound"


def test_deleting_the_claim_releases_and_reclaims_its_volume() -> None:
    lab = VolumeLab()
    lab.api.create(default_storage_class())
    lab.api.create(volume("kept", "1Gi"))
    lab.api.create(claim("manual", storageClassName=""))
    lab.api.create(claim())
    lab.sync(claim_key("manual"), claim_key())
    provisioned = lab.claim()["spec"]["volumeName"]
    assert lab.claim()["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert lab.volume(provisioned)["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    lab.api.delete("PersistentVolumeClaim", "default", "manual")
    lab.api.delete("PersistentVolumeClaim", "default", "data")
    lab.protect(claim_key("manual"), claim_key())  # no pod uses them: they go
    assert lab.api.list("PersistentVolumeClaim") == []
    volumes = Key("PersistentVolume", "", "kept"), Key("PersistentVolume", "", provisioned)
    actions = lab.sync(*volumes)
    # Retain (made by hand): Released and kept; Delete (the class's): removed once no
    # longer bound (its pv-protection finalizer held it a moment).
    assert lab.volume("kept")["status"]["phase"] == "Released"
    assert [a.name for a in actions if isinstance(a, Delete)] == [provisioned]
    lab.protect(*volumes)
    assert [v["metadata"]["name"] for v in lab.api.list("PersistentVolume")] == ["kept"]
    assert lab.sync(volumes[0]) == [] and lab.protect(volumes[0]) == []


def test_a_claim_in_use_stays_terminating_until_its_pod_goes() -> None:
    lab = VolumeLab()
    lab.api.create(default_storage_class())
    lab.api.create(claim())
    lab.sync(claim_key())
    lab.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "user", "namespace": "default"},
            "spec": {
                "containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "data"}}],
            },
        }
    )
    lab.api.delete("PersistentVolumeClaim", "default", "data")
    assert lab.protect(claim_key()) == []
    assert lab.claim()["metadata"]["deletionTimestamp"]
    lab.api.delete("Pod", "default", "user", grace_period_seconds=0)
    lab.protect(claim_key())
    assert lab.api.list("PersistentVolumeClaim") == []
