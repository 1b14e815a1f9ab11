"""What a reconcile asks for: writes the executor applies through the API.

Planners return these instead of calling the API themselves, so that they stay pure
functions of (state, now) and tests can compare planned writes directly, the way the
Kubernetes deployment controller's tests compare fake client actions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from controlplane.models.constants import EventType, Obj
from controlplane.models.meta import Key


@dataclass(frozen=True)
class Create:
    """Create `obj`; then, if it was created, record `event` (`{name}` in its message is the
    created object's name: with only `generateName`, the API server picks it)."""

    obj: Obj
    event: RecordEvent | None = None

    def event_for(self, created: Obj) -> RecordEvent | None:
        """The event to record now that `created` exists."""
        if self.event is None:
            return None
        message = self.event.message.format(name=created["metadata"]["name"])
        return replace(self.event, message=message)


@dataclass(frozen=True)
class Update:
    """Replace spec and metadata; compare-and-swap on `metadata.resourceVersion`."""

    obj: Obj


@dataclass(frozen=True)
class UpdateStatus:
    """Write `status` (and metadata annotations), as the status subresource does; CAS."""

    obj: Obj


@dataclass(frozen=True)
class Delete:
    kind: str
    namespace: str
    name: str
    uid: str = ""  # precondition: only delete this incarnation
    propagation: str | None = None
    grace_period_seconds: int | None = None


@dataclass(frozen=True)
class RecordEvent:
    involved: Obj
    type: EventType
    reason: str
    message: str
    source: str
    host: str = ""
    field_path: str = ""


@dataclass(frozen=True)
class RequeueAfter:
    """Reconcile `key` again after this many seconds on the manager's clock."""

    key: Key
    seconds: float


@dataclass(frozen=True)
class Bind:
    """Bind a pod to a node, as the scheduler's POST to pods/binding does."""

    namespace: str
    name: str
    node: str


@dataclass(frozen=True)
class FinalizeNamespace:
    """Remove `token` from a namespace's spec.finalizers (the finalize subresource)."""

    name: str
    token: str


Action = (
    Create | Update | UpdateStatus | Delete | RecordEvent | RequeueAfter | Bind | FinalizeNamespace
)
