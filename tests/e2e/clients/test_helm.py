"""Helm 4 installs, upgrades and rolls back a chart on mkctl's daemon, as on a cluster."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.clients.conftest import Served, eventually
from tests.e2e.clients.tools import helm_binary

CHART = Path(__file__).parent / "charts" / "web"


@pytest.fixture(scope="module")
def helm(served: Served, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Any]:
    binary = helm_binary()
    state = tmp_path_factory.mktemp("helm")
    env = {
        **os.environ,
        "KUBECONFIG": str(served.kubeconfig),
        "HELM_CACHE_HOME": str(state / "cache"),
        "HELM_CONFIG_HOME": str(state / "config"),
        "HELM_DATA_HOME": str(state / "data"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(binary), *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done

    return run


def image(served: Served) -> str:
    shown = served.mkctl(
        "get",
        "deploy",
        "web",
        "-n",
        "helm",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
    )
    return shown.out


def test_install_upgrade_and_rollback(helm: Callable[..., Any], served: Served) -> None:
    installed = helm(
        "install",
        "web",
        str(CHART),
        "--namespace",
        "helm",
        "--create-namespace",
        "--wait",
        "--timeout",
        "60s",
    )
    assert "STATUS: deployed" in installed.stdout
    assert image(served) == "nginx:1.14.2"
    helm(
        "upgrade",
        "web",
        str(CHART),
        "--namespace",
        "helm",
        "--set",
        "image.tag=1.16.1",
        "--wait",
        "--timeout",
        "60s",
    )
    assert image(served) == "nginx:1.16.1"
    helm("rollback", "web", "1", "--namespace", "helm", "--wait", "--timeout", "60s")
    assert image(served) == "nginx:1.14.2"
    history = json.loads(helm("history", "web", "--namespace", "helm", "-o", "json").stdout)
    assert [(h["revision"], h["status"]) for h in history] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "deployed"),
    ]
    rollout = served.mkctl("rollout", "history", "deployment/web", "-n", "helm")
    # The rollback brought revision 1's ReplicaSet back as revision 3, as `rollout undo` does.
    assert rollout.out == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    )
    eventually(
        lambda: served.mkctl("get", "pods", "-n", "helm", "--no-headers").out.count("Running") == 3
    )
