"""One Deployment sync's working state: what upstream would have written, as actions.

Kept apart from `util`, which is pure arithmetic over the objects it is given: the plan is
the one place a sync's writes are collected.
"""

from __future__ import annotations

import copy

from controlplane.models.constants import DEPLOYMENT_CONTROLLER, EventType, Obj
from controlplane.models.meta import key_of, name_of
from controlplane.runtime.actions import (
    Action,
    Create,
    Delete,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)


class SyncPlan:
    """The working state of one sync: what upstream would have written, as actions.

    Upstream mutates a deep copy of the Deployment and issues one API call per change. Here
    every ReplicaSet keeps its input version and its latest planned version; each RS that
    changed becomes exactly one Create or Update at the end (so the executor's CAS on the
    input resourceVersion holds), and the Deployment copy becomes one UpdateStatus if its
    status or annotations changed. Inputs are never mutated.
    """

    def __init__(self, deployment: Obj, now: float) -> None:
        self.deployment = deployment
        self.d: Obj = copy.deepcopy(deployment)
        self.now = now
        self._before: dict[str, Obj] = {}
        self._after: dict[str, Obj] = {}
        self._created: set[str] = set()
        self._deletes: list[Delete] = []
        self._events: list[RecordEvent] = []
        self.requeue_after: float | None = None

    def latest(self, rs: Obj) -> Obj:
        """The newest planned version of this RS (the input if untouched)."""
        return self._after.get(name_of(rs), rs)

    def edit(self, rs: Obj) -> Obj:
        """A private copy of the RS's latest version that becomes its planned version."""
        name = name_of(rs)
        self._before.setdefault(name, rs)
        edited = copy.deepcopy(self.latest(rs))
        self._after[name] = edited
        return edited

    def create(self, rs: Obj) -> None:
        self._after[name_of(rs)] = rs
        self._created.add(name_of(rs))

    def delete(self, rs: Obj) -> None:
        meta = rs["metadata"]
        self._deletes.append(
            Delete(rs["kind"], meta.get("namespace", ""), meta["name"], uid=meta.get("uid", ""))
        )

    def event(self, reason: str, message: str, type_: EventType = EventType.NORMAL) -> None:
        self._events.append(
            RecordEvent(self.deployment, type_, reason, message, DEPLOYMENT_CONTROLLER)
        )

    def actions(self) -> list[Action]:
        """RS writes, deletions, the Deployment's status write, events, then any requeue."""
        actions: list[Action] = []
        for name, after in self._after.items():
            if name in self._created:
                actions.append(Create(after))
            elif after != self._before[name]:
                actions.append(Update(after))
        actions.extend(self._deletes)
        if self.d != self.deployment:
            actions.append(UpdateStatus(self.d))
        actions.extend(self._events)
        if self.requeue_after is not None:
            actions.append(RequeueAfter(key_of(self.deployment), self.requeue_after))
        return actions
