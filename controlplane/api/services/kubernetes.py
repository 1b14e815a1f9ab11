"""The `kubernetes` Service in `default`, its Endpoints and EndpointSlice: how every cluster
reaches its API server, kept by kube-apiserver itself (pkg/controlplane/controller/
kubernetesservice, CreateOrUpdateMasterServiceIfNeeded, and pkg/controlplane/reconcilers,
the lease endpoint reconciler). It holds the first address of the service range, and points
at the API server on the first node, port 8443, as under minikube.
"""

from __future__ import annotations

from controlplane.api.services.allocation import KUBERNETES_SERVICE_IP
from controlplane.models.constants import SERVICE_NAME_LABEL, Obj

NAME = "kubernetes"
NAMESPACE = "default"
API_SERVER_IP = "192.168.49.2"
API_SERVER_PORT = 8443


def kubernetes_service() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": NAME,
            "namespace": NAMESPACE,
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": KUBERNETES_SERVICE_IP,
            "ports": [
                {"name": "https", "port": 443, "protocol": "TCP", "targetPort": API_SERVER_PORT}
            ],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
    }


def kubernetes_endpoints() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": NAME,
            "namespace": NAMESPACE,
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {
                "addresses": [{"ip": API_SERVER_IP}],
                "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}],
            }
        ],
    }


def kubernetes_endpoint_slice() -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": NAME, "namespace": NAMESPACE, "labels": {SERVICE_NAME_LABEL: NAME}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [API_SERVER_IP], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}],
    }
