"""Event bodies, and Kubernetes' merging of identical events.

A crash loop or an image pull back-off repeats the same event many times. Kubernetes keeps one
Event for them: client-go's EventCorrelator (tools/record/events_cache.go) keys each event by
source, involved object, type, reason and message (`getEventKey`), and a repeat patches the
existing Event's `count` and `lastTimestamp` instead of creating a new one, so that describe
shows `Back-off restarting failed container ... (x5 over 3m)`.

client-go keeps those keys in an in-memory cache. mkctl's controllers run in a new process for
every embedded command, so `EventIndex` fills its cache from the store the first time an
object's events are needed: the events about `web-1` are the ones named `web-1.<hex>`, one
range read over the primary key, then one dictionary per object for as long as the process
lives. An object created by this process has no events elsewhere, so it needs no read.

What makes two events the same event is `keys`; before an event is merged or written,
`correlator` may combine it with similar events or drop it, as the rest of client-go's
EventCorrelator does. Both are the recorder's business: this module only reads and builds.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from controlplane.api.events.keys import AggregationKey, observation_key
from controlplane.api.informer import collector_paused
from controlplane.clock import rfc3339
from controlplane.models.constants import EventType, Kind, Obj
from controlplane.models.meta import Key
from controlplane.store.reader import Reader

# client-go's LRU holds 4096 keys; past this many objects the index starts again from empty.
MAX_INDEXED_OBJECTS = 4096


class Occurrence(NamedTuple):
    """What one event says: about which object, its type, reason and message, from which
    source (on which host), about which field of the object (a container: `fieldPath`)."""

    involved: Obj
    type: EventType
    reason: str
    message: str
    source: str
    host: str = ""
    field_path: str = ""


def new_event(occurrence: Occurrence, *, name: str, uid: str, now: float) -> Obj:
    """A first occurrence: count 1, first and last timestamp now."""
    involved, type, reason, message, source, host, field_path = occurrence
    meta = involved["metadata"]
    involved_ref: dict[str, Any] = {
        "apiVersion": involved.get("apiVersion", ""),
        "kind": involved["kind"],
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "resourceVersion": meta.get("resourceVersion", ""),
    }
    if meta.get("namespace"):
        involved_ref["namespace"] = meta["namespace"]
    if field_path:
        involved_ref["fieldPath"] = field_path
    return {
        "apiVersion": "v1",
        "kind": Kind.EVENT.value,
        "metadata": {
            "name": name,
            "namespace": event_namespace(involved),
            "uid": uid,
            "creationTimestamp": rfc3339(now),
        },
        "involvedObject": involved_ref,
        "reason": reason,
        "message": message,
        "source": {"component": source, **({"host": host} if host else {})},
        "firstTimestamp": rfc3339(now),
        "lastTimestamp": rfc3339(now),
        "count": 1,
        "type": type.value,
        "eventTime": None,
        "reportingComponent": source,
        "reportingInstance": host,
    }


def event_namespace(involved: Obj) -> str:
    """Events live in their object's namespace; those about cluster-scoped objects in default."""
    return str(involved["metadata"].get("namespace") or "default")


def events_about(reader: Reader, involved: Obj) -> list[Obj]:
    """The events whose involvedObject is `involved` (this incarnation: same uid)."""
    meta = involved["metadata"]
    return _stored(reader, event_namespace(involved), meta["name"], meta.get("uid", ""))


def _stored(reader: Reader, namespace: str, name: str, uid: str) -> list[Obj]:
    found = reader.list_with_name_prefix(Kind.EVENT, namespace, name + ".")
    return [e for e in found if (e.get("involvedObject") or {}).get("uid", "") == uid]


class EventIndex:
    """For each involved object seen by this process: which Event holds each aggregation key."""

    def __init__(self) -> None:
        self._by_object: dict[tuple[str, str], dict[AggregationKey, str]] = {}

    def find(self, reader: Reader, event: Obj) -> Obj | None:
        """The stored event that `event` repeats, or None."""
        involved = event["involvedObject"]
        namespace = event["metadata"]["namespace"]
        index = self._index(reader, namespace, involved)
        key = observation_key(event)
        name = index.get(key)
        if name is None:
            return None
        stored = reader.get(Key(Kind.EVENT, namespace, name))
        if stored is None or observation_key(stored) != key:  # deleted, or rolled back
            del index[key]
            return None
        return stored

    def created(self, obj: Obj) -> None:
        """`obj` was just created here: no event can be about it yet, nothing to read."""
        meta = obj["metadata"]
        self._slot(meta.get("uid", ""), meta["name"])

    def remember(self, event: Obj) -> None:
        involved = event["involvedObject"]
        index = self._by_object.get((involved.get("uid", ""), involved["name"]))
        if index is not None:
            index[observation_key(event)] = event["metadata"]["name"]

    def _index(
        self, reader: Reader, namespace: str, involved: dict[str, Any]
    ) -> dict[AggregationKey, str]:
        uid, name = involved.get("uid", ""), involved["name"]
        index = self._by_object.get((uid, name))
        if index is None:
            index = self._slot(uid, name)
            with collector_paused():  # a ReplicaSet of 10,000 pods has 10,000 such events
                for e in _stored(reader, namespace, name, uid):
                    index[observation_key(e)] = e["metadata"]["name"]
        return index

    def _slot(self, uid: str, name: str) -> dict[AggregationKey, str]:
        if len(self._by_object) >= MAX_INDEXED_OBJECTS:
            self._by_object.clear()
        index: dict[AggregationKey, str] = {}
        self._by_object[(uid, name)] = index
        return index
