"""The CronJob controller on a fake clock (upstream pkg/controller/cronjob/
cronjob_controllerv2.go): Jobs at their scheduled times, named by them; concurrency
policies; history limits; missed deadlines; suspension."""

from __future__ import annotations

from batch_fixtures import START, Lab, cronjob, pod_template

from controlplane.controllers.cronjob import most_recent_schedule_time, sync_cron_job
from controlplane.models import cron

MINUTE = int(START) // 60  # the Job name suffix of the minute the clock starts in


def test_nothing_runs_before_the_first_scheduled_time() -> None:
    lab = Lab()
    lab.api.create(cronjob())
    lab.settle(39)  # 22:13:59
    assert lab.names("Job") == []
    assert "lastScheduleTime" not in (lab.get("CronJob", "hello").get("status") or {})


def test_each_scheduled_minute_makes_one_job_named_for_it() -> None:
    lab = Lab()
    lab.api.create(cronjob())
    lab.settle(40)  # 22:14:00
    assert lab.names("Job") == [f"hello-{MINUTE + 1}"]
    status = lab.get("CronJob", "hello")["status"]
    assert status["lastScheduleTime"] == "2023-11-14T22:14:00Z"
    made = lab.get("Job", f"hello-{MINUTE + 1}")
    assert made["metadata"]["annotations"] == {
        "batch.kubernetes.io/cronjob-scheduled-timestamp": "2023-11-14T22:14:00Z"
    }
    assert made["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    lab.settle(60)
    assert lab.names("Job") == [f"hello-{MINUTE + 1}", f"hello-{MINUTE + 2}"]
    status = lab.get("CronJob", "hello")["status"]
    assert status["lastSuccessfulTime"] == "2023-11-14T22:15:00Z"
    assert "active" not in status  # the Jobs completed at once
    events = lab.reasons("CronJob", "hello")
    assert f"SuccessfulCreate: Created job hello-{MINUTE + 1}" in events


def test_a_long_pause_runs_only_the_most_recent_missed_time() -> None:
    lab = Lab()
    lab.api.create(cronjob())
    lab.settle(40 + 5 * 60)  # 22:19:00, five runs missed
    assert lab.names("Job") == [f"hello-{MINUTE + 6}"]


def test_forbid_skips_a_run_while_the_last_still_runs() -> None:
    lab = Lab()
    template = pod_template(restart="OnFailure")
    template["metadata"] = {"annotations": {"mkctl.dev/complete-delay": "10m"}}
    lab.api.create(cronjob(concurrencyPolicy="Forbid", template=template))
    lab.settle(40)
    first = f"hello-{MINUTE + 1}"
    assert lab.get("CronJob", "hello")["status"]["active"][0]["name"] == first
    lab.settle(60)
    assert lab.names("Job") == [first]
    assert lab.reasons("CronJob", "hello")[-1] == (
        "JobAlreadyActive: Not starting job because prior execution is running and "
        "concurrency policy is Forbid"
    )


def test_replace_deletes_the_running_job_for_the_new_one() -> None:
    lab = Lab()
    template = pod_template(restart="OnFailure")
    template["metadata"] = {"annotations": {"mkctl.dev/complete-delay": "10m"}}
    lab.api.create(cronjob(concurrencyPolicy="Replace", template=template))
    lab.settle(40)
    lab.settle(60)
    assert lab.names("Job") == [f"hello-{MINUTE + 2}"]
    active = lab.get("CronJob", "hello")["status"]["active"]
    assert [ref["name"] for ref in active] == [f"hello-{MINUTE + 2}"]
    assert f"SuccessfulDelete: Deleted job hello-{MINUTE + 1}" in lab.reasons("CronJob", "hello")


def test_history_limits_keep_the_newest_finished_jobs() -> None:
    lab = Lab()
    lab.api.create(cronjob(successfulJobsHistoryLimit=2))
    lab.settle(40)
    for _ in range(3):
        lab.settle(60)
    assert lab.names("Job") == [f"hello-{MINUTE + 3}", f"hello-{MINUTE + 4}"]


def test_a_suspended_cronjob_makes_no_jobs() -> None:
    lab = Lab()
    lab.api.create(cronjob(suspend=True))
    lab.settle(120)
    assert lab.names("Job") == []


def test_a_run_missed_by_more_than_the_starting_deadline_is_skipped() -> None:
    lab = Lab()
    created = lab.api.create(cronjob(schedule="@hourly", startingDeadlineSeconds=10))
    schedule = cron.parse_standard("@hourly")
    # 23:00:00 is due; at 23:00:30 it is 30 s late, more than the 10 s allowed.
    late = START + 46 * 60 + 70
    assert most_recent_schedule_time(created, schedule, late) == (None, 0)
    no_deadline = {**created, "spec": {**created["spec"], "startingDeadlineSeconds": None}}
    assert most_recent_schedule_time(no_deadline, schedule, late) == (START + 46 * 60 + 40, 1)
    assert [a for a in sync_cron_job(created, [], late) if hasattr(a, "obj")] == []
