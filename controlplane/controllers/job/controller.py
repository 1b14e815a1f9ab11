"""The Job controller's wiring: which changes wake which Job, and the reads of one sync.

A Job wakes for its own changes and for those of the pods it controls (a pod that starts,
turns Ready, succeeds or fails); the planner is `sync.sync_job`. Pods are claimed by their
controller reference: a Job's generated selector matches only the pods it made.
"""

from __future__ import annotations

from controlplane.controllers.job.sync import sync_job
from controlplane.controllers.owner_sync import ControllingOwnerController
from controlplane.models.constants import Kind


class JobController(ControllingOwnerController):
    kind, name, controlled_kind = Kind.JOB, "job", Kind.POD
    plan = staticmethod(sync_job)
