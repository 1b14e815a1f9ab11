"""The event verbs: record an Event about an object, and read the events about it.

One `EventRecorder` per process, as upstream keeps one per component, made by the first
write that records an event: a reading command never imports it.
"""

from __future__ import annotations

import builtins
from functools import cached_property
from typing import TYPE_CHECKING

from controlplane.api.transactions import Transactions
from controlplane.models.constants import EventType, Obj

if TYPE_CHECKING:
    from controlplane.api.events.recorder import EventRecorder


class EventVerbs(Transactions):
    @cached_property
    def _events(self) -> EventRecorder:
        from controlplane.api.events.recorder import EventRecorder

        return EventRecorder(self.clock, self.ids)

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
        from controlplane.api.events.store import Occurrence

        with self._writing() as txn:
            occurrence = Occurrence(involved, type, reason, message, source, host, field_path)
            return self._events.record(txn, occurrence)

    def events_about(self, involved: Obj) -> builtins.list[Obj]:
        """The events about this incarnation of `involved` (same uid), in name (time) order."""
        from controlplane.api.events.store import events_about

        with self._reading() as r:
            return events_about(r, involved)

    def expire_events(self, ttl: float) -> float:
        """Delete the Events last written more than `ttl` seconds ago, as etcd does when
        their lease runs out; watchers see each go (DELETED). Returns when the next one can
        expire at the earliest."""
        from controlplane.api.events.expiry import expire_events

        with self._writing() as txn:
            return expire_events(txn, self.clock.now(), ttl)
