"""kubernetes.io's Deployments page (docs/concepts/workloads/controllers/deployment), typed
literally with `mkctl` for `kubectl`, start to end, each output in the page's shape.

The page's manifest, https://k8s.io/examples/controllers/nginx-deployment.yaml, is kept
under tests/e2e/data/k8s.io/ and served on loopback at the same path, so `apply -f URL` is
typed as on the page with only the host changed, and the test needs no network.

Steps mkctl cannot take yet are left out, each said where it would be: `kubectl edit` (an
editor), `kubectl autoscale` (no HorizontalPodAutoscaler) and `kubectl get rs -w` (it
watches until interrupted). The stalled rollout of the `nginx:1.161` typo is its own test: it needs
a registry in which that tag does not exist.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Mkctl, mkctl_command

SITE = Path(__file__).parent / "data" / "k8s.io"
DEPLOY = "deployment/nginx-deployment"
HASH = r"[bcdfghjklmnpqrstvwxz2456789]{6,10}"
SUFFIX = r"[bcdfghjklmnpqrstvwxz2456789]{5}"
AGE = r"\d+s"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def manifest_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/examples/controllers/nginx-deployment.yaml"
    server.shutdown()
    server.server_close()
    thread.join()


def ok(mkctl: Mkctl, *args: str) -> str:
    result = mkctl(*args)
    assert result.code == 0, (args, result.err)
    return result.out


def rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


def matches(pattern: str, line: str) -> bool:
    return re.fullmatch(pattern, line) is not None


def replica_sets(mkctl: Mkctl) -> dict[str, list[str]]:
    """`get rs` rows by image: {image: [name, desired, current, ready]}."""
    images = ok(
        mkctl,
        "get",
        "rs",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} "
        '{.spec.template.spec.containers[0].image}{"\\n"}{end}',
    )
    by_name = {row[0]: row[:4] for row in rows(ok(mkctl, "get", "rs"))[1:]}
    return {image: by_name[name] for name, image in rows(images)}


def creating(mkctl: Mkctl, url: str) -> str:
    """## Creating a Deployment; returns the ReplicaSet's hash."""
    assert ok(mkctl, "apply", "-f", url) == "deployment.apps/nginx-deployment created\n"
    table = ok(mkctl, "get", "deployments").splitlines()
    assert table[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert matches(rf"nginx-deployment +3/3 +3 +3 +{AGE}", table[1])
    assert ok(mkctl, "rollout", "status", DEPLOY) == (
        'deployment "nginx-deployment" successfully rolled out\n'
    )
    table = ok(mkctl, "get", "rs").splitlines()
    assert table[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert matches(rf"nginx-deployment-{HASH} +3 +3 +3 +{AGE}", table[1])
    template_hash = table[1].split()[0].removeprefix("nginx-deployment-")
    table = ok(mkctl, "get", "pods", "--show-labels").splitlines()
    assert table[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    assert len(table) == 4
    labels = f"app.kubernetes.io/name=nginx,pod-template-hash={template_hash}"
    for line in table[1:]:
        assert matches(
            rf"nginx-deployment-{template_hash}-{SUFFIX} +1/1 +Running +0 +{AGE} +{labels}", line
        )
    return template_hash


def updating(mkctl: Mkctl) -> None:
    """## Updating a Deployment (both spellings of `set image`; `edit` left out)."""
    updated = ok(mkctl, "set", "image", "deployment.v1.apps/nginx-deployment", "nginx=nginx:1.16.1")
    assert updated == "deployment.apps/nginx-deployment image updated\n"
    # the same image again changes nothing, and kubectl 1.37 then prints nothing
    assert ok(mkctl, "set", "image", DEPLOY, "nginx=nginx:1.16.1") == ""
    assert ok(mkctl, "rollout", "status", DEPLOY) == (
        'deployment "nginx-deployment" successfully rolled out\n'
    )
    assert matches(
        rf"nginx-deployment +3/3 +3 +3 +{AGE}", ok(mkctl, "get", "deployments").splitlines()[1]
    )
    sets = replica_sets(mkctl)
    assert sets["nginx:1.16.1"][1:] == ["3", "3", "3"]
    assert sets["nginx:1.14.2"][1:] == ["0", "0", "0"]
    new = sets["nginx:1.16.1"][0]
    pods = rows(ok(mkctl, "get", "pods"))
    assert pods[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [p[0].rsplit("-", 1)[0] for p in pods[1:]] == [new] * 3
    assert all(p[1:4] == ["1/1", "Running", "0"] for p in pods[1:])

    described = ok(mkctl, "describe", "deployments")
    for line in (
        "Name:                   nginx-deployment",
        "Namespace:              default",
        "Labels:                 app.kubernetes.io/name=nginx",
        "Annotations:            deployment.kubernetes.io/revision: 2",
        "Selector:               app.kubernetes.io/name=nginx",
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "    Image:         nginx:1.16.1",
        "    Port:          80/TCP",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    True    NewReplicaSetAvailable",
        f"NewReplicaSet:   {new} (3/3 replicas created)",
    ):
        assert line in described.splitlines(), line
    events = [line for line in described.splitlines() if "ScalingReplicaSet" in line]
    assert len(events) == 7  # up to 3; then up 1, down 2, up 2, down 1, up 3, down 0
    assert events[0].split()[:2] == ["Normal", "ScalingReplicaSet"]
    assert "deployment-controller  Scaled up replica set nginx-deployment-" in events[0]


def rolling_back(mkctl: Mkctl) -> None:
    """## Rolling Back a Deployment: the typo, the history, and the undo."""
    typo = ok(mkctl, "set", "image", DEPLOY, "nginx=nginx:1.161")
    assert typo == "deployment.apps/nginx-deployment image updated\n"
    history = ok(mkctl, "rollout", "history", DEPLOY)
    assert history == (
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n"
        "1         <none>\n2         <none>\n3         <none>\n\n"
    )
    revision = ok(mkctl, "rollout", "history", DEPLOY, "--revision=2").splitlines()
    assert revision[:3] == [
        "deployment.apps/nginx-deployment with revision #2",
        "Pod Template:",
        "  Labels:\tapp.kubernetes.io/name=nginx",
    ]
    assert "    Image:\tnginx:1.16.1" in revision and "    Port:\t80/TCP" in revision

    assert ok(mkctl, "rollout", "undo", DEPLOY) == "deployment.apps/nginx-deployment rolled back\n"
    # The page's alternative, typed after the undo, finds revision 2 renumbered to 4, as a
    # real cluster does.
    again = mkctl("rollout", "undo", DEPLOY, "--to-revision=2")
    assert again.code == 1  # after the warning for an applied object
    assert again.err.endswith("\nerror: unable to find specified revision 2 in history\n")
    table = ok(mkctl, "get", "deployment", "nginx-deployment").splitlines()
    assert matches(rf"nginx-deployment +3/3 +3 +3 +{AGE}", table[1])
    described = ok(mkctl, "describe", "deployment", "nginx-deployment").splitlines()
    assert "Annotations:            deployment.kubernetes.io/revision: 4" in described
    assert "    Image:         nginx:1.16.1" in described
    assert (
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable"
        in described
    )


def scaling_and_pausing(mkctl: Mkctl) -> None:
    """## Scaling a Deployment (`autoscale` left out) and ## Pausing and Resuming
    (`get rs -w` left out)."""
    scaled = ok(mkctl, "scale", DEPLOY, "--replicas=10")
    assert scaled == "deployment.apps/nginx-deployment scaled\n"
    assert matches(
        rf"nginx-deployment +10/10 +10 +10 +{AGE}", ok(mkctl, "get", "deploy").splitlines()[1]
    )
    before = replica_sets(mkctl)
    assert ok(mkctl, "rollout", "pause", DEPLOY) == "deployment.apps/nginx-deployment paused\n"
    updated = ok(mkctl, "set", "image", DEPLOY, "nginx=nginx:1.16.1")
    assert updated == ""  # already the image: the rollback restored it
    history = ok(mkctl, "rollout", "history", DEPLOY).splitlines()
    assert [line.split()[0] for line in history[2:-1]] == ["1", "3", "4"]
    assert replica_sets(mkctl) == before
    limited = ok(mkctl, "set", "resources", DEPLOY, "-c=nginx", "--limits=cpu=200m,memory=512Mi")
    assert limited == "deployment.apps/nginx-deployment resource requirements updated\n"
    assert replica_sets(mkctl) == before  # paused: the new template waits
    assert ok(mkctl, "rollout", "resume", DEPLOY) == "deployment.apps/nginx-deployment resumed\n"
    table = rows(ok(mkctl, "get", "rs"))[1:]
    assert sorted(row[1:4] for row in table) == [["0", "0", "0"]] * 3 + [["10", "10", "10"]]
    limits = ok(
        mkctl,
        "get",
        "rs",
        "-o",
        "jsonpath={range .items[?(@.spec.replicas==10)]}"
        "{.spec.template.spec.containers[0].resources.limits.memory}{end}",
    )
    assert limits == "512Mi"


def deployment_status(mkctl: Mkctl) -> None:
    """## Deployment status: a complete rollout, and the progress deadline."""
    done = mkctl("rollout", "status", DEPLOY)
    assert (done.code, done.out) == (0, 'deployment "nginx-deployment" successfully rolled out\n')
    patched = ok(mkctl, "patch", DEPLOY, "-p", '{"spec":{"progressDeadlineSeconds":600}}')
    assert patched == "deployment.apps/nginx-deployment patched (no change)\n"
    conditions = ok(mkctl, "describe", "deployment", "nginx-deployment").split("Conditions:\n")[1]
    assert conditions.splitlines()[:4] == [
        "  Type           Status  Reason",
        "  ----           ------  ------",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    True    NewReplicaSetAvailable",
    ]
    status = ok(mkctl, "get", "deployment", "nginx-deployment", "-o", "yaml").split("\nstatus:\n")[
        1
    ]
    assert "  availableReplicas: 10\n  conditions:\n  - lastTransitionTime: " in status
    assert (
        '    reason: NewReplicaSetAvailable\n    status: "True"\n    type: Progressing\n' in status
    )


def test_the_deployment_page_typed_literally(mkctl: Mkctl, manifest_url: str) -> None:
    creating(mkctl, manifest_url)
    updating(mkctl)
    rolling_back(mkctl)
    scaling_and_pausing(mkctl)
    deployment_status(mkctl)


def test_the_typo_stalls_the_rollout(mkctl: Mkctl, manifest_url: str, tmp_path: Path) -> None:
    """### Rolling Back: `nginx:1.161` does not exist, so the new pod cannot pull it and the
    rollout stops at 1 out of 3, until Ctrl-C."""
    creating(mkctl, manifest_url)
    ok(mkctl, "set", "image", DEPLOY, "nginx=nginx:1.16.1")
    ok(mkctl, "set", "image", DEPLOY, "nginx=nginx:1.161")
    statuses = ok(
        mkctl,
        "get",
        "pods",
        "-o",
        "jsonpath={.items[*].status.containerStatuses[0].state.waiting.reason}",
    )
    # the simulated registry knows nginx has no tag 1.161 (controlplane/kubelet/catalogue.json)
    assert {"ErrImagePull", "ImagePullBackOff"} & set(statuses.split()), statuses

    watching = subprocess.Popen(
        [*mkctl_command(), "rollout", "status", DEPLOY],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "MKCTL_HOME": str(tmp_path / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert watching.stdout is not None
    first = watching.stdout.readline()
    assert first == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas '
        "have been updated...\n"
    )
    watching.send_signal(signal.SIGINT)  # Press Ctrl-C
    watching.communicate(timeout=30)

    sets = replica_sets(mkctl)
    assert sets["nginx:1.16.1"][1:] == ["3", "3", "3"]
    assert sets["nginx:1.14.2"][1:] == ["0", "0", "0"]
    assert sets["nginx:1.161"][1:] == ["1", "1", "0"]
    pods = rows(ok(mkctl, "get", "pods"))[1:]
    assert [p[2] for p in pods].count("Running") == 3
    assert [p[1:3] for p in pods if p[2] != "Running"] in (
        [["0/1", "ImagePullBackOff"]],
        [["0/1", "ErrImagePull"]],
    )
    described = ok(mkctl, "describe", "deployment").splitlines()
    assert (
        "Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable"
        in described
    )
    assert "  Progressing    True    ReplicaSetUpdated" in described
    assert ok(mkctl, "rollout", "undo", DEPLOY) == "deployment.apps/nginx-deployment rolled back\n"
    assert ok(mkctl, "rollout", "status", DEPLOY) == (
        'deployment "nginx-deployment" successfully rolled out\n'
    )
