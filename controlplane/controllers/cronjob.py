"""The CronJob controller: Jobs made on a schedule, on the injected clock.

After pkg/controller/cronjob/cronjob_controllerv2.go (syncCronJob, cleanupFinishedJobs) and
utils.go (mostRecentScheduleTime, nextScheduleTime, getJobFromTemplate2, getJobName). Each
sync reads the CronJob and the Jobs it controls, then:

1. keeps `status.active` true to those Jobs (`SawCompletedJob`, `MissingJob`) and
   `lastSuccessfulTime` to the newest completion;
2. unless suspended, finds the most recent scheduled time not yet run (from lastScheduleTime,
   or the creation time; no earlier than `startingDeadlineSeconds` ago), and if there is one,
   applies the concurrency policy (Forbid skips it while a Job runs, Replace deletes the
   running ones) and creates the Job `<cronjob>-<scheduled time in minutes since the epoch>`,
   the name that makes a second creation for the same time fail rather than run twice;
3. deletes the oldest finished Jobs past `successfulJobsHistoryLimit` and
   `failedJobsHistoryLimit`;
4. asks to be woken at the next scheduled time.

Worked example: `*/1 * * * *` created at 10:00:30: nothing until 10:01:00, then Job
`hello-<minutes>` with lastScheduleTime 10:01:00; a command at 10:03:10 after a pause finds
10:03 the most recent missed time and runs that one only (missed runs are not replayed).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, tzinfo

from controlplane.clock import parse_rfc3339, rfc3339
from controlplane.controllers.job.sync import is_job_finished
from controlplane.controllers.owner_sync import ControllingOwnerController
from controlplane.models import cron
from controlplane.models.constants import (
    CRONJOB_CONTROLLER,
    CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION,
    EventType,
    JobConditionType,
    Kind,
    Obj,
    Propagation,
)
from controlplane.models.meta import (
    is_being_deleted,
    key_of,
    name_of,
    new_controller_ref,
    uid_of,
)
from controlplane.runtime.actions import (
    Action,
    Create,
    Delete,
    RecordEvent,
    RequeueAfter,
    UpdateStatus,
)

MANY_MISSED = 100  # mostRecentScheduleTime: beyond this many missed times, warn


def _succeeded(job: Obj) -> bool:
    return any(
        c.get("type") == JobConditionType.COMPLETE and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or []
    )


def _finished_condition(job: Obj) -> str:
    """getFinishedStatus: the type of the true terminal condition."""
    return JobConditionType.COMPLETE if _succeeded(job) else JobConditionType.FAILED


def _scheduled_by_us(job: Obj) -> bool:
    """A Job this controller created for a scheduled time (it carries the time). Upstream adds
    such a Job to `active` as it creates it; here the API server names its uid, so the next
    sync adds it. A Job made by hand (`create job --from=cronjob/...`) is not tracked."""
    return CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION in (job["metadata"].get("annotations") or {})


def job_reference(job: Obj) -> Obj:
    """getRef: the ObjectReference kept in `status.active`."""
    meta = job["metadata"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": meta["name"],
        "namespace": meta["namespace"],
        "resourceVersion": meta.get("resourceVersion", ""),
        "uid": meta["uid"],
    }


def job_name(cronjob: Obj, scheduled: float) -> str:
    """getJobName: the scheduled time in minutes since the epoch, which names one run."""
    return f"{name_of(cronjob)}-{int(scheduled) // 60}"


def job_from_template(cronjob: Obj, scheduled: float) -> Obj:
    """getJobFromTemplate2: the template's labels and annotations, the scheduled time in an
    annotation, and the CronJob as controller."""
    template = cronjob["spec"].get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    zone = _zone(cronjob)
    stamp = datetime.fromtimestamp(scheduled, zone).isoformat()
    stamp = stamp.replace("+00:00", "Z") if zone is UTC else stamp
    annotations = dict(template_meta.get("annotations") or {})
    annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = stamp
    meta: Obj = {
        "name": job_name(cronjob, scheduled),
        "namespace": cronjob["metadata"]["namespace"],
        "annotations": annotations,
        "ownerReferences": [new_controller_ref(cronjob)],
    }
    if template_meta.get("labels"):
        meta["labels"] = dict(template_meta["labels"])
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": copy.deepcopy(template.get("spec") or {}),
    }


def _zone(cronjob: Obj) -> tzinfo:
    return cron.load_zone(str(cronjob["spec"].get("timeZone") or ""))


def most_recent_schedule_time(
    cronjob: Obj, schedule: cron.Schedule, now: float
) -> tuple[float | None, int]:
    """mostRecentScheduleTime: the latest scheduled time after the last one run (or the
    creation) and no later than now, and roughly how many were missed."""
    status, spec = cronjob.get("status") or {}, cronjob["spec"]
    earliest = parse_rfc3339(
        status.get("lastScheduleTime") or cronjob["metadata"]["creationTimestamp"]
    )
    deadline = spec.get("startingDeadlineSeconds")
    if deadline is not None:
        earliest = max(earliest, now - deadline)
    first = schedule.next_after(earliest)
    if first is None or now < first:
        return None, 0
    second = schedule.next_after(first)
    if second is None or now < second:
        return first, 1
    interval = max(round(second - first), 1)
    missed = int(now - first) // interval + 1
    most_recent = None
    moment = schedule.next_after(first + (missed - 2) * interval)
    while moment is not None and moment <= now:
        most_recent, moment = moment, schedule.next_after(moment)
    return most_recent, missed


def sync_cron_job(cronjob: Obj, jobs: list[Obj], now: float) -> list[Action]:
    """One sync of one CronJob, given the Jobs it controls."""
    actions: list[Action] = []
    status = copy.deepcopy(cronjob.get("status") or {})
    active: list[Obj] = status.get("active") or []
    active_uids = {ref.get("uid") for ref in active}
    for job in jobs:
        finished = is_job_finished(job)
        if uid_of(job) in active_uids and finished:
            active = [ref for ref in active if ref.get("uid") != uid_of(job)]
            actions.append(
                _event(
                    cronjob,
                    EventType.NORMAL,
                    "SawCompletedJob",
                    f"Saw completed job: {name_of(job)}, condition: {_finished_condition(job)}",
                )
            )
        elif uid_of(job) not in active_uids and not finished and _scheduled_by_us(job):
            active.append(job_reference(job))
        if _succeeded(job):
            completed = (job.get("status") or {}).get("completionTime")
            last = status.get("lastSuccessfulTime")
            if completed and (not last or parse_rfc3339(completed) > parse_rfc3339(last)):
                status["lastSuccessfulTime"] = completed
    present = {uid_of(job) for job in jobs}
    for ref in list(active):
        if ref.get("uid") not in present:
            active.remove(ref)
            actions.append(
                _event(
                    cronjob,
                    EventType.NORMAL,
                    "MissingJob",
                    f"Active job went missing: {ref['name']}",
                )
            )
    actions += _cleanup_finished_jobs(cronjob, jobs)
    if not is_being_deleted(cronjob) and not cronjob["spec"].get("suspend"):
        actions += _run_scheduled(cronjob, status, active, jobs, now)
    if active:
        status["active"] = active
    else:
        status.pop("active", None)
    if status != (cronjob.get("status") or {}):
        actions.append(UpdateStatus({**cronjob, "status": status}))
    return actions


def _event(cronjob: Obj, type_: EventType, reason: str, message: str) -> RecordEvent:
    return RecordEvent(cronjob, type_, reason, message, CRONJOB_CONTROLLER)


def _run_scheduled(
    cronjob: Obj, status: Obj, active: list[Obj], jobs: list[Obj], now: float
) -> list[Action]:
    """Create the Job of the most recent unmet scheduled time, as the policies allow."""
    spec = cronjob["spec"]
    try:
        schedule = cron.parse_standard(str(spec.get("schedule") or ""), _zone(cronjob))
    except cron.CronError as exc:
        message = f'unparseable schedule: "{spec.get("schedule")}" : {exc}'
        return [_event(cronjob, EventType.WARNING, "UnparseableSchedule", message)]
    scheduled, missed = most_recent_schedule_time(cronjob, schedule, now)
    actions: list[Action] = []
    if missed > MANY_MISSED:
        actions.append(
            _event(
                cronjob,
                EventType.WARNING,
                "TooManyMissedTimes",
                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
                "or check clock skew",
            )
        )
    wake = _requeue(cronjob, schedule, now)
    if scheduled is None:
        return [*actions, *wake]
    deadline = spec.get("startingDeadlineSeconds")
    if deadline is not None and scheduled + deadline < now:
        when = datetime.fromtimestamp(scheduled, UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        message = f"Missed scheduled time to start a job: {when}"
        return [*actions, _event(cronjob, EventType.WARNING, "MissSchedule", message), *wake]
    name = job_name(cronjob, scheduled)
    last = status.get("lastScheduleTime")
    if any(ref.get("name") == name for ref in active) or (
        last and parse_rfc3339(last) == scheduled
    ):
        return [*actions, *wake]
    policy = spec.get("concurrencyPolicy") or "Allow"
    if policy == "Forbid" and active:
        message = (
            "Not starting job because prior execution is running and concurrency policy is Forbid"
        )
        return [*actions, _event(cronjob, EventType.NORMAL, "JobAlreadyActive", message), *wake]
    if policy == "Replace":
        for ref in active:
            actions += _delete_job(cronjob, ref["name"])
        active.clear()
    if any(name_of(job) == name for job in jobs):
        return [*actions, *wake]
    job = job_from_template(cronjob, scheduled)
    actions.append(
        Create(
            job, event=_event(cronjob, EventType.NORMAL, "SuccessfulCreate", "Created job {name}")
        )
    )
    # The Job's uid is the API server's: the next sync adds it to `active` when it sees it.
    status["lastScheduleTime"] = rfc3339(scheduled)
    return [*actions, *wake]


def _requeue(cronjob: Obj, schedule: cron.Schedule, now: float) -> list[Action]:
    """nextScheduleTimeDuration: wake at the next scheduled time (upstream adds 100 ms so that
    a timer firing early still finds the time passed; the manager's delayed queue never fires
    early, and a scheduled time counts as due at that very instant)."""
    upcoming = schedule.next_after(now)
    return [] if upcoming is None else [RequeueAfter(key_of(cronjob), upcoming - now)]


def _delete_job(cronjob: Obj, name: str) -> list[Action]:
    """deleteJob: in the background, so its pods go with it; `Deleted job <name>`."""
    return [
        Delete(
            Kind.JOB, cronjob["metadata"]["namespace"], name, propagation=Propagation.BACKGROUND
        ),
        _event(cronjob, EventType.NORMAL, "SuccessfulDelete", f"Deleted job {name}"),
    ]


def _cleanup_finished_jobs(cronjob: Obj, jobs: list[Obj]) -> list[Action]:
    """cleanupFinishedJobs: keep the newest finished Jobs within each history limit, oldest
    (by start time) deleted first."""
    spec = cronjob["spec"]
    actions: list[Action] = []
    for succeeded, limit in (
        (True, spec.get("successfulJobsHistoryLimit")),
        (False, spec.get("failedJobsHistoryLimit")),
    ):
        if limit is None:
            continue
        finished = [j for j in jobs if is_job_finished(j) and _succeeded(j) == succeeded]
        finished.sort(key=_start_time)
        for job in finished[: max(len(finished) - int(limit), 0)]:
            if not is_being_deleted(job):
                actions += _delete_job(cronjob, name_of(job))
    return actions


def _start_time(job: Obj) -> tuple[bool, float]:
    """byJobStartTime: Jobs without a start time sort last, then by start time."""
    started = (job.get("status") or {}).get("startTime")
    return (started is None, parse_rfc3339(started) if started else 0.0)


class CronJobController(ControllingOwnerController):
    kind, name, controlled_kind = Kind.CRON_JOB, "cronjob", Kind.JOB
    plan = staticmethod(sync_cron_job)
