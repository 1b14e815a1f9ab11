"""The pod garbage collector's orphan sweep: pods bound to a node that no longer exists.

Upstream (pkg/controller/podgc, gcOrphaned) finds them on a periodic pass and, after a
quarantine, deletes them at once (grace period 0): no kubelet is left to stop them. Here the
sweep runs when a Node is deleted, which is when such pods appear. This is how a DaemonSet
"loses" the pod of a removed node, and how a ReplicaSet's pod there gets replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.controllers.base import ControllerBase
from controlplane.models.constants import ChangeType, Kind
from controlplane.models.meta import Change, Key, key_of, name_of, uid_of
from controlplane.runtime.actions import Action, Delete


class PodGarbageCollector(ControllerBase):
    name = "podgc"

    def keys_for(self, change: Change) -> Iterable[Key]:
        if change.obj["kind"] == Kind.NODE and change.type == ChangeType.DELETED:
            return [key_of(change.obj)]
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        existing = {name_of(n) for n in self.api.list(Kind.NODE)}
        gone = {key.name for key in keys} - existing
        if not gone:
            return []
        return [
            Delete(
                Kind.POD,
                pod["metadata"]["namespace"],
                name_of(pod),
                uid=uid_of(pod),
                grace_period_seconds=0,
            )
            for pod in self.api.list(Kind.POD)
            if pod["spec"].get("nodeName") in gone
        ]
