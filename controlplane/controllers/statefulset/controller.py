"""The StatefulSet controller: its wiring around the pure `sync_stateful_set`.

It claims only orphan pods named `<set>-<ordinal>` (upstream getPodsForStatefulSet filters
with isMemberOf); the rest of the wiring is shared with the DaemonSet controller. A set with
volumeClaimTemplates also reads its namespace's claims, and is synced again when one of its
claims is deleted (a pod waiting for a stale claim to go can then be created).
"""

from __future__ import annotations

from collections.abc import Iterable

from controlplane.controllers.sets import History, SetController
from controlplane.controllers.statefulset.claims import templates_of
from controlplane.controllers.statefulset.control import sync_stateful_set
from controlplane.controllers.statefulset.util import is_member_of
from controlplane.models.constants import ChangeType, Kind, Obj
from controlplane.models.meta import Change, Key, key_of, name_of, namespace_of
from controlplane.runtime.actions import Action


class StatefulSetController(SetController):
    name = "statefulset"
    kind = Kind.STATEFUL_SET

    def adopts(self, owner: Obj, pod: Obj) -> bool:
        return is_member_of(owner, pod)

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] != Kind.PERSISTENT_VOLUME_CLAIM:
            return super().keys_for(change)
        if change.type != ChangeType.DELETED:
            return []
        return [
            key_of(sts)
            for sts in self.api.list(Kind.STATEFUL_SET, namespace_of(obj))
            if any(
                name_of(obj).startswith(f"{t.get('metadata', {}).get('name')}-{name_of(sts)}-")
                for t in templates_of(sts)
            )
        ]

    def plan(self, owner: Obj, pods: list[Obj], history: History, now: float) -> list[Action]:
        claims = {}
        if templates_of(owner):
            found = self.api.list(Kind.PERSISTENT_VOLUME_CLAIM, namespace_of(owner))
            claims = {name_of(c): c for c in found}
        return sync_stateful_set(owner, pods, *history, now, claims)
