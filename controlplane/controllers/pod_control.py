"""Pod control: the pods a controller creates from its template and deletes, each with the
event upstream records (pkg/controller/controller_utils.go GetPodFromTemplate and
RealPodControl), shared by the ReplicaSet, StatefulSet and DaemonSet controllers.
"""

from __future__ import annotations

import copy

from controlplane.models.constants import EventType, Kind, Obj
from controlplane.models.meta import name_of, owned_metadata, uid_of
from controlplane.runtime.actions import Action, Create, Delete, RecordEvent


def pod_from_template(rs: Obj, name: str | None = None) -> Obj:
    """controller.GetPodFromTemplate: named `<owner>-<random>` by the API server, unless a
    name is given (a StatefulSet's `<name>-<ordinal>`)."""
    template_meta = rs["spec"]["template"].get("metadata", {})
    labels, annotations = template_meta.get("labels") or {}, template_meta.get("annotations")
    names = {"name": name} if name else {}
    meta = owned_metadata(rs, labels, annotations, **names, generateName=f"{name_of(rs)}-")
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": copy.deepcopy(rs["spec"]["template"].get("spec", {})),
    }


def create_pod(owner: Obj, pod: Obj, source: str) -> Action:
    """controller.RealPodControl.CreatePods: the pod, then `Created pod: <the name it got>`."""
    reason, message = "SuccessfulCreate", "Created pod: {name}"
    return Create(pod, event=RecordEvent(owner, EventType.NORMAL, reason, message, source))


def delete_pod(owner: Obj, pod: Obj, source: str) -> list[Action]:
    """controller.RealPodControl.DeletePod: this incarnation, and `Deleted pod: <name>`."""
    return [
        Delete(Kind.POD, pod["metadata"]["namespace"], name_of(pod), uid=uid_of(pod)),
        RecordEvent(
            owner,
            EventType.NORMAL,
            "SuccessfulDelete",
            f"Deleted pod: {name_of(pod)}",
            source,
        ),
    ]
