"""The keys client-go's event machinery groups events by (tools/record/events_cache.go).

`spam_key` is the spam filter's (`getSpamKey`), `similar_key` the aggregator's
(`EventAggregatorByReasonFunc`), `aggregation_key` the one that makes two events the same
event (`getEventKey`), and `observation_key` the one the event logger counts repeats under.
The store, the correlator and the recorder all key by these; this module imports none of them.
"""

from __future__ import annotations

from controlplane.models.constants import Obj

COMBINED_PREFIX = "(combined from similar events): "  # EventAggregatorByReasonMessageFunc


def _involved(event: Obj) -> tuple[str, ...]:
    source = event.get("source") or {}
    involved = event.get("involvedObject") or {}
    return (
        source.get("component", ""),
        source.get("host", ""),
        involved.get("kind", ""),
        involved.get("namespace", ""),
        involved.get("name", ""),
        involved.get("uid", ""),
        involved.get("apiVersion", ""),
    )


def spam_key(event: Obj) -> tuple[str, ...]:
    """`getSpamKey`: the source and the involved object."""
    return _involved(event)


def similar_key(event: Obj) -> tuple[str, ...]:
    """`EventAggregatorByReasonFunc`: everything but the message."""
    return (
        *_involved(event),
        event.get("type", ""),
        event.get("reason", ""),
        event.get("reportingComponent", ""),
        event.get("reportingInstance", ""),
    )


def is_combined(event: Obj) -> bool:
    return str(event.get("message", "")).startswith(COMBINED_PREFIX)


AggregationKey = tuple[str, ...]


def aggregation_key(event: Obj) -> AggregationKey:
    """`getEventKey`: what makes two events the same event (the parts in another order)."""
    return (
        *spam_key(event),
        (event.get("involvedObject") or {}).get("fieldPath", ""),
        event.get("type", ""),
        event.get("reason", ""),
        event.get("message", ""),
    )


def observation_key(event: Obj) -> AggregationKey:
    """The key under which client-go's event logger counts repeats: `getEventKey` for an
    event, the key of its similar events for a combined one (all combined events about one
    object for one reason are one Event, whatever their last message)."""
    if is_combined(event):
        return ("combined", *similar_key(event))
    return aggregation_key(event)
