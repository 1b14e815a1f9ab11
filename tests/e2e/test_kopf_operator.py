"""An operator written with kopf, run against mkctl's API server in seconds: the sample in
samples/operator turns a WebApp into a Deployment and a Service, keeps its status, and
cleans up behind a finalizer. Every step is checked through the API, with the official
Python client; the time from a fresh server to the operator's first reconcile is printed
(run with `-s` to see it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from minikubectl.testing import api_server
from tests.e2e.conftest import wait_for

kopf_testing = pytest.importorskip("kopf.testing")
kubernetes = pytest.importorskip("kubernetes")

OPERATOR = Path(__file__).parents[2] / "samples" / "operator"
GROUP, VERSION, PLURAL = "samples.mkctl.io", "v1", "webapps"
# A few seconds on a quiet machine; a loaded CI box (kopf's start-up is CPU-bound) gets more.
LOADED = 90.0


def gone(read: Callable[[], Any]) -> bool:
    try:
        read()
    except kubernetes.client.ApiException as exc:
        return exc.status == 404
    return False


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[float, Any]]:
    """A fresh API server with the WebApp CRD, when it started, and a client of it."""
    began = time.monotonic()
    with api_server(tmp_path / "home") as server:
        print(f"\nthe API server serves after {time.monotonic() - began:.2f} s")
        monkeypatch.setenv("KUBECONFIG", str(server.kubeconfig))
        client = kubernetes.config.new_client_from_config(config_file=str(server.kubeconfig))
        kubernetes.utils.create_from_yaml(client, str(OPERATOR / "crd.yaml"))
        yield began, client


def test_the_kopf_operator_reconciles_webapps(started: tuple[float, Any]) -> None:
    began, client = started
    custom = kubernetes.client.CustomObjectsApi(client)
    apps, core = kubernetes.client.AppsV1Api(client), kubernetes.client.CoreV1Api(client)
    args = ["run", "--standalone", "--all-namespaces", str(OPERATOR / "operator.py")]
    with kopf_testing.KopfRunner(args, timeout=60) as runner:
        webapp = {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "WebApp",
            "metadata": {"name": "hello"},
            "spec": {"image": "nginx:1.27"},
        }
        custom.create_namespaced_custom_object(GROUP, VERSION, "default", PLURAL, webapp)

        def read() -> Any:
            return custom.get_namespaced_custom_object(GROUP, VERSION, "default", PLURAL, "hello")

        # created: a Deployment and a Service, owned by the WebApp (defaults: 2 replicas)
        deployment = wait_for(
            lambda: (
                not gone(lambda: apps.read_namespaced_deployment("hello", "default"))
                and apps.read_namespaced_deployment("hello", "default")
            ),
            LOADED,
        )
        first_reconcile = time.monotonic() - began
        owner = read()
        assert deployment.metadata.owner_references[0].uid == owner["metadata"]["uid"]
        assert deployment.spec.replicas == 2
        service = core.read_namespaced_service("hello", "default")
        assert service.spec.selector == {"app": "hello"}
        assert "kopf.zalando.org/KopfFinalizerMarker" in owner["metadata"]["finalizers"]

        # status: the create handler's result, then Ready once both pods are
        wait_for(lambda: read().get("status", {}).get("phase") == "Ready", LOADED)
        status = read()["status"]
        assert status["create_fn"] == {"deployment": "hello", "service": "hello"}
        assert status["replicas"] == 2

        # update: the spec goes to the Deployment
        custom.patch_namespaced_custom_object(
            GROUP, VERSION, "default", PLURAL, "hello", {"spec": {"replicas": 3}}
        )
        wait_for(
            lambda: apps.read_namespaced_deployment("hello", "default").spec.replicas == 3, LOADED
        )
        wait_for(lambda: read()["status"].get("replicas") == 3, LOADED)

        # delete: held by kopf's finalizer until the Service and the Deployment are gone
        custom.delete_namespaced_custom_object(GROUP, VERSION, "default", PLURAL, "hello")
        wait_for(lambda: gone(read), LOADED)
        assert gone(lambda: core.read_namespaced_service("hello", "default"))
        wait_for(lambda: gone(lambda: apps.read_namespaced_deployment("hello", "default")), LOADED)
    assert runner.exception is None
    print(f"\nfrom a fresh API server to the operator's first reconcile: {first_reconcile:.2f} s")
