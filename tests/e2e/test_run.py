"""`mkctl run`: the Pod kubectl 1.37's `run` builds (goldens recorded from
`kubectl run ... --dry-run=client` against mkctl's daemon: kubectl's run needs a server to
map the kind), its refusals in kubectl's words, and the pod it creates and runs."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Mkctl

WEB_YAML = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: web\n    tier: fe\n  name: web\n"
    "  namespace: shop\nspec:\n  containers:\n  - env:\n    - name: GREETING\n      value: hello\n"
    "    image: nginx:1.25\n    name: web\n    ports:\n    - containerPort: 80\n"
    "    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n"
)
SLEEPER_JSON = (
    '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n'
    '        "name": "sleeper",\n        "labels": {\n            "run": "sleeper"\n        },\n'
    '        "annotations": {\n            "team": "a"\n        }\n    },\n    "spec": {\n'
    '        "containers": [\n            {\n                "name": "sleeper",\n'
    '                "image": "busybox",\n                "command": [\n'
    '                    "sleep",\n                    "3600"\n                ],\n'
    '                "resources": {},\n                "imagePullPolicy": "Always",\n'
    '                "securityContext": {\n                    "privileged": true\n'
    "                }\n            }\n        ],\n"
    '        "restartPolicy": "OnFailure",\n        "dnsPolicy": "ClusterFirst"\n    },\n'
    '    "status": {}\n}\n'
)


def test_run_prints_the_pod_kubectl_generates(mkctl: Mkctl) -> None:
    web = mkctl(
        "run",
        "web",
        "--image=nginx:1.25",
        "--labels=app=web,tier=fe",
        "--port=80",
        "--env=GREETING=hello",
        "--restart=Never",
        "-n",
        "shop",
        "--dry-run=client",
        "-o",
        "yaml",
    )
    assert (web.code, web.out) == (0, WEB_YAML)
    sleeper = mkctl(
        "run",
        "sleeper",
        "--image=busybox",
        "--restart=OnFailure",
        "--annotations=team=a",
        "--privileged",
        "--image-pull-policy=Always",
        "--dry-run=client",
        "-o",
        "json",
        "--command",
        "--",
        "sleep",
        "3600",
    )
    assert (sleeper.code, sleeper.out) == (0, SLEEPER_JSON)
    assert mkctl("get", "pods", "-A", "-o", "name", "-l", "run").out == ""


def test_run_creates_a_running_pod(mkctl: Mkctl) -> None:
    created = mkctl("run", "web", "--image=nginx", "--", "nginx", "-g", "daemon off;")
    assert (created.code, created.out) == (0, "pod/web created\n")
    pod = json.loads(mkctl("get", "pod", "web", "-o", "json").out)
    assert pod["metadata"]["labels"] == {"run": "web"}
    assert pod["spec"]["containers"][0]["args"] == ["nginx", "-g", "daemon off;"]
    assert pod["status"]["phase"] == "Running"
    again = mkctl("run", "web", "--image=nginx")
    assert (again.code, again.err) == (
        1,
        'Error from server (AlreadyExists): pods "web" already exists\n',
    )
    server = mkctl("run", "other", "--image=nginx", "--dry-run=server")
    assert server.out == "pod/other created (server dry run)\n"
    assert mkctl("get", "pods", "-o", "name").out == "pod/web\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("web",), 'error: required flag(s) "image" not set'),
        (("--image=nginx",), "error: NAME is required for run"),
        (("web", "--image=UPPER"), 'error: invalid image name "UPPER": invalid reference format'),
        (
            ("web", "--image=x", "--restart=Bad"),
            "error: invalid restart policy: Bad, valid values are: Always, OnFailure, Never",
        ),
        (
            ("web", "--image=x", "--image-pull-policy=Sometimes"),
            "error: invalid image pull policy: Sometimes, valid values are: Always, "
            "IfNotPresent, Never",
        ),
        (("web", "--image=x", "--labels=a=b,c"), "error: unexpected label spec: c"),
        (("web", "--image=x", "--env=1A=1"), "error: invalid env: 1A=1"),
        (("web", "--image=x", "--annotations=foo"), "error: invalid annotations format: foo"),
        (("web", "--image=x", "--port=abc"), "error: --port must be a number"),
        (
            ("web", "--image=x", "-t"),
            "error: -i/--stdin is required for containers with -t/--tty=true",
        ),
        (
            ("web", "--image=busybox", "-i", "-t"),
            "error: mkctl runs no containers, so there is nothing to attach to: run the pod "
            "without -i/--stdin, -t/--tty, --attach and --rm",
        ),
    ],
)
def test_run_refuses_bad_input_as_kubectl(
    mkctl: Mkctl, args: tuple[str, ...], message: str
) -> None:
    refused = mkctl("run", *args)
    assert (refused.code, refused.out, refused.err) == (1, "", message + "\n")
    assert mkctl("get", "pods", "-o", "name").out == ""
