"""The pass shared by controllers that plan each queued object with a pure function: read the
object (a key whose object is gone is dropped, as job_controller.go's syncJob forgets a Job
that is NotFound), read what it needs beside it, and collect the planned actions. The Job,
CronJob and TTL-after-finished controllers are this shape; each says which changes wake which
key (`keys_for`) and how one object is planned (`sync`)."""

from __future__ import annotations

from collections.abc import Sequence

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.models.constants import Obj
from controlplane.models.meta import Key
from controlplane.runtime.actions import Action


class ObjectSyncController:
    name: str
    kind: str  # the kind of the queued keys

    def __init__(self, api: Api) -> None:
        self.api = api

    def sync(self, obj: Obj, now: float) -> list[Action]:
        raise NotImplementedError

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.api.clock.now()
        for key in keys:
            try:
                obj = self.api.get(self.kind, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            actions += self.sync(obj, now)
        return actions
