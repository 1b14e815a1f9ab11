"""mkctl's simulated provisioner (`mkctl.io/simulated`), in the role an external provisioner
plays (sigs.k8s.io/sig-storage-lib-external-provisioner controller.go provisionClaimOperation):
for a claim of one of its classes it creates a PersistentVolume named `pvc-<claim uid>`,
already bound to the claim (`claimRef`), of the size and access modes asked for, with its
class's reclaim policy and mount options.

The volume is a hostPath under /tmp/hostpath-provisioner, as minikube's provisioner makes
them, but nothing is created anywhere: mkctl runs no containers, so no data is ever stored.
"""

from __future__ import annotations

import copy

from controlplane.models.constants import EventType, Kind, Obj
from controlplane.models.meta import name_of, namespace_of, uid_of
from controlplane.models.storage import PROVISIONED_BY_ANNOTATION, SIMULATED_PROVISIONER
from controlplane.runtime.actions import Action, Create, RecordEvent

HOST_PATH_ROOT = "/tmp/hostpath-provisioner"


def volume_name(claim: Obj) -> str:
    """The name every dynamically provisioned volume gets: `pvc-<claim uid>`."""
    return f"pvc-{uid_of(claim)}"


def provisioned_volume(claim: Obj, storage_class: Obj) -> Obj:
    spec = claim["spec"]
    volume_spec: Obj = {
        "accessModes": list(spec.get("accessModes") or []),
        "capacity": {"storage": spec["resources"]["requests"]["storage"]},
        "claimRef": {
            "apiVersion": "v1",
            "kind": Kind.PERSISTENT_VOLUME_CLAIM.value,
            "name": name_of(claim),
            "namespace": namespace_of(claim),
            "resourceVersion": claim["metadata"].get("resourceVersion", ""),
            "uid": uid_of(claim),
        },
        "hostPath": {
            "path": f"{HOST_PATH_ROOT}/{namespace_of(claim)}/{name_of(claim)}",
            "type": "",
        },
        "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy") or "Delete",
        "storageClassName": name_of(storage_class),
        "volumeMode": spec.get("volumeMode") or "Filesystem",
    }
    if storage_class.get("mountOptions"):
        volume_spec["mountOptions"] = copy.deepcopy(storage_class["mountOptions"])
    return {
        "apiVersion": "v1",
        "kind": Kind.PERSISTENT_VOLUME.value,
        "metadata": {
            "name": volume_name(claim),
            "annotations": {PROVISIONED_BY_ANNOTATION: SIMULATED_PROVISIONER},
        },
        "spec": volume_spec,
    }


def provision(claim: Obj, storage_class: Obj) -> tuple[Obj, list[Action]]:
    """The volume for `claim`, and the writes and events that create it."""
    volume = provisioned_volume(claim, storage_class)
    key = f"{namespace_of(claim)}/{name_of(claim)}"
    actions: list[Action] = [
        RecordEvent(
            claim,
            EventType.NORMAL,
            "Provisioning",
            f'External provisioner is provisioning volume for claim "{key}"',
            SIMULATED_PROVISIONER,
        ),
        Create(volume),
        RecordEvent(
            claim,
            EventType.NORMAL,
            "ProvisioningSucceeded",
            f"Successfully provisioned volume {volume_name(claim)}",
            SIMULATED_PROVISIONER,
        ),
    ]
    return volume, actions
