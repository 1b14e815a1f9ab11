"""The DaemonSet controller: which keys a change wakes, and the reads behind one sync.

Besides its own pods and revisions, a DaemonSet follows the nodes: any Node change (added,
relabelled, tainted, cordoned, removed) wakes every DaemonSet, which then works out from
scratch where its pods belong (upstream addNode/updateNode/deleteNode narrow this down by
comparing the node before and after; the change log only carries the new state).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.controllers.daemonset.sync import sync_daemon_set
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


class DaemonSetController:
    name = "daemonset"

    def __init__(self, api: Api) -> None:
        self.api = api

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        kind = obj["kind"]
        if kind == Kind.DAEMON_SET:
            return [key_of(obj)]
        if kind == Kind.NODE:
            return [key_of(ds) for ds in self.api.list(Kind.DAEMON_SET)]
        if kind == Kind.CONTROLLER_REVISION:
            return controller_key(obj, Kind.DAEMON_SET)
        if kind != Kind.POD:
            return []
        if controller_ref(obj) is not None:
            return controller_key(obj, Kind.DAEMON_SET)
        if change.type == ChangeType.DELETED or is_being_deleted(obj):
            return []
        return [
            key_of(ds)
            for ds in self.api.list(Kind.DAEMON_SET, namespace_of(obj))
            if selectors.matches(ds["spec"].get("selector"), labels_of(obj))
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.api.clock.now()
        nodes = self.api.list(Kind.NODE)
        for key in dict.fromkeys(keys):
            try:
                ds = self.api.get(Kind.DAEMON_SET, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            uid = uid_of(ds)
            pods = self.api.list(Kind.POD, key.namespace, controller_uid=uid, include_orphans=True)
            taken = self.api.list(Kind.CONTROLLER_REVISION, key.namespace)
            revisions = [r for r in taken if controller_uid(r) in (uid, None)]
            by_name = {r["metadata"]["name"]: r for r in taken}
            actions += sync_daemon_set(ds, nodes, pods, revisions, by_name, now, self.api.ids)
        return actions
