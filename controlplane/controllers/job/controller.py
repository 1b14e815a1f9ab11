"""The Job controller's wiring: which changes wake which Job, and the reads of one sync.

A Job wakes for its own changes and for those of the pods it controls (a pod that starts,
turns Ready, succeeds or fails); the planner is `sync.sync_job`. Pods are claimed by their
controller reference: a Job's generated selector matches only the pods it made.
"""

from __future__ import annotations

from collections.abc import Iterable

from controlplane.controllers.job.sync import sync_job
from controlplane.controllers.owner_sync import ObjectSyncController
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Change, Key, controller_key, key_of, uid_of
from controlplane.runtime.actions import Action


class JobController(ObjectSyncController):
    kind = Kind.JOB
    name = "job"

    def keys_for(self, change: Change) -> Iterable[Key]:
        obj = change.obj
        if obj["kind"] == Kind.JOB:
            return [] if change.type == "DELETED" else [key_of(obj)]
        if obj["kind"] == Kind.POD:
            return controller_key(obj, Kind.JOB)
        return []

    def sync(self, obj: Obj, now: float) -> list[Action]:
        pods = self.api.list(Kind.POD, obj["metadata"]["namespace"], controller_uid=uid_of(obj))
        return sync_job(obj, pods, now)
