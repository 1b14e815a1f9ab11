"""The TTL-after-finished controller: a finished Job with `spec.ttlSecondsAfterFinished` is
deleted that many seconds after it finished, its pods with it.

After pkg/controller/ttlafterfinished/ttlafterfinished_controller.go (processJob,
needsCleanup, timeLeft, jobFinishTime): the finish time is the time of the Job's Complete or
Failed condition; the delete is in the foreground, with the Job's uid as precondition, so a new
Job of the same name is never deleted by mistake. Worked example: ttlSecondsAfterFinished 100
and Complete at 12:00:00: at 12:00:30 the controller asks to be woken in 70 s; at 12:01:40
the Job and its pods go.
"""

from __future__ import annotations

from collections.abc import Iterable

from controlplane.clock import parse_rfc3339
from controlplane.controllers.job.sync import is_job_finished
from controlplane.controllers.owner_sync import ObjectSyncController
from controlplane.models.constants import JobConditionType, Kind, Obj, Propagation
from controlplane.models.meta import Change, Key, is_being_deleted, key_of, uid_of
from controlplane.runtime.actions import Action, Delete, RequeueAfter


def finish_time(job: Obj) -> float | None:
    """jobFinishTime: when the Complete or Failed condition turned True."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if (
            condition.get("type") in (JobConditionType.COMPLETE, JobConditionType.FAILED)
            and condition.get("status") == "True"
            and condition.get("lastTransitionTime")
        ):
            return parse_rfc3339(condition["lastTransitionTime"])
    return None


def needs_cleanup(job: Obj) -> bool:
    ttl = job.get("spec", {}).get("ttlSecondsAfterFinished")
    return ttl is not None and is_job_finished(job) and not is_being_deleted(job)


def clean_up(job: Obj, now: float) -> list[Action]:
    """Delete the Job once its TTL has passed; until then, ask to be woken when it does."""
    finished = finish_time(job)
    if not needs_cleanup(job) or finished is None:
        return []
    left = finished + int(job["spec"]["ttlSecondsAfterFinished"]) - now
    if left > 0:
        return [RequeueAfter(key_of(job), left)]
    meta = job["metadata"]
    return [
        Delete(
            Kind.JOB,
            meta["namespace"],
            meta["name"],
            uid=uid_of(job),
            propagation=Propagation.FOREGROUND,
        )
    ]


class TTLAfterFinishedController(ObjectSyncController):
    kind = Kind.JOB
    name = "ttl-after-finished"

    def keys_for(self, change: Change) -> Iterable[Key]:
        job = change.obj
        if job["kind"] != Kind.JOB or change.type == "DELETED" or not needs_cleanup(job):
            return []
        return [key_of(job)]

    def sync(self, obj: Obj, now: float) -> list[Action]:
        return clean_up(obj, now)
