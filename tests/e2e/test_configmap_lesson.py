"""Lesson 13, end to end: a ConfigMap read by a Deployment's pods at start, changed, and
reaching the pods only through `rollout restart` (samples/lesson-configmap.sh)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO


def test_the_configmap_lesson_script_runs(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MKCTL_HOME": str(tmp_path / "lesson"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "samples/lesson-configmap.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answers = [
        block.split("\n", 1)[1]
        for block in done.stdout.split("\n$ ")[1:]
        if block.startswith("mkctl logs deployment/greeter")
    ]
    assert [a.split(" from ")[0] for a in answers] == ["hello", "hello", "bonjour"]
    assert all(a.strip().split(" from ")[1].startswith("greeter-") for a in answers)
    assert answers[0] == answers[1]  # the same pod, unchanged by the ConfigMap's change
    assert answers[2] != answers[0]  # a new pod after the restart
    assert "configmap/greeting configured" in done.stdout
    assert "deployment.apps/greeter restarted" in done.stdout
