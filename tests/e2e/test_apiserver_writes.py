"""Writes through a real daemon's API server, by real kubectl, the official Python client
and plain HTTP: the `/scale`, `/status` and eviction subresources, deletecollection,
`dryRun=All` and `fieldValidation`. The daemon's controllers act on what those writes store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clients import http, kubectl, python_client
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, wait_for

PODS = "/api/v1/namespaces/default/pods"
CACHE = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "cache"},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "cache"}},
        "template": {
            "metadata": {"labels": {"app": "cache"}},
            "spec": {"containers": [{"name": "redis", "image": "redis"}]},
        },
    },
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def daemon(mkctl: Mkctl, home: Path, tmp_path: Path) -> Iterator[None]:
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    try:
        manifest = tmp_path / "web.yaml"
        manifest.write_text(WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.25"))
        applied = mkctl("apply", "-f", str(manifest))
        assert applied.code == 0, applied.err
        yield
    finally:
        mkctl("cluster", "stop")


def web_pods(core: Any) -> list[Any]:
    return [
        p
        for p in core.list_namespaced_pod("default", label_selector="app=web").items
        if p.metadata.deletion_timestamp is None
    ]


def test_python_client_scales_patches_status_and_evicts(home: Path, daemon: None) -> None:
    kubernetes = pytest.importorskip("kubernetes")
    client = python_client(home)
    apps = kubernetes.client.AppsV1Api(client)
    core = kubernetes.client.CoreV1Api(client)

    scale = apps.read_namespaced_deployment_scale("web", "default")
    assert (scale.kind, scale.api_version) == ("Scale", "autoscaling/v1")
    assert (scale.spec.replicas, scale.status.selector) == (1, "app=web")
    scaled = apps.patch_namespaced_deployment_scale("web", "default", {"spec": {"replicas": 3}})
    assert scaled.spec.replicas == 3
    wait_for(lambda: len(web_pods(core)) == 3)

    apps.create_namespaced_replica_set("default", CACHE)
    wait_for(lambda: apps.read_namespaced_replica_set_scale("cache", "default").status.replicas)
    for _ in range(10):  # the controller writes the status too: retry on conflict, as e2e does
        rs_scale = apps.read_namespaced_replica_set_scale("cache", "default")
        assert (rs_scale.spec.replicas, rs_scale.status.selector) == (1, "app=cache")
        rs_scale.spec.replicas = 2
        try:
            replaced = apps.replace_namespaced_replica_set_scale("cache", "default", rs_scale)
            break
        except kubernetes.client.ApiException as conflict:
            assert conflict.status == 409
    assert replaced.spec.replicas == 2
    wait_for(
        lambda: len(core.list_namespaced_pod("default", label_selector="app=cache").items) == 2
    )

    status = apps.patch_namespaced_deployment_status(
        "web", "default", {"spec": {"paused": True}, "status": {"collisionCount": 4}}
    )
    assert status.status.collision_count == 4 and not status.spec.paused

    with pytest.raises(kubernetes.client.ApiException) as stale:
        rs_scale.spec.replicas = 1  # still carries the resourceVersion read before the PUT
        apps.replace_namespaced_replica_set_scale("cache", "default", rs_scale)
    assert stale.value.status == 409

    def eviction(name: str) -> Any:
        meta = kubernetes.client.V1ObjectMeta(name=name, namespace="default")
        return kubernetes.client.V1Eviction(metadata=meta)

    victim = web_pods(core)[0].metadata.name
    answered = core.create_namespaced_pod_eviction(victim, "default", eviction(victim))
    assert answered.kind == "Status"
    wait_for(lambda: victim not in [p.metadata.name for p in web_pods(core)])
    with pytest.raises(kubernetes.client.ApiException) as missing:
        core.create_namespaced_pod_eviction("nope", "default", eviction("nope"))
    assert missing.value.status == 404


def test_dry_run_field_validation_and_deletecollection_over_http(home: Path, daemon: None) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "solo", "labels": {"tier": "one"}},
        "spec": {"containers": [{"name": "c", "image": "nginx", "imagePullPolicee": "x"}]},
    }
    dry = http(home, "POST", f"{PODS}?dryRun=All", pod)
    assert dry.code == 201 and dry.json()["metadata"]["name"] == "solo"
    assert http(home, "GET", f"{PODS}/solo").code == 404

    strict = http(home, "POST", f"{PODS}?fieldValidation=Strict", pod)
    assert (strict.code, strict.json()["message"]) == (
        400,
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field '
        '"spec.containers[0].imagePullPolicee"',
    )
    warned = http(home, "POST", PODS, pod)  # Warn, the server's default
    assert warned.code == 201
    assert warned.headers["warning"] == (
        '299 - "unknown field \\"spec.containers[0].imagePullPolicee\\""'
    )
    assert "imagePullPolicee" not in warned.json()["spec"]["containers"][0]

    bad = http(home, "DELETE", f"{PODS}?dryRun=Yes&labelSelector=tier%3Done")
    assert (bad.code, bad.json()["reason"]) == (422, "Invalid")
    deleted = http(home, "DELETE", f"{PODS}?labelSelector=tier%3Done", {"gracePeriodSeconds": 0})
    assert deleted.code == 200 and deleted.json()["kind"] == "PodList"
    assert [p["metadata"]["name"] for p in deleted.json()["items"]] == ["solo"]
    wait_for(lambda: http(home, "GET", f"{PODS}/solo").code == 404)


BAD_WEB = WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.25").replace(
    "  replicas: 1\n", "  replicas: 1\n  foo: 1\n"
)


def test_kubectl_scales_patches_subresources_and_dry_runs(home: Path, daemon: None) -> None:
    scaled = kubectl(home, "scale", "deploy", "web", "--replicas=3")
    assert (scaled.code, scaled.out) == (0, "deployment.apps/web scaled\n"), scaled.err
    replicas = kubectl(home, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")
    assert replicas.out == "3"
    missing = kubectl(home, "scale", "deploy", "nope", "--replicas=1")
    assert (missing.code, missing.err) == (
        1,
        'Error from server (NotFound): deployments.apps "nope" not found\n',
    )
    scale = kubectl(home, "get", "deploy", "web", "--subresource=scale", "-o", "json")
    assert '"kind": "Scale"' in scale.out and '"selector": "app=web"' in scale.out
    status = kubectl(
        home,
        "patch",
        "deploy",
        "web",
        "--subresource=status",
        "--type=merge",
        "-p",
        '{"status":{"collisionCount":7}}',
        "-o",
        "jsonpath={.status.collisionCount}",
    )
    assert status.out == "7", status.err
    dry = kubectl(home, "delete", "deploy", "web", "--dry-run=server")
    assert dry.out == 'deployment.apps "web" deleted from default namespace (server dry run)\n'
    assert kubectl(home, "get", "deploy", "web", "-o", "name").out == "deployment.apps/web\n"


def test_kubectl_field_validation(home: Path, daemon: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_WEB.replace("name: web", "name: other"))
    strict = kubectl(home, "apply", "-f", str(bad))
    assert (strict.code, strict.err) == (
        1,
        f'Error from server (BadRequest): error when creating "{bad}": Deployment in version '
        '"v1" cannot be handled as a Deployment: strict decoding error: unknown field '
        '"spec.foo"\n',
    )
    warned = kubectl(home, "create", "-f", str(bad), "--validate=warn")
    assert (warned.code, warned.out) == (0, "deployment.apps/other created\n")
    assert warned.err == 'Warning: unknown field "spec.foo"\n'


def test_kubectl_drain_evicts(home: Path, daemon: None) -> None:
    node = wait_for(
        lambda: kubectl(home, "get", "pods", "-o", "jsonpath={.items[0].spec.nodeName}").out
    )
    drained = kubectl(home, "drain", node, "--ignore-daemonsets", "--force")
    assert drained.code == 0, drained.err
    assert "evicted" in drained.out and f"node/{node} drained" in drained.out
