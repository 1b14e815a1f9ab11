"""One sync of one Job: the pure planner (upstream pkg/controller/job/job_controller.go,
syncJob and manageJob; Indexed completion's pods and counting are in `indexed`).

A Job runs pods until `completions` of them have succeeded, at most `parallelism` at a time;
each failed pod counts towards `backoffLimit`, and replacements wait out a back-off. Worked
example, completions 5 and parallelism 2: the first sync creates two pods; when one succeeds
(succeeded 1) the next wants min(5 - 1, 2) = 2 active, so it creates one; after five
successes no pod is active, SuccessCriteriaMet and then Complete are set with
completionTime, and the Job says `Job completed`. With backoffLimit 2, a third failed pod
(failed 3 > 2) sets FailureTarget, the active pods are deleted, and once none is left the
Job is Failed: `BackoffLimitExceeded`, `Job has reached the specified backoff limit`.

Under `restartPolicy: OnFailure` a failing container restarts in its pod instead of failing
it; the restarts of the active pods count against backoffLimit (pastBackoffLimitOnFailure).

Counting: Kubernetes marks each pod with the `batch.kubernetes.io/job-tracking` finalizer and
moves finished pods through `status.uncountedTerminatedPods` so that a deleted pod is never
counted twice or lost. mkctl counts the finished pods it finds and never lets a counter go
down, which is the same unless finished pods are deleted while the Job still runs.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.clock import parse_rfc3339, rfc3339
from controlplane.controllers.job import indexed
from controlplane.controllers.pod_control import create_pod, delete_pod, pod_from_template
from controlplane.models.constants import JOB_CONTROLLER, EventType, JobConditionType, Obj
from controlplane.models.meta import is_being_deleted, key_of
from controlplane.models.pods import is_pod_active, is_pod_ready
from controlplane.runtime.actions import Action, RecordEvent, RequeueAfter, UpdateStatus

# job_controller.go: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff.
POD_FAILURE_BACKOFF_SECONDS = 10.0
MAX_POD_FAILURE_BACKOFF_SECONDS = 600.0
BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded"
BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit"
DEADLINE_EXCEEDED = "DeadlineExceeded"
DEADLINE_MESSAGE = "Job was active longer than specified deadline"
COMPLETIONS_REACHED = "CompletionsReached"
COMPLETIONS_MESSAGE = "Reached expected number of succeeded pods"


def is_job_finished(job: Obj) -> bool:
    """IsJobFinished: a true Complete or Failed condition."""
    return _has(job.get("status"), JobConditionType.COMPLETE) or _has(
        job.get("status"), JobConditionType.FAILED
    )


def _has(status: Obj | None, type_: str) -> bool:
    return any(
        c.get("type") == type_ and c.get("status") == "True"
        for c in (status or {}).get("conditions") or []
    )


def _condition(type_: str, reason: str, message: str, now: float, status: str = "True") -> Obj:
    """newCondition: both probe and transition stamped now."""
    stamp = rfc3339(now)
    return {
        "type": type_,
        "status": status,
        "lastProbeTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }


def _phase(pod: Obj) -> str:
    return str(pod.get("status", {}).get("phase") or "")


def finished_at(pod: Obj) -> float:
    """When a finished pod's last container terminated (its creation, failing that)."""
    times = [
        parse_rfc3339(terminated["finishedAt"])
        for s in pod.get("status", {}).get("containerStatuses") or []
        if (terminated := (s.get("state") or {}).get("terminated")) and terminated.get("finishedAt")
    ]
    return max(times, default=parse_rfc3339(pod["metadata"]["creationTimestamp"]))


def pod_failure_backoff(pods: list[Obj], now: float) -> float:
    """Seconds before a failed pod may be replaced (getRemainingTime over the back-off
    record): 10 s after the first failure since the last success, doubling, at most 10 min.
    Worked example: three failures in a row, the last at t=100: 10 * 2**2 = 40, so new pods
    wait until t=140."""
    succeeded = [finished_at(p) for p in pods if _phase(p) == "Succeeded"]
    last_success = max(succeeded, default=float("-inf"))
    failures = sorted(
        t for p in pods if _phase(p) == "Failed" and (t := finished_at(p)) > last_success
    )
    if not failures:
        return 0.0
    delay = min(
        POD_FAILURE_BACKOFF_SECONDS * 2.0 ** (len(failures) - 1), MAX_POD_FAILURE_BACKOFF_SECONDS
    )
    return max(0.0, failures[-1] + delay - now)


def past_backoff_limit_on_failure(job: Obj, active: list[Obj]) -> bool:
    """pastBackoffLimitOnFailure: under OnFailure, restarts of active pods count as failures."""
    spec = job["spec"]
    if spec["template"].get("spec", {}).get("restartPolicy") != "OnFailure":
        return False
    restarts = sum(
        int(s.get("restartCount") or 0)
        for pod in active
        for s in pod.get("status", {}).get("containerStatuses") or []
    )
    limit = int(spec.get("backoffLimit", 6))
    return restarts > 0 if limit == 0 else restarts >= limit


def sync_job(job: Obj, pods: list[Obj], now: float) -> list[Action]:
    """The writes that bring one Job closer to done, given the pods it controls."""
    if is_job_finished(job) or is_being_deleted(job):
        return []
    spec = job["spec"]
    old = job.get("status") or {}
    status: dict[str, Any] = copy.deepcopy(old)
    conditions: list[Obj] = status.setdefault("conditions", [])
    active = [p for p in pods if is_pod_active(p)]
    terminating = [
        p for p in pods if is_being_deleted(p) and _phase(p) not in ("Succeeded", "Failed")
    ]
    succeeded = max(int(old.get("succeeded") or 0), sum(_phase(p) == "Succeeded" for p in pods))
    if indexed.is_indexed(job):
        done = indexed.succeeded_indexes(pods, int(spec.get("completions") or 0))
        succeeded = len(done)
        status["completedIndexes"] = indexed.format_indexes(done)
    failed = max(int(old.get("failed") or 0), sum(_phase(p) == "Failed" for p in pods))
    actions: list[Action] = []
    suspended = bool(spec.get("suspend"))
    if not suspended and not status.get("startTime"):
        status["startTime"] = rfc3339(now)

    target = _finishing_condition(job, status, active, succeeded, failed, now)
    if target is not None and not any(c.get("type") == target["type"] for c in conditions):
        conditions.append(target)
    created = 0
    if target is not None or suspended:
        for pod in active:
            actions += delete_pod(job, pod, JOB_CONTROLLER)
        terminating += active
        active = []
        if target is None:
            actions += _suspend(job, conditions, now)
    else:
        actions += _resume(job, status, conditions, now)
        created, more = _manage_job(job, pods, active, succeeded, now)
        actions += more
    if target is not None and not terminating:
        actions += _finish(job, status, conditions, target, now)
    status.update(
        active=len(active) + created,
        ready=sum(is_pod_ready(p) for p in active),
        terminating=len(terminating),
        succeeded=succeeded,
        failed=failed,
        uncountedTerminatedPods={},
    )
    for omitempty in ("active", "succeeded", "failed", "conditions", "completedIndexes"):
        if not status.get(omitempty):
            status.pop(omitempty, None)
    if status != old:
        actions.append(UpdateStatus({**job, "status": status}))
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and status.get("startTime") and target is None and not suspended:
        left = parse_rfc3339(status["startTime"]) + deadline - now
        actions.append(RequeueAfter(key_of(job), max(left, 0.0)))
    return actions


def _finishing_condition(
    job: Obj, status: Obj, active: list[Obj], succeeded: int, failed: int, now: float
) -> Obj | None:
    """FailureTarget or SuccessCriteriaMet: already set, or due now."""
    for type_ in (JobConditionType.FAILURE_TARGET, JobConditionType.SUCCESS_CRITERIA_MET):
        conditions: list[Obj] = status.get("conditions") or []
        for condition in conditions:
            if condition.get("type") == type_ and condition.get("status") == "True":
                return condition
    spec = job["spec"]
    if failed > int(spec.get("backoffLimit", 6)) or past_backoff_limit_on_failure(job, active):
        return _condition(
            JobConditionType.FAILURE_TARGET, BACKOFF_LIMIT_EXCEEDED, BACKOFF_LIMIT_MESSAGE, now
        )
    deadline = spec.get("activeDeadlineSeconds")
    started = status.get("startTime")
    if deadline is not None and started and now - parse_rfc3339(started) >= deadline:
        return _condition(JobConditionType.FAILURE_TARGET, DEADLINE_EXCEEDED, DEADLINE_MESSAGE, now)
    completions = spec.get("completions")
    done = succeeded > 0 if completions is None else succeeded >= int(completions)
    if done and not active:
        return _condition(
            JobConditionType.SUCCESS_CRITERIA_MET, COMPLETIONS_REACHED, COMPLETIONS_MESSAGE, now
        )
    return None


def _finish(job: Obj, status: Obj, conditions: list[Obj], target: Obj, now: float) -> list[Action]:
    """Once no pod is left running: Complete (with completionTime) or Failed."""
    if target["type"] == JobConditionType.SUCCESS_CRITERIA_MET:
        conditions.append(
            _condition(JobConditionType.COMPLETE, target["reason"], target["message"], now)
        )
        status["completionTime"] = rfc3339(now)
        return [RecordEvent(job, EventType.NORMAL, "Completed", "Job completed", JOB_CONTROLLER)]
    conditions.append(_condition(JobConditionType.FAILED, target["reason"], target["message"], now))
    return [
        RecordEvent(job, EventType.WARNING, target["reason"], target["message"], JOB_CONTROLLER)
    ]


def _suspend(job: Obj, conditions: list[Obj], now: float) -> list[Action]:
    """A suspended Job runs no pods and says so once (JobSuspended)."""
    if _has({"conditions": conditions}, JobConditionType.SUSPENDED):
        return []
    conditions[:] = [c for c in conditions if c.get("type") != JobConditionType.SUSPENDED]
    conditions.append(_condition(JobConditionType.SUSPENDED, "JobSuspended", "Job suspended", now))
    return [RecordEvent(job, EventType.NORMAL, "Suspended", "Job suspended", JOB_CONTROLLER)]


def _resume(job: Obj, status: Obj, conditions: list[Obj], now: float) -> list[Action]:
    """A Job taken out of suspension starts its clock again (JobResumed)."""
    if not _has({"conditions": conditions}, JobConditionType.SUSPENDED):
        return []
    for condition in conditions:
        if condition.get("type") == JobConditionType.SUSPENDED:
            condition.update(
                _condition(JobConditionType.SUSPENDED, "JobResumed", "Job resumed", now, "False")
            )
    status["startTime"] = rfc3339(now)
    return [RecordEvent(job, EventType.NORMAL, "Resumed", "Job resumed", JOB_CONTROLLER)]


def _manage_job(
    job: Obj, pods: list[Obj], active: list[Obj], succeeded: int, now: float
) -> tuple[int, list[Action]]:
    """manageJob: create or delete pods towards the wanted number active.

    Wanted: `completions - succeeded`, at most `parallelism`; without completions,
    `parallelism` until a pod succeeds, and no new pod after that."""
    spec = job["spec"]
    parallelism = int(spec.get("parallelism", 1))
    completions = spec.get("completions")
    if completions is None:
        want = len(active) if succeeded > 0 else parallelism
    else:
        want = max(0, min(int(completions) - succeeded, parallelism))
    if len(active) > want:
        extra = sorted(active, key=lambda p: (is_pod_ready(p), _phase(p) == "Running"))
        return 0, [
            a for pod in extra[: len(active) - want] for a in delete_pod(job, pod, JOB_CONTROLLER)
        ]
    missing = want - len(active)
    if missing <= 0:
        return 0, []
    wait = pod_failure_backoff(pods, now)
    if wait > 0:
        return 0, [RequeueAfter(key_of(job), wait)]
    if indexed.is_indexed(job):
        done = indexed.succeeded_indexes(pods, int(completions or 0))
        pending = indexed.indexes_to_create(int(completions or 0), active, done, missing)
        made = [indexed.indexed_pod(job, index) for index in pending]
    else:
        made = [pod_from_template(job) for _ in range(missing)]
    return len(made), [create_pod(job, pod, JOB_CONTROLLER) for pod in made]
