"""What every controller is built from, so the manager builds them all alike: the reads it
may make through the API, the clock it reads the time from, and the name generator.

A controller never writes: it returns actions, which the manager's executor applies through
the API (upstream's controllers write through a clientset and read through informers' listers;
`ReadApi` is the lister half). Tests hand it a fake clock and a dict-backed `ReadApi`.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, Protocol

from controlplane.api.errors import ApiError
from controlplane.api.informer_followers import Follower
from controlplane.clock import Clock
from controlplane.ids import Ids
from controlplane.models.constants import Obj
from controlplane.models.meta import Key


class ReadApi(Protocol):
    """The reads controllers make through `controlplane.api` (its `Reads`)."""

    def get(self, kind: str, namespace: str, name: str) -> Obj: ...

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        controller_uid: str | None = None,
        include_orphans: bool = False,
    ) -> builtins.list[Obj]: ...

    def dependents(self, owner_uid: str) -> builtins.list[Obj]: ...

    def follow(self, kind: str, follower: Follower) -> bool: ...


class ControllerBase:
    """A controller's constructor: `(api, clock, ids)`, the same for every controller."""

    name: str

    def __init__(self, api: ReadApi, clock: Clock, ids: Ids) -> None:
        self.api = api
        self.clock = clock
        self.ids = ids

    def get_or_none(self, key: Key) -> Obj | None:
        """The object at `key`, or None once it is gone (a sync forgets a NotFound key, as
        upstream's sync handlers do on errors.IsNotFound)."""
        try:
            return self.api.get(key.kind, key.namespace, key.name)
        except ApiError as exc:
            if exc.reason == "NotFound":
                return None
            raise
