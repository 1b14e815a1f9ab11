"""What a new Ready node of mkctl's simulated cluster looks like: the bootstrap's three, and
those `mkctl node add` creates (through the API, so the CLI needs no store to build one)."""

from __future__ import annotations

from controlplane.clock import rfc3339
from controlplane.models.constants import Obj
from controlplane.models.node_conditions import healthy_conditions

KUBELET_VERSION = "v1.34.0"


def node_object(name: str, index: int, now: float) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
            },
        },
        "spec": {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"]},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": f"192.168.49.{index + 2}"},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": {"cpu": "2", "memory": "8Gi", "pods": "110"},
            "capacity": {"cpu": "2", "memory": "8Gi", "pods": "110"},
            "conditions": healthy_conditions(rfc3339(now)),
            "nodeInfo": {
                "architecture": "amd64",
                "containerRuntimeVersion": "containerd://1.7.27",
                "kernelVersion": "6.8.0-mkctl",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "operatingSystem": "linux",
                "osImage": "mkctl fake node",
            },
        },
    }
