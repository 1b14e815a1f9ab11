"""Indexed Jobs: each pod gets a completion index, and the Job is done when every index from
0 to completions-1 has a succeeded pod (upstream pkg/controller/job/indexed_job_utils.go).

A pod's index is its `batch.kubernetes.io/job-completion-index` annotation and label, its
hostname is `<job>-<index>`, its name `<job>-<index>-<random>`, and each container sees the
index as `JOB_COMPLETION_INDEX`. Worked example, completions 5 and parallelism 2: pods for
indexes 0 and 1 first; when index 0 succeeds, index 2 starts; `status.completedIndexes`
reads `0`, then `0-1`, ... `0-4`.
"""

from __future__ import annotations

import copy

from controlplane.controllers.pod_control import pod_from_template
from controlplane.models.constants import Obj
from controlplane.models.meta import name_of

INDEX_KEY = "batch.kubernetes.io/job-completion-index"
INDEX_ENV = "JOB_COMPLETION_INDEX"


def is_indexed(job: Obj) -> bool:
    return bool(job["spec"].get("completionMode") == "Indexed")


def pod_index(pod: Obj) -> int | None:
    """getCompletionIndex: the annotation as a number, or None."""
    value = (pod["metadata"].get("annotations") or {}).get(INDEX_KEY, "")
    return int(value) if value.isdigit() else None


def succeeded_indexes(pods: list[Obj], completions: int) -> set[int]:
    return {
        index
        for pod in pods
        if pod.get("status", {}).get("phase") == "Succeeded"
        and (index := pod_index(pod)) is not None
        and index < completions
    }


def format_indexes(indexes: set[int]) -> str:
    """orderedIntervals.String(): consecutive indexes as ranges, `0-2,4,6-7`."""
    parts: list[str] = []
    for index in sorted(indexes):
        if parts and parts[-1].rpartition("-")[2] == str(index - 1):
            first = parts[-1].partition("-")[0]
            parts[-1] = f"{first}-{index}"
        else:
            parts.append(str(index))
    return ",".join(parts)


def indexes_to_create(completions: int, active: list[Obj], done: set[int], count: int) -> list[int]:
    """firstPendingIndexes: the lowest indexes neither succeeded nor running."""
    taken = done | {i for pod in active if (i := pod_index(pod)) is not None}
    return [i for i in range(completions) if i not in taken][:count]


def indexed_pod(job: Obj, index: int) -> Obj:
    """The pod of one index: annotation, label, hostname and the index in every container."""
    pod = pod_from_template(job)
    meta, spec = pod["metadata"], pod["spec"]
    meta["generateName"] = f"{name_of(job)}-{index}-"
    meta["annotations"] = {**(meta.get("annotations") or {}), INDEX_KEY: str(index)}
    meta["labels"] = {**meta["labels"], INDEX_KEY: str(index)}
    spec.setdefault("hostname", f"{name_of(job)}-{index}")
    field_ref = {"fieldPath": f"metadata.annotations['{INDEX_KEY}']"}
    for container in spec.get("containers") or []:
        env = [e for e in container.get("env") or [] if e.get("name") != INDEX_ENV]
        env.append({"name": INDEX_ENV, "valueFrom": {"fieldRef": copy.deepcopy(field_ref)}})
        container["env"] = env
    return pod
