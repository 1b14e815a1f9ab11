"""The Job controller with the kubelet and scheduler, on a fake clock (upstream
pkg/controller/job/job_controller.go): parallelism, completions, backoffLimit with the pod
failure back-off, OnFailure restarts, suspension, and a settled Job that plans nothing."""

from __future__ import annotations

from batch_fixtures import Lab, conditions, job, pod_template

from controlplane.controllers.job.sync import pod_failure_backoff, sync_job
from controlplane.models.constants import JOB_NAME_LABEL
from controlplane.runtime.actions import Create, RequeueAfter

COMPLETE = [
    ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
    ("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
]
FAILED = [
    ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
    ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
]


def pod_conditions(pod: dict) -> dict[str, tuple[str, str | None]]:
    return {c["type"]: (c["status"], c.get("reason")) for c in pod["status"]["conditions"]}


def test_first_sync_creates_parallelism_pods_and_counts_them_active() -> None:
    lab = Lab()
    created = lab.api.create(job(completions=5, parallelism=2))
    actions = sync_job(created, [], lab.clock.now())
    pods = [a.obj for a in actions if isinstance(a, Create)]
    assert len(pods) == 2
    assert pods[0]["metadata"]["generateName"] == "pi-"
    assert pods[0]["metadata"]["labels"][JOB_NAME_LABEL] == "pi"
    assert pods[0]["metadata"]["ownerReferences"][0]["kind"] == "Job"
    (status,) = [a.obj["status"] for a in actions if hasattr(a, "obj") and "status" in a.obj]
    assert (status["active"], status["ready"], status["terminating"]) == (2, 0, 0)
    assert status["startTime"] == "2023-11-14T22:13:20Z"


def test_a_job_runs_its_completions_and_completes() -> None:
    lab = Lab()
    lab.api.create(job(completions=3, parallelism=2))
    lab.settle()
    done = lab.get("Job", "pi")
    assert conditions(done) == COMPLETE
    status = done["status"]
    assert (status["succeeded"], status["ready"], status["terminating"]) == (3, 0, 0)
    assert "active" not in status and status["uncountedTerminatedPods"] == {}
    assert status["completionTime"] == status["startTime"]
    pods = lab.api.list("Pod", "default")
    assert len(pods) == 3 and {p["status"]["phase"] for p in pods} == {"Succeeded"}
    terminated = pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("Completed", 0)
    assert pod_conditions(pods[0]) == {
        "PodReadyToStartContainers": ("False", None),
        "Initialized": ("True", None),
        "Ready": ("False", "PodCompleted"),
        "ContainersReady": ("False", "PodCompleted"),
        "PodScheduled": ("True", None),
    }
    events = lab.reasons("Job", "pi")
    assert events.count("SuccessfulCreate: Created pod: " + pods[0]["metadata"]["name"]) == 1
    assert events[-1] == "Completed: Job completed"
    # Settled: another sync plans nothing.
    assert sync_job(done, pods, lab.clock.now()) == []


def test_failed_pods_are_replaced_after_the_back_off_until_the_limit() -> None:
    lab = Lab()
    lab.api.create(job(backoffLimit=1, template=pod_template("busybox:crashloop")))
    lab.settle()
    (first,) = lab.api.list("Pod", "default")
    assert first["status"]["phase"] == "Failed"
    assert first["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "Error"
    assert pod_conditions(first)["Ready"] == ("False", "PodFailed")
    assert lab.get("Job", "pi")["status"]["failed"] == 1
    # The replacement waits 10 s after the failure.
    lab.settle(9)
    assert len(lab.api.list("Pod", "default")) == 1
    lab.settle(1)
    assert len(lab.api.list("Pod", "default")) == 2
    failed = lab.get("Job", "pi")
    assert conditions(failed) == FAILED
    assert (failed["status"]["failed"], "completionTime" in failed["status"]) == (2, False)
    assert lab.reasons("Job", "pi")[-1] == (
        "BackoffLimitExceeded: Job has reached the specified backoff limit"
    )


def test_the_pod_failure_back_off_doubles_after_each_failure_since_a_success() -> None:
    def pod(phase: str, finished: str) -> dict:
        state = {"terminated": {"finishedAt": finished}}
        return {
            "metadata": {"creationTimestamp": finished},
            "status": {"phase": phase, "containerStatuses": [{"state": state}]},
        }

    t = 1_700_000_000.0
    pods = [pod("Failed", "2023-11-14T22:13:00Z"), pod("Failed", "2023-11-14T22:13:20Z")]
    assert pod_failure_backoff(pods, t) == 20.0  # two failures: 10 * 2, from the last
    pods.append(pod("Succeeded", "2023-11-14T22:13:10Z"))
    assert pod_failure_backoff(pods, t) == 10.0  # one failure since the success


def test_on_failure_restarts_count_against_the_backoff_limit() -> None:
    lab = Lab()
    template = pod_template("busybox:crashloop", restart="OnFailure")
    lab.api.create(job(backoffLimit=2, template=template))
    lab.settle()
    (pod,) = lab.api.list("Pod", "default")
    assert pod["status"]["containerStatuses"][0]["restartCount"] == 1
    assert conditions(lab.get("Job", "pi")) == []
    lab.settle(10)  # the kubelet's back-off: the second restart reaches the limit
    assert conditions(lab.get("Job", "pi")) == FAILED
    assert lab.api.list("Pod", "default") == []  # the running pod was deleted


def test_a_suspended_job_runs_nothing_until_resumed() -> None:
    lab = Lab()
    lab.api.create(job(suspend=True))
    lab.settle()
    suspended = lab.get("Job", "pi")
    assert conditions(suspended) == [("Suspended", "JobSuspended", "Job suspended")]
    assert "startTime" not in suspended["status"] and lab.api.list("Pod", "default") == []
    suspended["spec"]["suspend"] = False
    lab.api.update(suspended)
    lab.settle()
    resumed = lab.get("Job", "pi")
    assert conditions(resumed)[0] == ("Suspended", "JobResumed", "Job resumed")
    assert conditions(resumed)[1:] == COMPLETE


def test_deleting_a_job_deletes_its_pods() -> None:
    lab = Lab()
    lab.api.create(job(completions=2, parallelism=2))
    lab.settle()
    assert len(lab.api.list("Pod", "default")) == 2
    lab.api.delete("Job", "default", "pi")
    lab.settle()
    assert lab.api.list("Pod", "default") == []


def test_the_active_deadline_fails_a_running_job() -> None:
    lab = Lab()
    template = pod_template()
    template["metadata"] = {"annotations": {"mkctl.dev/complete-delay": "1h"}}
    lab.api.create(job(activeDeadlineSeconds=30, template=template))
    lab.settle()
    assert lab.get("Job", "pi")["status"]["active"] == 1
    actions = sync_job(lab.get("Job", "pi"), lab.api.list("Pod", "default"), lab.clock.now())
    assert [a.seconds for a in actions if isinstance(a, RequeueAfter)] == [30.0]
    lab.settle(30)
    assert conditions(lab.get("Job", "pi"))[-1] == (
        "Failed",
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
    )


def test_a_finished_job_with_a_ttl_is_deleted_with_its_pods_when_it_expires() -> None:
    lab = Lab()
    lab.api.create(job(ttlSecondsAfterFinished=100))
    lab.settle()
    assert conditions(lab.get("Job", "pi")) == COMPLETE
    lab.settle(99)
    assert lab.names("Job") == ["pi"]
    lab.settle(1)
    assert lab.names("Job") == [] and lab.api.list("Pod", "default") == []


def test_an_indexed_job_runs_one_pod_per_index() -> None:
    lab = Lab()
    created = lab.api.create(job(completions=3, parallelism=2, completionMode="Indexed"))
    first = [a.obj for a in sync_job(created, [], lab.clock.now()) if isinstance(a, Create)]
    assert [p["metadata"]["generateName"] for p in first] == ["pi-0-", "pi-1-"]
    assert first[1]["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] == "1"
    assert first[1]["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "1"
    assert first[1]["spec"]["hostname"] == "pi-1"
    (env,) = first[1]["spec"]["containers"][0]["env"]
    assert env["name"] == "JOB_COMPLETION_INDEX"
    lab.settle()
    done = lab.get("Job", "pi")
    assert conditions(done) == COMPLETE
    assert (done["status"]["completedIndexes"], done["status"]["succeeded"]) == ("0-2", 3)
    names = sorted(p["metadata"]["name"].rsplit("-", 1)[0] for p in lab.api.list("Pod", "default"))
    assert names == ["pi-0", "pi-1", "pi-2"]


def test_completed_indexes_read_as_ranges() -> None:
    from controlplane.controllers.job.indexed import format_indexes

    assert format_indexes({0, 1, 2, 4, 6, 7}) == "0-2,4,6-7"
    assert format_indexes(set()) == ""
