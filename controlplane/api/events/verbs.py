"""The event verbs: record an Event about an object, and read the events about it.

One `EventRecorder` per process, as upstream keeps one per component.
"""

from __future__ import annotations

import builtins

from controlplane.api.events import store
from controlplane.api.events.expiry import expire_events
from controlplane.api.events.recorder import EventRecorder
from controlplane.api.events.store import Occurrence
from controlplane.api.transactions import Transactions
from controlplane.clock import Clock
from controlplane.ids import Ids
from controlplane.models.constants import EventType, Obj
from controlplane.store import Store


class EventVerbs(Transactions):
    def __init__(self, store: Store, clock: Clock, ids: Ids) -> None:
        super().__init__(store, clock, ids)
        self._events = EventRecorder(clock, ids)

    def record_event(
        self,
        involved: Obj,
        type: EventType,
        reason: str,
        message: str,
        source: str,
        *,
        host: str = "",
        field_path: str = "",
    ) -> Obj | None:
        """Record an Event about `involved`, named `<name>.<hex of unix nanoseconds>`; a repeat
        of an identical event bumps that event's count and lastTimestamp instead.

        First, as client-go's EventCorrelator does, similar events may be combined into one
        and a source that has said too much about the object is not heard (None is returned):
        see `api/events/`."""
        with self._writing() as txn:
            occurrence = Occurrence(involved, type, reason, message, source, host, field_path)
            return self._events.record(txn, occurrence)

    def events_about(self, involved: Obj) -> builtins.list[Obj]:
        """The events about this incarnation of `involved` (same uid), in name (time) order."""
        with self._reading() as r:
            return store.events_about(r, involved)

    def expire_events(self, ttl: float) -> float:
        """Delete the Events last written more than `ttl` seconds ago, as etcd does when
        their lease runs out; watchers see each go (DELETED). Returns when the next one can
        expire at the earliest."""
        with self._writing() as txn:
            return expire_events(txn, self.clock.now(), ttl)
