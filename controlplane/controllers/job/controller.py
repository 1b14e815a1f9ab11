"""The Job controller's wiring: which changes wake which Job, and the reads of one sync.

A Job wakes for its own changes and for those of the pods it controls (a pod that starts,
turns Ready, succeeds or fails); the planner is `sync.sync_job`. Pods are claimed by their
controller reference: a Job's generated selector matches only the pods it made.
"""

from __future__ import annotations

from controlplane.controllers.job.sync import sync_job
from controlplane.controllers.owner_sync import ControllingOwnerController
from controlplane.models.constants import Kind, Obj
from controlplane.runtime.actions import Action


class JobController(ControllingOwnerController):
    kind = Kind.JOB
    name = "job"
    controlled_kind = Kind.POD

    def plan(self, owner: Obj, controlled: list[Obj], now: float) -> list[Action]:
        return sync_job(owner, controlled, now)
