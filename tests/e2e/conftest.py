"""End-to-end fixtures: the real `mkctl` in a subprocess, with its own MKCTL_HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


Mkctl = Callable[..., Result]


def mkctl_command() -> list[str]:
    installed = shutil.which("mkctl", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "minikubectl"]


@pytest.fixture
def mkctl(tmp_path: Path) -> Mkctl:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(tmp_path / "home")
    command = mkctl_command()

    def run(*args: str, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [*command, *args],
            cwd=REPO,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
