"""The writes of one StatefulSet or DaemonSet sync, each object written at most once.

A sync may touch the same object twice (adopt an orphaned ControllerRevision, then raise
its revision number). Upstream makes two API calls; here both edits must become one Update,
because every Update is a compare-and-swap on the resourceVersion the sync read. So a later
edit, made on the copy of the earlier one, takes the earlier one's place.
"""

from __future__ import annotations

from controlplane.models.constants import EventType, Obj
from controlplane.models.meta import Key, key_of
from controlplane.runtime.actions import Action, RecordEvent, Update


class Plan:
    def __init__(self, owner: Obj, source: str) -> None:
        self.owner = owner
        self.source = source  # the event source: `statefulset-controller`, ...
        self._actions: list[Action] = []
        self._updates: dict[Key, int] = {}

    def add(self, *actions: Action) -> None:
        for action in actions:
            if isinstance(action, Update):
                self.update(action.obj)
            else:
                self._actions.append(action)

    def update(self, obj: Obj) -> None:
        key = key_of(obj)
        if key in self._updates:
            self._actions[self._updates[key]] = Update(obj)
        else:
            self._updates[key] = len(self._actions)
            self._actions.append(Update(obj))

    def event(self, reason: str, message: str, type_: EventType = EventType.NORMAL) -> None:
        """An event about the owner, from this controller."""
        self._actions.append(RecordEvent(self.owner, type_, reason, message, self.source))

    def actions(self) -> list[Action]:
        return list(self._actions)
