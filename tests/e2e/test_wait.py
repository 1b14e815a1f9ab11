"""`mkctl wait` with the real mkctl: conditions met, met later, deletion, and timeouts.

Outputs as kubectl 1.37 prints them (checked against it with a scratch API server).
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.conftest import Mkctl

DEPLOY = "deployment/nginx-deployment"

SLOW = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
spec:
  replicas: 2
  minReadySeconds: 8
  selector: {matchLabels: {app: slow}}
  template:
    metadata: {labels: {app: slow}}
    spec:
      containers: [{name: web, image: nginx:1.14.2}]
"""


def test_wait_reports_conditions_met_and_timeouts_like_kubectl(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    met = mkctl("wait", "--for=condition=Available", DEPLOY)
    assert (met.code, met.out) == (0, "deployment.apps/nginx-deployment condition met\n")
    ready = mkctl("wait", "--for=condition=Ready", "pods", "-l", "app=nginx", "-o", "name")
    assert len(ready.out.splitlines()) == 3 and ready.out.startswith("pod/nginx-deployment-")

    started = time.monotonic()
    stuck = mkctl("wait", "--for=delete", DEPLOY, "--timeout=1s")
    assert time.monotonic() - started >= 1
    assert (stuck.code, stuck.err) == (
        1,
        "error: timed out waiting for the condition on deployments/nginx-deployment\n",
    )
    once = mkctl("wait", "--for=condition=Progressing=False", DEPLOY, "--timeout=0")
    assert once.err == "error: condition not met for deployments/nginx-deployment\n"
    missing = mkctl("wait", "--for=condition=Available", "deploy/nope", "--timeout=1s")
    assert missing.err == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    assert mkctl("wait", "--for=delete", "deploy/nope").code == 0  # already gone: fine
    none = mkctl("wait", "--for=condition=Ready", "pods", "-l", "app=none")
    assert (none.code, none.err) == (1, "error: no matching resources found\n")
    bad = mkctl("wait", "--for=condition=Available", DEPLOY, "--timeout=2")
    assert bad.err == (
        'error: invalid argument "2" for "--timeout" flag: time: missing unit in duration "2"\n'
        "See 'mkctl wait --help' for usage.\n"
    )


def test_wait_polls_until_time_makes_the_condition_true(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "slow.yaml"
    manifest.write_text(SLOW)
    assert mkctl("apply", "-f", str(manifest)).code == 0
    # Ready now, available only after minReadySeconds: the wait sees that happen.
    early = mkctl("wait", "--for=condition=Available", "deploy/slow", "--timeout=0")
    assert early.code == 1
    later = mkctl("wait", "--for=condition=Available", "deploy/slow", "--timeout=20s")
    assert (later.code, later.out) == (0, "deployment.apps/slow condition met\n")
