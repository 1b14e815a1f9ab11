"""A kopf operator for the WebApp custom resource (crd.yaml): each WebApp becomes a
Deployment and a Service of the same name, owned by it; its status says where they are;
deleting it removes them first, behind kopf's finalizer.

Run it against mkctl's daemon (`mkctl cluster start`, then `kopf run --standalone -A
operator.py` with KUBECONFIG set to the daemon's kubeconfig), or from a test with
mkctl's `mkctl_api_server` fixture: see tests/e2e/test_kopf_operator.py.
"""

from __future__ import annotations

import os
from typing import Any

import kopf
import kubernetes

GROUP, VERSION, PLURAL = "samples.mkctl.io", "v1", "webapps"


@kopf.on.login()
def login_fn(**kwargs: Any) -> kopf.ConnectionInfo | None:
    """The server and bearer token of $KUBECONFIG (mkctl's daemon writes one)."""
    return kopf.login_with_kubeconfig(**kwargs)


def _clients() -> tuple[kubernetes.client.AppsV1Api, kubernetes.client.CoreV1Api]:
    config = kubernetes.config.new_client_from_config  # untyped upstream
    client = config(config_file=os.environ["KUBECONFIG"])  # type: ignore[no-untyped-call]
    return kubernetes.client.AppsV1Api(client), kubernetes.client.CoreV1Api(client)


def deployment_for(name: str, spec: kopf.Spec) -> Any:
    """The Deployment as JSON (the client takes dicts where it declares its models)."""
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": spec.get("replicas", 2),
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": spec["image"],
                            "ports": [{"containerPort": spec.get("port", 80)}],
                        }
                    ]
                },
            },
        },
    }


def service_for(name: str, spec: kopf.Spec) -> Any:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "selector": {"app": name},
            "ports": [{"port": spec.get("port", 80), "targetPort": spec.get("port", 80)}],
        },
    }


@kopf.on.create(GROUP, VERSION, PLURAL)
def create_fn(name: str, namespace: str | None, spec: kopf.Spec, **_: Any) -> dict[str, Any]:
    """The Deployment and the Service, owned by the WebApp (kopf.adopt); the returned dict
    lands in status.create_fn."""
    assert namespace is not None  # WebApps are namespaced
    apps, core = _clients()
    deployment, service = deployment_for(name, spec), service_for(name, spec)
    kopf.adopt([deployment, service])
    apps.create_namespaced_deployment(namespace, deployment)
    core.create_namespaced_service(namespace, service)
    return {"deployment": name, "service": name}


@kopf.on.update(GROUP, VERSION, PLURAL, field="spec")
def update_fn(name: str, namespace: str | None, spec: kopf.Spec, **_: Any) -> None:
    """A changed image or replica count goes to the Deployment."""
    assert namespace is not None
    apps, _core = _clients()
    patch = {"spec": deployment_for(name, spec)["spec"]}
    apps.patch_namespaced_deployment(name, namespace, patch)


@kopf.timer(GROUP, VERSION, PLURAL, interval=0.5, idle=0)
def observe_fn(name: str, namespace: str | None, patch: kopf.Patch, **_: Any) -> None:
    """status.phase and status.replicas follow the Deployment's ready replicas."""
    assert namespace is not None
    apps, _core = _clients()
    try:
        deployment = apps.read_namespaced_deployment(name, namespace)
    except kubernetes.client.ApiException:
        return
    ready = (deployment.status and deployment.status.ready_replicas) or 0
    wanted = (deployment.spec and deployment.spec.replicas) or 0
    patch.status["replicas"] = ready
    patch.status["phase"] = "Ready" if ready == wanted else "Progressing"


@kopf.on.delete(GROUP, VERSION, PLURAL)
def delete_fn(name: str, namespace: str | None, **_: Any) -> None:
    """Behind kopf's finalizer: the Service and the Deployment go before the WebApp does."""
    assert namespace is not None
    apps, core = _clients()
    for delete in (core.delete_namespaced_service, apps.delete_namespaced_deployment):
        try:
            delete(name, namespace)
        except kubernetes.client.ApiException as exc:
            if exc.status != 404:
                raise
