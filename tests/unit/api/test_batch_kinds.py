"""Jobs and CronJobs in the API: defaults, the generated selector and labels, validation in
kube-apiserver 1.37's words, strict decoding and table cells."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.tables.batch import cronjob_cells, job_cells
from controlplane.api.validation import decode_error
from controlplane.api.verbs import Api
from controlplane.clock import parse_rfc3339

UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")


def template(restart: str | None = "Never", labels: dict[str, str] | None = None) -> Any:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "busybox:1.36"}]}
    if restart is not None:
        spec["restartPolicy"] = restart
    meta = {"labels": labels} if labels is not None else {}
    return {"metadata": meta, "spec": spec}


def job(**spec: Any) -> dict[str, Any]:
    spec.setdefault("template", template())
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": spec}


def cronjob(schedule: str = "*/5 * * * *", **spec: Any) -> dict[str, Any]:
    spec.setdefault("jobTemplate", {"spec": {"template": template("OnFailure")}})
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello"},
        "spec": {"schedule": schedule, **spec},
    }


def refusal(api: Api, obj: dict[str, Any]) -> str:
    with pytest.raises(ApiError) as caught:
        api.create(obj)
    return str(caught.value)


def test_a_job_gets_upstreams_defaults_and_a_selector_of_its_own_uid(api: Api) -> None:
    created = api.create(job())
    spec, uid = created["spec"], created["metadata"]["uid"]
    assert {k: v for k, v in spec.items() if k not in ("template", "selector")} == {
        "completions": 1,
        "parallelism": 1,
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "manualSelector": False,
    }
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    labels = spec["template"]["metadata"]["labels"]
    assert labels == {**dict.fromkeys(UID_LABELS, uid), **dict.fromkeys(NAME_LABELS, "pi")}
    assert "labels" not in created["metadata"]  # the template had none to share
    assert created["metadata"]["generation"] == 1


def test_a_job_without_labels_shares_its_templates_generated_ones(api: Api) -> None:
    created = api.create(job(template=template(labels={"app": "pi"})))
    assert created["metadata"]["labels"] == created["spec"]["template"]["metadata"]["labels"]
    assert created["metadata"]["labels"]["app"] == "pi"
    assert created["metadata"]["labels"]["job-name"] == "pi"
    # Only parallelism given: completions stays unset (one success is enough).
    assert (
        "completions" not in api.create({**job(parallelism=3), "metadata": {"name": "any"}})["spec"]
    )


def test_a_cronjob_gets_its_defaults_and_its_pod_templates(api: Api) -> None:
    spec = api.create(cronjob())["spec"]
    assert (
        spec["concurrencyPolicy"],
        spec["suspend"],
        spec["successfulJobsHistoryLimit"],
        spec["failedJobsHistoryLimit"],
    ) == ("Allow", False, 3, 1)
    pod_spec = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod_spec["dnsPolicy"] == "ClusterFirst"
    assert "backoffLimit" not in spec["jobTemplate"]["spec"]  # a Job's own, when it is made


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (
            job(template=template(None)),
            'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: '
            'valid values: "OnFailure", "Never"',
        ),
        (
            job(backoffLimit=-1),
            'Job.batch "pi" is invalid: spec.backoffLimit: Invalid value: -1: must be greater '
            "than or equal to 0",
        ),
        (
            job(completionMode="Sometimes"),
            'Job.batch "pi" is invalid: spec.completionMode: Unsupported value: "Sometimes": '
            'supported values: "NonIndexed", "Indexed"',
        ),
        (
            cronjob("61 * * * *"),
            'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "61 * * * *": '
            "end of range (61) above maximum (59): 61",
        ),
        (
            cronjob("TZ=UTC 0 * * * *"),
            'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *"'
            ": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ),
        (
            cronjob(timeZone="Mars/Olympus"),
            'CronJob.batch "hello" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": '
            "unknown time zone Mars/Olympus",
        ),
        (
            cronjob(concurrencyPolicy="Sometimes"),
            'CronJob.batch "hello" is invalid: spec.concurrencyPolicy: Unsupported value: '
            '"Sometimes": supported values: "Allow", "Forbid", "Replace"',
        ),
        (
            cronjob(jobTemplate={"spec": {"template": template("OnFailure"), "selector": {}}}),
            'CronJob.batch "hello" is invalid: spec.jobTemplate.spec.selector: Invalid value: '
            "{}: `selector` will be auto-generated",
        ),
    ],
)
def test_invalid_jobs_and_cronjobs_are_refused(api: Api, obj: Any, message: str) -> None:
    assert refusal(api, obj) == message


def test_a_long_cronjob_name_leaves_no_room_for_the_job_suffix(api: Api) -> None:
    long = cronjob()
    long["metadata"]["name"] = "c" * 53
    assert refusal(api, long).endswith("must be no more than 52 characters")


def test_a_jobs_template_and_completions_cannot_change(api: Api) -> None:
    created = api.create(job())
    changed = copy.deepcopy(created)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    changed["spec"]["completions"] = 2
    with pytest.raises(ApiError) as caught:
        api.update(changed)
    causes = [c["field"] for c in caught.value.status()["details"]["causes"]]
    assert causes == ["spec.completions", "spec.template"]
    # Parallelism may change: that is how a Job is scaled.
    scaled = copy.deepcopy(created)
    scaled["spec"]["parallelism"] = 4
    assert api.update(scaled)["metadata"]["generation"] == 2


def test_a_mistyped_or_unknown_field_is_a_decoding_error() -> None:
    assert decode_error(job(completions="3")) == (
        'Job in version "v1" cannot be handled as a Job: json: cannot unmarshal string into '
        "Go struct field JobSpec.spec.completions of type int32"
    )
    assert decode_error(cronjob(schedulee="x")) == (
        'CronJob in version "v1" cannot be handled as a CronJob: strict decoding error: '
        'unknown field "spec.schedulee"'
    )


NOW = parse_rfc3339("2026-12-06T12:10:00Z")


def with_status(obj: dict[str, Any], **status: Any) -> dict[str, Any]:
    return {**obj, "metadata": {"name": "pi", "creationTimestamp": "2026-12-06T12:00:00Z"},
            "status": status}  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        ({"completions": 3}, {}, ["Running", "0/3", ""]),
        (
            {"completions": 3},
            {"succeeded": 1, "startTime": "2026-12-06T12:00:00Z"},
            ["Running", "1/3", "10m"],
        ),
        ({"parallelism": 4}, {"succeeded": 0}, ["Running", "0/1 of 4", ""]),
        (
            {"completions": 1},
            {
                "succeeded": 1,
                "startTime": "2026-12-06T12:00:00Z",
                "completionTime": "2026-12-06T12:01:05Z",
                "conditions": [{"type": "Complete", "status": "True"}],
            },
            ["Complete", "1/1", "65s"],
        ),
        (
            {"completions": 1, "suspend": True},
            {"conditions": [{"type": "Suspended", "status": "True"}]},
            ["Suspended", "0/1", ""],
        ),
        (
            {"completions": 1},
            {"conditions": [{"type": "Failed", "status": "True"}]},
            ["Failed", "0/1", ""],
        ),
    ],
)
def test_job_cells(spec: dict[str, Any], status: dict[str, Any], cells: list[str]) -> None:
    row = job_cells(with_status({"spec": {**spec, "template": template()}}, **status), NOW)
    assert row[0] == "pi" and row[1:4] == cells and row[4] == "10m"


def test_cronjob_cells() -> None:
    cj = with_status(cronjob(), active=[{"name": "a"}], lastScheduleTime="2026-12-06T12:05:00Z")
    cj["spec"]["suspend"] = False
    assert cronjob_cells(cj, NOW)[:7] == ["pi", "*/5 * * * *", "<none>", "False", 1, "5m", "10m"]
    cj["spec"]["timeZone"] = "Europe/Paris"
    del cj["status"]["lastScheduleTime"]
    assert cronjob_cells(cj, NOW)[2:6] == ["Europe/Paris", "False", 1, "<none>"]
