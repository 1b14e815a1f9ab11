"""scaler: keeps a Deployment's replicas at the count a ConfigMap names.

The ConfigMap `scaler` holds `deployment: NAME` and `replicas: N`. Each run reconciles once
(`python scaler.py`, with KUBECONFIG pointing at the cluster), as a CronJob would.
"""

from __future__ import annotations

from typing import Any

from kubernetes import client, config


def scale_patch(config_map: dict[str, Any], deployment: dict[str, Any]) -> dict[str, Any] | None:
    """The patch that gives `deployment` the ConfigMap's replicas, or None if it has them."""
    wanted = int(config_map["data"]["replicas"])
    if deployment["spec"].get("replicas") == wanted:
        return None
    return {"spec": {"replicas": wanted}}


def reconcile(api_client: client.ApiClient, namespace: str = "default") -> dict[str, Any] | None:
    core, apps = client.CoreV1Api(api_client), client.AppsV1Api(api_client)
    as_dict = api_client.sanitize_for_serialization
    config_map = as_dict(core.read_namespaced_config_map("scaler", namespace))
    name = config_map["data"]["deployment"]
    patch = scale_patch(config_map, as_dict(apps.read_namespaced_deployment(name, namespace)))
    if patch is not None:
        apps.patch_namespaced_deployment(name, namespace, patch)
    return patch


if __name__ == "__main__":
    reconcile(config.new_client_from_config())
