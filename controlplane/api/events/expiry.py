"""Events expire: kube-apiserver's `--event-ttl` (default one hour).

The API server stores every Event with a time to live: the registry's `TTLFunc` returns the
TTL on each create and update (pkg/registry/core/event/storage/storage.go), and the etcd3
store attaches the key to an etcd lease of that many seconds (staging/src/k8s.io/apiserver/
pkg/storage/etcd3/store.go `ttlOpts`, lease_manager.go). When the lease runs out, etcd
deletes the key: an ordinary delete at a new revision, so watchers receive a DELETED event
carrying the Event's last state. Each write starts the TTL again, so an event that keeps
repeating (its count bumped) lives on.

mkctl keeps no lease per key; a sweep deletes every Event whose last write is more than
the TTL ago, as the same storage-level delete (no finalizers, no grace). The last write is
the newest of the Event's own timestamps: mkctl's recorder stamps `lastTimestamp` on each
count bump. Event names end in the hex Unix nanoseconds of their creation (client-go's
recorder names them so), so only events created before the cutoff are read at all, and the
oldest creation left says when the next sweep can find anything.
"""

from __future__ import annotations

from controlplane.clock import parse_rfc3339
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Key
from controlplane.store.store import Transaction


def expire_events(txn: Transaction, now: float, ttl: float) -> float:
    """Delete the Events last written more than `ttl` seconds before `now`; returns when
    the next one can expire at the earliest (an hour from now if none is left)."""
    cutoff = now - ttl
    earliest = now
    for key in txn.keys(Kind.EVENT):
        created = _created(key, now)
        if created is not None and created > cutoff:
            earliest = min(earliest, created)  # its last write is no earlier
            continue
        event = txn.get(key)
        if event is None:
            continue
        written = _last_written(event)
        if written <= cutoff:
            txn.delete(key)
        else:
            earliest = min(earliest, written)
    return earliest + ttl


def _created(key: Key, now: float) -> float | None:
    """When the name says the event was created; None if it says nothing, or a time to come."""
    _, _, suffix = key.name.rpartition(".")
    try:
        nanos = int(suffix, 16)
    except ValueError:
        return None
    return nanos / 1e9 if nanos <= now * 1e9 else None


def _last_written(event: Obj) -> float:
    series = event.get("series") or {}
    stamps = (
        (event.get("metadata") or {}).get("creationTimestamp"),
        event.get("lastTimestamp"),
        event.get("eventTime"),
        series.get("lastObservedTime"),
    )
    return max((_seconds(s) for s in stamps if isinstance(s, str) and s), default=0.0)


def _seconds(stamp: str) -> float:
    try:
        return parse_rfc3339(stamp)
    except ValueError:
        return 0.0
