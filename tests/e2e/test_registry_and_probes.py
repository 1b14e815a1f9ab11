"""The simulated registry and probes with the real mkctl (docs/failure-simulation.md).

The registry in embedded mode: kubernetes.io's Deployment page mistypes a tag
(`nginx:1.161`), the rollout stalls in ImagePullBackOff, and `rollout undo` heals it; a
user's own catalogue adds tags. Probes on a live daemon, since their timing is the pod's
own (whole seconds, not scaled by `--speed`): every wait polls with a deadline.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import Mkctl, wait_for

DEPLOY = "deployment/nginx-deployment"
TYPO = "nginx:1.161"
NOT_FOUND = (
    'Failed to pull image "nginx:1.161": rpc error: code = NotFound desc = failed to pull and '
    'unpack image "docker.io/library/nginx:1.161": failed to resolve reference '
    '"docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found'
)


def rows(mkctl: Mkctl) -> dict[str, list[str]]:
    """NAME -> [READY, STATUS, RESTARTS], as `mkctl get pods` prints them."""
    listed = mkctl("get", "pods", "--no-headers")
    assert listed.code == 0, listed.err
    return {row.split()[0]: row.split()[1:4] for row in listed.out.splitlines()}


def test_the_deployment_pages_mistyped_tag_stalls_the_rollout_and_undo_recovers(
    mkctl: Mkctl,
) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    changed = mkctl("set", "image", DEPLOY, f"nginx={TYPO}")
    assert changed.out == "deployment.apps/nginx-deployment image updated\n"
    seen = rows(mkctl)
    stuck = [name for name, row in seen.items() if row[1] == "ImagePullBackOff"]
    assert len(seen) == 4 and len(stuck) == 1
    assert seen[stuck[0]][:1] == ["0/1"]
    assert mkctl("rollout", "status", DEPLOY, "--watch=false").out == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas '
        "have been updated...\n"
    )
    described = mkctl("describe", "pod", stuck[0]).out
    for line in (
        "      Reason:       ImagePullBackOff\n",
        f'Pulling image "{TYPO}"\n',
        NOT_FOUND,
        "Error: ErrImagePull\n",
        f'Back-off pulling image "{TYPO}"\n',
        "Error: ImagePullBackOff\n",
    ):
        assert line in described, line
    assert mkctl("rollout", "undo", DEPLOY).out == "deployment.apps/nginx-deployment rolled back\n"
    assert [row[:2] for row in rows(mkctl).values()] == [["1/1", "Running"]] * 3


def test_a_malformed_digest_is_an_invalid_image_name(mkctl: Mkctl) -> None:
    image = "nginx@sha256:" + "ab" * 20
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pinned\nspec:\n  containers:\n"
        f"  - name: app\n    image: {image}\n"
    )
    assert mkctl("apply", "-f", "-", stdin=pod).out == "pod/pinned created\n"
    assert rows(mkctl)["pinned"] == ["0/1", "InvalidImageName", "0"]
    assert (
        f'couldn\'t parse image name "{image}": invalid checksum digest length'
        in mkctl("describe", "pod", "pinned").out
    )


def test_tags_a_user_adds_to_the_catalogue_pull(mkctl: Mkctl, tmp_path: Path) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    catalogue = tmp_path / "home" / "images.json"
    catalogue.write_text(json.dumps({"nginx": {"1.161": 12345}}))
    assert mkctl("set", "image", DEPLOY, f"nginx={TYPO}").code == 0
    assert [row[:2] for row in rows(mkctl).values()] == [["1/1", "Running"]] * 3
    pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {TYPO}
    events = json.loads(mkctl("get", "events", "-o", "json").out)["items"]
    pulled = {e["message"] for e in events if e["reason"] == "Pulled"}
    took = "0s (0s including waiting)"  # embedded mode: no time passes
    assert f'Successfully pulled image "{TYPO}" in {took}. Image size: 12345 bytes.' in pulled


def test_a_ready_pod_turns_unready_when_its_readiness_starts_failing(mkctl: Mkctl) -> None:
    """What takes a pod out of a Service's endpoints: its Ready condition turns False."""
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    assert (
        mkctl("apply", "-f", "-", stdin=pod + "  - name: nginx\n    image: nginx:1.14.2\n").code
        == 0
    )
    assert rows(mkctl)["web"] == ["1/1", "Running", "0"]
    failing = mkctl("annotate", "pod", "web", "mkctl.dev/outcome=never-ready")
    assert failing.out == "pod/web annotated\n"
    assert rows(mkctl)["web"] == ["0/1", "Running", "0"]
    ready = mkctl(
        "get", "pod", "web", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"
    )
    assert ready.out == "False"
    assert (
        "Unhealthy",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
    ) in events_about(mkctl, "web")
    assert mkctl("annotate", "pod", "web", "mkctl.dev/outcome=ok", "--overwrite").code == 0
    assert rows(mkctl)["web"] == ["1/1", "Running", "0"]


MISSING = "cat: can't open '/tmp/healthy': No such file or directory"
PROBED = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
  annotations:
    mkctl.dev/outcome: {outcome}
spec:
  containers:
  - name: app
    image: busybox:1.36
    {probe}:
      exec:
        command: [cat, /tmp/healthy]
      periodSeconds: 1
      failureThreshold: {failures}
"""


def events_about(mkctl: Mkctl, pod: str) -> list[tuple[str, str]]:
    listed = json.loads(mkctl("get", "events", "-o", "json").out)["items"]
    return [(e["reason"], e["message"]) for e in listed if e["involvedObject"]["name"] == pod]


def test_probes_on_a_live_daemon_restart_gate_and_unready(mkctl: Mkctl) -> None:
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    try:
        for name, outcome, probe, failures in (
            ("liveness", "liveness-failure", "livenessProbe", 2),
            ("startup", "startup-failure", "startupProbe", 2),
            ("unready", "never-ready", "readinessProbe", 3),
            ("slow-start", "ok", "startupProbe", 3),
        ):
            manifest = PROBED.format(name=name, outcome=outcome, probe=probe, failures=failures)
            assert mkctl("apply", "-f", "-", stdin=manifest).out == f"pod/{name} created\n"

        # liveness: fails at 1 s and 2 s, killed, restarted at once; RESTARTS counts
        wait_for(lambda: int(rows(mkctl)["liveness"][2]) >= 1, seconds=30)
        assert (
            "Unhealthy",
            f"Liveness probe failed: {MISSING}",
        ) in events_about(mkctl, "liveness")
        assert ("Killing", "Container app failed liveness probe, will be restarted") in (
            events_about(mkctl, "liveness")
        )
        # startup: never passes, killed after its failure threshold, never ready meanwhile
        wait_for(lambda: int(rows(mkctl)["startup"][2]) >= 1, seconds=30)
        assert rows(mkctl)["startup"][0] == "0/1"
        assert ("Killing", "Container app failed startup probe, will be restarted") in (
            events_about(mkctl, "startup")
        )
        # readiness: runs, never Ready, one Unhealthy event
        unhealthy = ("Unhealthy", f"Readiness probe failed: {MISSING}")
        wait_for(lambda: unhealthy in events_about(mkctl, "unready"), seconds=30)
        assert rows(mkctl)["unready"] == ["0/1", "Running", "0"]
        # a startup probe that passes: started, then Ready
        wait_for(lambda: rows(mkctl)["slow-start"] == ["1/1", "Running", "0"], seconds=30)
        status = json.loads(mkctl("get", "pod", "slow-start", "-o", "json").out)["status"]
        assert status["containerStatuses"][0]["started"] is True
    finally:
        assert mkctl("cluster", "stop").code == 0
