"""`kubectl describe job` and `kubectl describe cronjob`.

Line for line after kubectl's pkg/describe/describe.go (describeJob, describeCronJob,
describeJobTemplate, printActiveJobs). A Job's `Pods Statuses` are its status counters, not a
count of the pods that exist, as kubectl prints them.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.apps import selector_string
from controlplane.clock import parse_rfc3339
from controlplane.models.constants import Obj
from controlplane.models.durations import human_duration
from minikubectl.printers.age import rfc1123z
from minikubectl.printers.podtemplate import describe_pod_template
from minikubectl.printers.writer import (
    PrefixWriter,
    controlled_by,
    events_section,
    labels_and_annotations,
    named_page,
    sections,
    tabbed,
)


def _go_bool(value: Any) -> str:
    return "true" if value else "false"


def describe_job(job: Obj, events: list[Obj] | None, now: float) -> str:
    meta, spec, status = sections(job)
    w = named_page(meta)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_and_annotations(w, meta)
    w.field("Controlled By", controlled_by(job))
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    completions = spec.get("completions")
    w.write(0, f"Completions:\t{completions if completions is not None else '<unset>'}\n")
    if spec.get("completionMode") is not None:
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{_go_bool(spec['suspend'])}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    started, completed = status.get("startTime"), status.get("completionTime")
    if started:
        w.write(0, f"Start Time:\t{rfc1123z(started)}\n")
    if completed:
        w.write(0, f"Completed At:\t{rfc1123z(completed)}\n")
    if started and completed:
        took = parse_rfc3339(completed) - parse_rfc3339(started)
        w.write(0, f"Duration:\t{human_duration(took)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded = status.get("active") or 0, status.get("succeeded") or 0
    failed = status.get("failed") or 0
    if status.get("ready") is None:
        w.write(0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(
            0,
            f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded"
            f" / {failed} Failed\n",
        )
    if spec.get("completionMode") == "Indexed":
        w.write(0, f"Completed Indexes:\t{_cap_indexes(status.get('completedIndexes') or '')}\n")
    describe_pod_template(w, spec.get("template"))
    events_section(w, events, now)
    return tabbed(w)


def _cap_indexes(indexes: str, soft_limit: int = 50) -> str:
    """capIndexesListOrNone: at most about 50 characters, cut after a whole interval."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 or len(indexes) <= soft_limit else indexes[: cut + 1] + "..."


def _unset(value: Any, suffix: str = "") -> str:
    return "<unset>" if value is None else f"{value}{suffix}"


def describe_cronjob(cronjob: Obj, events: list[Obj] | None, now: float) -> str:
    meta, spec = cronjob.get("metadata") or {}, cronjob.get("spec") or {}
    status = cronjob.get("status") or {}
    w = named_page(meta)
    labels_and_annotations(w, meta)
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    w.write(0, f"Time Zone:\t{_unset(spec.get('timeZone'))}\n")
    limit = spec.get("successfulJobsHistoryLimit")
    w.write(0, f"Successful Job History Limit:\t{_unset(limit)}\n")
    w.write(0, f"Failed Job History Limit:\t{_unset(spec.get('failedJobsHistoryLimit'))}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{_unset(deadline, 's')}\n")
    _job_template(w, (spec.get("jobTemplate") or {}).get("spec") or {})
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last) if last else '<unset>'}\n")
    active = [str(ref.get("name", "")) for ref in status.get("active") or []]
    w.write(0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    events_section(w, events, now)
    return tabbed(w)


def _job_template(w: PrefixWriter, spec: Obj) -> None:
    """describeJobTemplate."""
    selector = spec.get("selector")
    w.write(0, f"Selector:\t{selector_string(selector) if selector is not None else '<unset>'}\n")
    w.write(0, f"Parallelism:\t{_unset(spec.get('parallelism'))}\n")
    w.write(0, f"Completions:\t{_unset(spec.get('completions'))}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(w, spec.get("template"))
