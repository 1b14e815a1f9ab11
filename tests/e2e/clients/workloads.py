"""Bodies and waits the ported Kubernetes e2e scenarios share (test/e2e/framework)."""

from __future__ import annotations

from typing import Any

from kubernetes import client

from tests.e2e.clients.conftest import Kube, eventually

REVISION = "deployment.kubernetes.io/revision"


def pod_template(labels: dict[str, str], image: str, name: str = "httpd") -> dict[str, Any]:
    return {
        "metadata": {"labels": labels},
        "spec": {
            "containers": [{"name": name, "image": image}],
            "terminationGracePeriodSeconds": 0,
        },
    }


def deployment(
    name: str,
    replicas: int = 1,
    *,
    labels: dict[str, str] | None = None,
    image: str = "httpd:2.4.38-alpine",
    **spec: Any,
) -> Any:
    labels = labels or {"name": name}
    return client.V1Deployment.from_dict(
        {
            "metadata": {"name": name, "labels": labels},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": pod_template(labels, image),
                **spec,
            },
        }
    )


def replica_set(name: str, replicas: int, labels: dict[str, str], **meta: Any) -> Any:
    return client.V1ReplicaSet.from_dict(
        {
            "metadata": {"name": name, "labels": labels, **meta},  # as e2e's newRS labels it
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": pod_template(labels, "httpd:2.4.38-alpine"),
            },
        }
    )


def selector(labels: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items())


def complete(kube: Kube, name: str) -> Any:
    """deployment.go's DeploymentComplete: every replica updated and available, and the
    controller has seen the latest spec."""

    def done() -> Any:
        d = kube.apps.read_namespaced_deployment(name, kube.namespace)
        s = d.status
        return (
            d
            if s is not None
            and s.observed_generation is not None
            and s.observed_generation >= d.metadata.generation
            and (s.updated_replicas or 0) == d.spec.replicas
            and (s.replicas or 0) == d.spec.replicas
            and (s.available_replicas or 0) == d.spec.replicas
            else None
        )

    return eventually(done)


def replica_sets(kube: Kube, labels: dict[str, str]) -> list[Any]:
    return list(
        kube.apps.list_namespaced_replica_set(kube.namespace, label_selector=selector(labels)).items
    )


def pods(kube: Kube, labels: dict[str, str]) -> list[Any]:
    return list(
        kube.core.list_namespaced_pod(kube.namespace, label_selector=selector(labels)).items
    )


def running(kube: Kube, labels: dict[str, str], count: int) -> list[Any]:
    def enough() -> list[Any] | None:
        found = [
            p
            for p in pods(kube, labels)
            if p.status.phase == "Running" and p.metadata.deletion_timestamp is None
        ]
        return found if len(found) == count else None

    return eventually(enough)
