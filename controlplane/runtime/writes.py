"""The two planned writes whose failure a controller tolerates, as upstream's controllers do:
a create into a terminating namespace, and a delete of something already gone."""

from __future__ import annotations

from controlplane.api.errors import ApiError, has_cause
from controlplane.api.namespaces import NAMESPACE_TERMINATING_CAUSE
from controlplane.api.verbs import Api
from controlplane.runtime.actions import Create, Delete, RecordEvent


def create(api: Api, action: Create | RecordEvent) -> None:
    """Creates into a terminating namespace are refused; controllers let them go (the
    namespace is going away with everything in it)."""
    try:
        if isinstance(action, Create):
            event = action.event_for(api.create(action.obj))
            if event is None:
                return
            action = event
        api.record_event(
            action.involved,
            action.type,
            action.reason,
            action.message,
            action.source,
            host=action.host,
            field_path=action.field_path,
        )
    except ApiError as exc:
        if not has_cause(exc, NAMESPACE_TERMINATING_CAUSE):
            raise


def delete(api: Api, action: Delete) -> None:
    try:
        api.delete(
            action.kind,
            action.namespace,
            action.name,
            uid=action.uid,
            propagation=action.propagation,
            grace_period_seconds=action.grace_period_seconds,
        )
    except ApiError as exc:
        if exc.reason != "NotFound":  # already gone is what we wanted
            raise
