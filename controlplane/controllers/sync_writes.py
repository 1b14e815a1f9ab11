"""The writes of one controller sync, collected as actions, each object written at most once.

Upstream mutates copies of the objects it read and issues one API call per change: a
Deployment sync may scale a ReplicaSet twice, a StatefulSet sync may adopt an orphaned
ControllerRevision and then raise its revision number. Here every write is a compare-and-swap
on the resourceVersion the sync read, so the edits of one object become one Create or Update,
in the place of its first edit; the owner's own copy becomes one UpdateStatus if it changed;
any requeue comes last. Every controller that plans a sync of an owner (ReplicaSet,
Deployment, StatefulSet, DaemonSet) collects its writes here; inputs are never mutated.
"""

from __future__ import annotations

import copy

from controlplane.models.constants import EventType, Obj
from controlplane.models.meta import Key, key_of
from controlplane.runtime.actions import (
    Action,
    Create,
    Delete,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)


class SyncWrites:
    """One sync of `owner` by the controller named `source` (the events' source), at `now`.

    `draft` is the owner's private copy: what the sync changes in its status (and, for a
    Deployment, its annotations) is written once, after every other write. `requeue_after`:
    seconds after which the owner is synced again, if set.
    """

    def __init__(self, owner: Obj, source: str, now: float) -> None:
        self.owner = owner
        self.source = source
        self.now = now
        self.draft: Obj = copy.deepcopy(owner)
        self.requeue_after: float | None = None
        self._log: list[Action | Key] = []  # a Key stands for that object's one write
        self._before: dict[Key, Obj] = {}
        self._after: dict[Key, Obj] = {}
        self._created: set[Key] = set()

    def latest(self, obj: Obj) -> Obj:
        """The newest planned version of this object (the input if untouched)."""
        return self._after.get(key_of(obj), obj)

    def edit(self, obj: Obj) -> Obj:
        """A private copy of the object's latest version that becomes its planned version;
        written only if it ends up different from what was read."""
        key = self._touch(obj)
        self._before.setdefault(key, obj)
        edited = copy.deepcopy(self.latest(obj))
        self._after[key] = edited
        return edited

    def update(self, obj: Obj) -> None:
        """`obj`, already changed, is this object's planned version."""
        self._after[self._touch(obj)] = obj

    def create(self, obj: Obj) -> None:
        """A new object, whose later edits in this sync are part of its Create."""
        key = self._touch(obj)
        self._created.add(key)
        self._after[key] = obj

    def delete(self, obj: Obj) -> None:
        meta = obj["metadata"]
        uid = meta.get("uid", "")
        self._log.append(Delete(obj["kind"], meta.get("namespace", ""), meta["name"], uid=uid))

    def add(self, *actions: Action) -> None:
        """Actions in the order upstream makes the calls; an Update is the object's write."""
        for action in actions:
            if isinstance(action, Update):
                self.update(action.obj)
            else:
                self._log.append(action)

    def event(self, reason: str, message: str, type_: EventType = EventType.NORMAL) -> None:
        """An event about the owner, from this controller."""
        self._log.append(RecordEvent(self.owner, type_, reason, message, self.source))

    def actions(self) -> list[Action]:
        """The writes in order, then the owner's status write, then any requeue."""
        actions: list[Action] = []
        for entry in self._log:
            if not isinstance(entry, Key):
                actions.append(entry)
            elif entry in self._created:
                actions.append(Create(self._after[entry]))
            elif self._after[entry] != self._before.get(entry):
                actions.append(Update(self._after[entry]))
        if self.draft != self.owner:
            actions.append(UpdateStatus(self.draft))
        if self.requeue_after is not None:
            actions.append(RequeueAfter(key_of(self.owner), self.requeue_after))
        return actions

    def _touch(self, obj: Obj) -> Key:
        key = key_of(obj)
        if key not in self._after:
            self._log.append(key)
        return key
