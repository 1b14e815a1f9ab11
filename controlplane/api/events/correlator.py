"""What client-go's EventCorrelator does to an event before it is written: aggregation of
similar events and the per-object spam filter (tools/record/events_cache.go, the defaults
of `NewEventCorrelator`).

- **Similar events are combined.** Events that differ only in their message (same source,
  involved object, type and reason) are counted per 10-minute window; from the tenth distinct
  message on, the event becomes one Event named afresh whose message starts with
  `(combined from similar events): ` and whose later repeats bump its count. A ReplicaSet
  that creates 100 pods shows 9 `Created pod: web-x` events and one combined event.
- **A source may say 25 things about an object, then one every 5 minutes.** A token bucket
  per (source, involved object) drops the rest: no Event is written for them.

Controllers and the kubelet record through client-go's `tools/record`, which does both. The
scheduler records through `tools/events` (events.k8s.io), which does neither, so its events
pass through untouched. Like client-go's, the state lives in memory (an LRU of 4096 keys per
cache): the daemon keeps it, and each embedded command starts afresh.

An event that is dropped is still counted, as client-go's event logger counts every
observation before the filter runs: the next repeat that gets through carries the dropped
ones in its count (`Back-off pulling image (x21 over 12m)` with far fewer writes).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from controlplane.api.events.keys import COMBINED_PREFIX, similar_key, spam_key
from controlplane.models.constants import SCHEDULER, Obj

LRU_ENTRIES = 4096  # maxLruCacheEntries
AGGREGATE_MAX_EVENTS = 10  # defaultAggregateMaxEvents
AGGREGATE_INTERVAL_SECONDS = 600  # defaultAggregateIntervalInSeconds
SPAM_BURST = 25  # defaultSpamBurst
SPAM_QPS = 1.0 / 300.0  # defaultSpamQPS

K = TypeVar("K")
V = TypeVar("V")


class _Lru(Generic[K, V]):
    """groupcache's lru.Cache: the least recently used key goes when the cache is full."""

    def __init__(self, entries: int = LRU_ENTRIES) -> None:
        self._entries = entries
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def add(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self._entries:
            self._items.popitem(last=False)


@dataclass
class _Similar:
    """aggregateRecord: the distinct messages seen lately, and when the last one came."""

    messages: dict[str, None] = field(default_factory=dict)
    last: float = 0.0


@dataclass
class _Bucket:
    """The token bucket (x/time/rate, as flowcontrol wraps it): starts full."""

    tokens: float
    last: float


class EventCorrelator:
    def __init__(self) -> None:
        self._similar: _Lru[tuple[str, ...], _Similar] = _Lru()
        self._buckets: _Lru[tuple[str, ...], _Bucket] = _Lru()
        self._unheard: _Lru[tuple[str, ...], int] = _Lru()

    @staticmethod
    def applies_to(event: Obj) -> bool:
        return (event.get("source") or {}).get("component") != SCHEDULER

    def aggregate(self, event: Obj, now: float) -> Obj:
        """`EventAggregate`: `event` itself, or from the tenth distinct message within the
        interval, the combined event that stands for it (same name and uid)."""
        key = similar_key(event)
        record = self._similar.get(key)
        if record is None or now - record.last > AGGREGATE_INTERVAL_SECONDS:
            record = _Similar()
        record.messages[event["message"]] = None
        record.last = now
        self._similar.add(key, record)
        if len(record.messages) < AGGREGATE_MAX_EVENTS:
            return event
        # Keep the set at most max-1 big; which message goes is unspecified upstream
        # (PopAny on a map); the oldest goes here, so that runs repeat exactly.
        del record.messages[next(iter(record.messages))]
        return {
            **event,
            "message": COMBINED_PREFIX + event["message"],
            # The combined copy is built field by field upstream, without these two.
            "reportingComponent": "",
            "reportingInstance": "",
        }

    def allows(self, event: Obj, now: float) -> bool:
        """`EventSourceObjectSpamFilter.Filter`, inverted: may this event be written?"""
        key = spam_key(event)
        bucket = self._buckets.get(key) or _Bucket(tokens=SPAM_BURST, last=now)
        bucket.tokens = min(SPAM_BURST, bucket.tokens + (now - bucket.last) * SPAM_QPS)
        bucket.last = now
        allowed = bucket.tokens >= 1
        if allowed:
            bucket.tokens -= 1
        self._buckets.add(key, bucket)
        return allowed

    def drop(self, observed: tuple[str, ...]) -> None:
        """An event the filter refused: counted against its observation key all the same."""
        self._unheard.add(observed, (self._unheard.get(observed) or 0) + 1)

    def unheard(self, observed: tuple[str, ...]) -> int:
        """How many dropped repeats the next written one adds to its count (and forgets)."""
        count = self._unheard.get(observed) or 0
        if count:
            self._unheard.add(observed, 0)
        return count
