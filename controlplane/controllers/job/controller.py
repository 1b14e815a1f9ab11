"""The Job controller's wiring: which changes wake which Job, and the reads of one sync.

A Job wakes for its own changes and for those of the pods it controls (a pod that starts,
turns Ready, succeeds or fails); the planner is `sync.sync_job`. Pods are claimed by their
controller reference: a Job's generated selector matches only the pods it made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.controllers.job.sync import sync_job
from controlplane.models.constants import Kind
from controlplane.models.meta import Change, Key, controller_key, key_of, uid_of
from controlplane.runtime.actions import Action


class JobController:
    name = "job"

    def __init__(self, api: Api) -> None:
        self.api = api

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] == Kind.JOB:
            return [] if change.type == "DELETED" else [key_of(obj)]
        if obj["kind"] == Kind.POD:
            return controller_key(obj, Kind.JOB)
        return []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        now = self.api.clock.now()
        for key in keys:
            try:
                job = self.api.get(Kind.JOB, key.namespace, key.name)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                raise
            pods = self.api.list(Kind.POD, key.namespace, controller_uid=uid_of(job))
            actions += sync_job(job, pods, now)
        return actions
