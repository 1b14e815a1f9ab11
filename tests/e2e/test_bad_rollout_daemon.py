"""Lesson 9 on a live daemon: a bad image stalls a rollout, the deadline passes, undo heals it.

This is issue 3's closing scenario, with the real mkctl in subprocesses against
`mkctl cluster start`: the daemon reconciles on the real clock, so every wait below polls
with a deadline instead of sleeping. `--speed` only shortens the fake kubelet's stages; the
progress deadline is Kubernetes' own time and is not scaled, so the test shortens the
sample's 30 s to 10 s to stay quick.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from controlplane.runtime.lease import process_alive
from tests.e2e.conftest import REPO, Mkctl, wait_for

DEADLINE_SECONDS = 10
SPEED = "50"
STUCK_STATUSES = {"ErrImagePull", "ImagePullBackOff"}
# kubectl's DeploymentStatusViewer (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
# rollout_status.go): the TimedOutReason check comes first, and it is an error (exit 1).
EXCEEDED = 'error: deployment "web" exceeded its progress deadline\n'
WAITING = (
    'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'
)
ROLLED_OUT = 'deployment "web" successfully rolled out\n'


def pods(mkctl: Mkctl) -> dict[str, tuple[str, str]]:
    """NAME -> (READY, STATUS), read from `mkctl get pods` as a learner reads it."""
    listed = mkctl("get", "pods", "--no-headers")
    assert listed.code == 0, listed.err
    return {row.split()[0]: (row.split()[1], row.split()[2]) for row in listed.out.splitlines()}


def progressing(mkctl: Mkctl) -> tuple[str, str, str]:
    """The Deployment's Progressing condition: (status, reason, message)."""
    (deploy,) = json.loads(mkctl("get", "deploy", "-o", "json").out)["items"]
    (condition,) = [c for c in deploy["status"]["conditions"] if c["type"] == "Progressing"]
    return condition["status"], condition["reason"], condition["message"]


def test_a_bad_image_stalls_until_the_deadline_and_undo_completes_the_rollout(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    sample = (REPO / "samples/09-bad-image.yaml").read_text()
    assert "  progressDeadlineSeconds: 30\n" in sample
    manifest = tmp_path / "web.yaml"
    manifest.write_text(
        sample.replace(
            "progressDeadlineSeconds: 30", f"progressDeadlineSeconds: {DEADLINE_SECONDS}"
        )
    )
    started = mkctl("cluster", "start", "--speed", SPEED)
    assert started.code == 0, started.err
    pid = int((tmp_path / "home" / "daemon.pid").read_text())
    assert started.out == f"mkctl daemon started (pid {pid})\n"
    try:
        assert mkctl("apply", "-f", str(manifest)).out == "deployment.apps/web created\n"
        done = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
        assert (done.code, done.out.endswith(ROLLED_OUT)) == (0, True), (done.out, done.err)
        old = pods(mkctl)
        assert len(old) == 3 and set(old.values()) == {("1/1", "Running")}

        changed_before = time.monotonic()
        changed = mkctl("set", "image", "deployment/web", "nginx=nginx:1.99-doesnotexist")
        assert changed.out == "deployment.apps/web image updated\n"

        def stuck() -> dict[str, tuple[str, str]] | None:
            now = pods(mkctl)
            new = {name: row for name, row in now.items() if name not in old}
            if len(new) == 1 and next(iter(new.values()))[1] in STUCK_STATUSES:
                return now
            return None

        seen = wait_for(stuck, seconds=30)
        (bad,) = set(seen) - set(old)
        assert seen[bad][0] == "0/1"
        assert {name: seen[name] for name in old} == {name: ("1/1", "Running") for name in old}

        failed = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
        assert (failed.code, failed.err) == (1, EXCEEDED)
        assert failed.out in (WAITING, "")  # "" only if the deadline passed before it looked
        assert time.monotonic() - changed_before > DEADLINE_SECONDS - 1  # stamps are whole seconds
        new_rs = bad.rsplit("-", 1)[0]
        assert progressing(mkctl) == (
            "False",
            "ProgressDeadlineExceeded",
            f'ReplicaSet "{new_rs}" has timed out progressing.',
        )
        still = pods(mkctl)
        assert {name: still[name] for name in old} == {name: ("1/1", "Running") for name in old}
        assert still[bad][1] in STUCK_STATUSES

        assert mkctl("rollout", "undo", "deployment/web").out == "deployment.apps/web rolled back\n"
        healed = mkctl("rollout", "status", "deployment/web", "--timeout=60s")
        assert (healed.code, healed.out.endswith(ROLLED_OUT)) == (0, True), (healed.out, healed.err)
        assert wait_for(lambda: pods(mkctl) == old, seconds=30)  # the bad pod is gone
        listed = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
        assert {p["spec"]["containers"][0]["image"] for p in listed} == {"nginx:1.14.2"}
        status, reason, _ = progressing(mkctl)
        assert (status, reason) == ("True", "NewReplicaSetAvailable")
    finally:
        stopped = mkctl("cluster", "stop")
    assert stopped.out == f"mkctl daemon stopped (pid {pid})\n"
    assert not process_alive(pid)  # gone, or a zombie waiting for its reaper: not running
    assert not (tmp_path / "home" / "daemon.pid").exists()
