"""The DaemonSet controller: its wiring around the pure `sync_daemon_set`.

Besides its own pods and revisions, a DaemonSet follows the nodes: any Node change (added,
relabelled, tainted, cordoned, removed) wakes every DaemonSet, which then works out from
scratch where its pods belong (upstream addNode/updateNode/deleteNode narrow this down by
comparing the node before and after; the change log only carries the new state).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.controllers.daemonset.sync import sync_daemon_set
from controlplane.controllers.sets import History, SetController
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Change, Key, key_of
from controlplane.runtime.actions import Action


class DaemonSetController(SetController):
    name = "daemonset"
    kind = Kind.DAEMON_SET
    _nodes: list[Obj]

    def keys_for(self, change: Change) -> Iterable[Key]:
        if change.obj["kind"] == Kind.NODE:
            return [key_of(ds) for ds in self.api.list(Kind.DAEMON_SET)]
        return super().keys_for(change)

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        self._nodes = self.api.list(Kind.NODE)
        return super().reconcile(keys)

    def plan(self, owner: Obj, pods: list[Obj], history: History, now: float) -> list[Action]:
        return sync_daemon_set(owner, self._nodes, pods, *history, now, self.ids)
