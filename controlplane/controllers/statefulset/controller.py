"""The StatefulSet controller: which keys a change wakes, and the reads behind one sync.

A set is synced when it changes, when one of its pods or ControllerRevisions changes, and
when an orphan pod it could adopt appears (upstream stateful_set.go: addPod, updatePod,
deletePod, getPodStatefulSets). The sync itself is the pure `sync_stateful_set`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.controllers.statefulset.control import sync_stateful_set
from controlplane.controllers.statefulset.utils import is_member_of
from controlplane.models import selectors
from controlplane.models.constants import ChangeType, Kind
from controlplane.models.meta import (
    Change,
    Key,
    controller_key,
    controller_ref,
    controller_uid,
    is_being_deleted,
    key_of,
    labels_of,
    namespace_of,
    uid_of,
)
from controlplane.runtime.actions import Action


class StatefulSetController:
    name = "statefulset"

    def __init__(self, api: Api) -> None:
        self.api = api

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        kind = obj["kind"]
        if kind == Kind.STATEFUL_SET:
            return [key_of(obj)]
        if kind == Kind.CONTROLLER_REVISION:
            return controller_key(obj, Kind.STATEFUL_SET)
        if kind != Kind.POD:
            return []
        if controller_ref(obj) is not None:
            return controller_key(obj, Kind.STATEFUL_SET)
        if change.type == ChangeType.DELETED or is_being_deleted(obj):
            return []
        return [
            key_of(sts)
            for sts in self.api.list(Kind.STATEFUL_SET, namespace_of(obj))
            if selectors.matches(sts["spec"].get("selector"), labels_of(obj))
            and is_member_of(sts, obj)
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.api.clock.now()
        for key in dict.fromkeys(keys):
            try:
                sts = self.api.get(Kind.STATEFUL_SET, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            uid = uid_of(sts)
            pods = self.api.list(Kind.POD, key.namespace, controller_uid=uid, include_orphans=True)
            taken = self.api.list(Kind.CONTROLLER_REVISION, key.namespace)
            revisions = [r for r in taken if controller_uid(r) in (uid, None)]
            by_name = {r["metadata"]["name"]: r for r in taken}
            actions += sync_stateful_set(sts, pods, revisions, by_name, now)
        return actions
