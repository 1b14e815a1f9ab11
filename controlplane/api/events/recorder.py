"""Recording an Event as a Kubernetes component and the API server do it together.

The component's client-go recorder names the event `<object>.<hex of unix nanoseconds>`,
may combine it with similar events or drop it when its source has said too much about the
object (`correlator`), and turns a repeat into a count bump on the stored event
(`store.EventIndex`); the API server then admits it into its namespace (never one being
terminated). That state lives in memory, one recorder per process, as upstream's does.
"""

from __future__ import annotations

from controlplane.api import namespaces
from controlplane.api.events import store
from controlplane.api.events.correlator import EventCorrelator
from controlplane.api.events.keys import observation_key
from controlplane.api.events.store import Occurrence
from controlplane.api.registry import kind_info
from controlplane.clock import Clock
from controlplane.ids import Ids
from controlplane.models.constants import Kind, Obj
from controlplane.store import KeyExists, Transaction


class EventRecorder:
    def __init__(self, clock: Clock, ids: Ids) -> None:
        self._clock = clock
        self._ids = ids
        self._last_nanos = 0
        self._index = store.EventIndex()
        self._correlator = EventCorrelator()

    def created(self, obj: Obj) -> None:
        """`obj` was just created here: no event about it can be stored yet."""
        self._index.created(obj)

    def record(self, txn: Transaction, occurrence: Occurrence) -> Obj | None:
        """The Event written (created, or a repeat's count bumped), or None if dropped."""
        now = self._clock.now()
        stem = occurrence.involved["metadata"]["name"]
        name, uid = f"{stem}.{self._next_nanos(now):x}", self._ids.uid()
        event = store.new_event(occurrence, name=name, uid=uid, now=now)
        correlated = self._correlator.applies_to(event)
        if correlated:
            event = self._correlator.aggregate(event, now)
        meta = event["metadata"]
        info = kind_info(Kind.EVENT)
        namespaces.admit_create(txn, info, meta["namespace"], meta["name"], must_exist=False)
        repeated = self._index.find(txn, event)
        observed = observation_key(event)
        if correlated and not self._correlator.allows(repeated or event, now):
            self._correlator.drop(observed)
            return None
        event["count"] += self._correlator.unheard(observed)
        if repeated is not None:
            repeated["count"] = int(repeated.get("count") or 1) + event["count"]
            repeated["lastTimestamp"] = event["lastTimestamp"]
            repeated["message"] = event["message"]  # a combined event's latest message
            return txn.update(repeated, int(repeated["metadata"]["resourceVersion"]))
        while True:  # another process may have used the same nanosecond: take the next
            try:
                created = txn.create(event)
                break
            except KeyExists:
                meta["name"] = f"{stem}.{self._next_nanos(now):x}"
        self._index.remember(created)
        return created

    def _next_nanos(self, now: float) -> int:
        """Unix nanoseconds for a name, never the same twice in this process."""
        self._last_nanos = max(int(now * 1e9), self._last_nanos + 1)
        return self._last_nanos
