"""A Service's defaults, ported from pkg/apis/core/v1/defaults.go (SetDefaults_Service).

`type: ClusterIP`, `sessionAffinity: None`, each port's `protocol: TCP` and `targetPort` the
port itself, `internalTrafficPolicy: Cluster` for the types that have cluster IPs,
`externalTrafficPolicy: Cluster` for externally reachable ones. The cluster IPs and their
families come from the allocator (see `allocation`), not from defaulting.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj

CLUSTER_IP = "ClusterIP"
NODE_PORT = "NodePort"
LOAD_BALANCER = "LoadBalancer"
EXTERNAL_NAME = "ExternalName"
SERVICE_TYPES = [CLUSTER_IP, EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT]
HEADLESS = "None"


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


def externally_accessible(spec: dict[str, Any]) -> bool:
    """pkg/api/v1/service/util.go ExternallyAccessible."""
    kind = spec.get("type")
    return kind in (LOAD_BALANCER, NODE_PORT) or (
        kind == CLUSTER_IP and bool(spec.get("externalIPs"))
    )


def default_service(obj: Obj) -> None:
    """SetDefaults_Service, and the empty status PrepareForCreate leaves."""
    spec = _spec(obj)
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if not spec.get("type"):
        spec["type"] = CLUSTER_IP
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] != EXTERNAL_NAME:
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == LOAD_BALANCER and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    status.setdefault("loadBalancer", {})
