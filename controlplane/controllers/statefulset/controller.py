"""The StatefulSet controller: its wiring around the pure `sync_stateful_set`.

It claims only orphan pods named `<set>-<ordinal>` (upstream getPodsForStatefulSet filters
with isMemberOf); the rest of the wiring is shared with the DaemonSet controller.
"""

from __future__ import annotations

from collections.abc import Mapping

from controlplane.controllers.sets import SetController
from controlplane.controllers.statefulset.control import sync_stateful_set
from controlplane.controllers.statefulset.util import is_member_of
from controlplane.models.constants import Kind, Obj
from controlplane.runtime.actions import Action


class StatefulSetController(SetController):
    name = "statefulset"
    kind = Kind.STATEFUL_SET

    def adopts(self, owner: Obj, pod: Obj) -> bool:
        return is_member_of(owner, pod)

    def plan(
        self,
        owner: Obj,
        pods: list[Obj],
        revisions: list[Obj],
        taken: Mapping[str, Obj],
        now: float,
    ) -> list[Action]:
        return sync_stateful_set(owner, pods, revisions, taken, now)
