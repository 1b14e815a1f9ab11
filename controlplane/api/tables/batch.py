"""The Tables of the batch kinds: Jobs and CronJobs.

Ported from pkg/printers/internalversion/printers.go (AddHandlers' column definitions;
printJob, printCronJob). Every cell is returned, wide ones included, as the server always
generates them. A Job's STATUS is its first true terminal condition (Complete, Failed), else
Terminating, Suspended or FailureTarget, else Running; COMPLETIONS reads `succeeded/completions`;
DURATION runs from startTime to completionTime, or to now while the Job runs.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.apps import containers_and_images, format_label_selector
from controlplane.api.tables.columns import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    WIDE,
    ColumnDefinition,
    name_and_age,
)
from controlplane.clock import parse_rfc3339
from controlplane.models.constants import JobConditionType, Obj
from controlplane.models.durations import age, human_duration

# staging/src/k8s.io/api/batch/v1/types_swagger_doc_generated.go: the field docs the columns
# quote.
_SELECTOR = ColumnDefinition(
    "Selector",
    "A label query over pods that should match the pod count. Normally, the system sets this "
    "field for you. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
    priority=WIDE,
)
_TIME_ZONE = (
    "The time zone name for the given schedule, see "
    "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will "
    "default to the time zone of the kube-controller-manager process. The set of valid time "
    "zone names and the time zone offset is loaded from the system-wide time zone database by "
    "the API server during CronJob validation and the controller manager during execution. If "
    "no system-wide time zone database can be found a bundled version of the database is used "
    "instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to "
    "a change in host configuration, the controller will stop creating new new Jobs and will "
    "create a system event with the reason UnknownTimeZone. More information can be found in "
    "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"
)

JOB_COLUMNS = (
    NAME,
    ColumnDefinition("Status", "Status of the job."),
    ColumnDefinition(
        "Completions",
        "The number of pods which reached phase Succeeded. The value increases monotonically "
        "for a given spec. However, it may decrease in reaction to scale down of elastic "
        "indexed jobs.",
    ),
    ColumnDefinition("Duration", "Time required to complete the job."),
    AGE,
    CONTAINERS,
    IMAGES,
    _SELECTOR,
)
CRONJOB_COLUMNS = (
    NAME,
    ColumnDefinition(
        "Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."
    ),
    ColumnDefinition("Timezone", _TIME_ZONE),
    ColumnDefinition(
        "Suspend",
        "This flag tells the controller to suspend subsequent executions, it does not apply to "
        "already started executions.  Defaults to false.",
        type="boolean",
    ),
    ColumnDefinition("Active", "A list of pointers to currently running jobs.", type="integer"),
    ColumnDefinition(
        "Last Schedule",
        "Information when was the last time the job was successfully scheduled.",
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    _SELECTOR,
)


def has_job_condition(job: Obj, condition: str) -> bool:
    """printers.go hasJobCondition: the condition is there and True."""
    conditions = (job.get("status") or {}).get("conditions") or []
    return any(c.get("type") == condition and c.get("status") == "True" for c in conditions)


def job_status(job: Obj) -> str:
    """printJob's STATUS column."""
    if has_job_condition(job, JobConditionType.COMPLETE):
        return "Complete"
    if has_job_condition(job, JobConditionType.FAILED):
        return "Failed"
    if (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if has_job_condition(job, JobConditionType.SUSPENDED):
        return "Suspended"
    if has_job_condition(job, JobConditionType.FAILURE_TARGET):
        return "FailureTarget"
    return "Running"


def job_completions(job: Obj) -> str:
    """`1/3`; without spec.completions, `0/1`, or `0/1 of 4` when parallel."""
    spec, status = job.get("spec") or {}, job.get("status") or {}
    succeeded = int(status.get("succeeded") or 0)
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = int(spec.get("parallelism") or 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def job_duration(job: Obj, now: float) -> str:
    """From startTime to completionTime, or to now; "" before the Job started."""
    status = job.get("status") or {}
    if not status.get("startTime"):
        return ""
    end = parse_rfc3339(status["completionTime"]) if status.get("completionTime") else now
    return human_duration(end - parse_rfc3339(status["startTime"]))


def job_cells(job: Obj, now: float) -> list[Any]:
    spec = job.get("spec") or {}
    names, images = containers_and_images(spec.get("template") or {})
    name, created = name_and_age(job, now)
    return [
        name,
        job_status(job),
        job_completions(job),
        job_duration(job, now),
        created,
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _bool_pointer(value: Any) -> str:
    """printBoolPtr: `True`, `False`, or `<unset>`."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def cronjob_cells(cronjob: Obj, now: float) -> list[Any]:
    spec, status = cronjob.get("spec") or {}, cronjob.get("status") or {}
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    names, images = containers_and_images(job_spec.get("template") or {})
    last = status.get("lastScheduleTime")
    name, created = name_and_age(cronjob, now)
    return [
        name,
        str(spec.get("schedule") or ""),
        str(spec["timeZone"]) if spec.get("timeZone") is not None else "<none>",
        _bool_pointer(spec.get("suspend")),
        len(status.get("active") or []),
        age(last, now) if last else "<none>",
        created,
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]
