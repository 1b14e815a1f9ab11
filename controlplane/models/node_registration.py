"""A node as its kubelet registers it: labels, pod CIDR, addresses, capacity and identity.

The bootstrap's nodes, `mkctl node add` and a Node created through the API (`kubectl apply`
of a Node manifest, which a real kubelet would have registered) all come out the same way:
the kubelet's standard labels (pkg/kubelet/kubelet_node_status.go initialNode), a pod CIDR
from the cluster's 10.244.0.0/16 (the node IPAM controller's range allocator,
pkg/controller/nodeipam/ipam/range_allocator.go), and the status the kubelet posts
(pkg/kubelet/nodestatus/setters.go: NodeAddress, MachineInfo, VersionInfo, ReadyCondition).
A node's place in the CIDR range also gives its InternalIP, so addresses never collide.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from controlplane.clock import rfc3339
from controlplane.models import version
from controlplane.models.constants import Obj
from controlplane.models.node_conditions import healthy_conditions

KUBELET_VERSION = version.GIT_VERSION  # nodes report the version the API server does
CAPACITY = {"cpu": "2", "memory": "8Gi", "pods": "110"}


def standard_labels(name: str) -> dict[str, str]:
    return {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }


def pod_cidr(index: int) -> str:
    return f"10.244.{index}.0/24"


def cidr_index(node: Obj) -> int | None:
    """The node's place in 10.244.0.0/16, or None before the allocator gave it a CIDR."""
    cidr = str((node.get("spec") or {}).get("podCIDR") or "")
    parts = cidr.split(".")
    if len(parts) == 4 and cidr.startswith("10.244.") and parts[2].isdigit():
        return int(parts[2])
    return None


def free_cidr_index(nodes: Iterable[Obj]) -> int:
    """The range allocator's choice: the lowest /24 no node holds."""
    used = {index for node in nodes if (index := cidr_index(node)) is not None}
    return next(i for i in range(len(used) + 1) if i not in used)


def machine_identity(name: str) -> dict[str, str]:
    """The ids a kubelet reads from its machine (setters.go MachineInfo): /etc/machine-id,
    the DMI product UUID and the kernel's boot id. Derived from the node's name, so a node
    keeps them; the official Python client refuses a NodeSystemInfo without them."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return {
        "machineID": digest[:32],
        "systemUUID": str(uuid.UUID(digest[32:64])),
        "bootID": str(uuid.UUID(digest[:32])),
    }


def kubelet_status(name: str, index: int, now: float) -> Obj:
    """The status a healthy kubelet posts for its node."""
    return {
        "addresses": [
            {"type": "InternalIP", "address": f"192.168.49.{index + 2}"},
            {"type": "Hostname", "address": name},
        ],
        "allocatable": dict(CAPACITY),
        "capacity": dict(CAPACITY),
        "conditions": healthy_conditions(rfc3339(now)),
        "nodeInfo": {
            **machine_identity(name),
            "architecture": "amd64",
            "containerRuntimeVersion": "containerd://1.7.27",
            "kernelVersion": "6.8.0-mkctl",
            "kubeProxyVersion": KUBELET_VERSION,
            "kubeletVersion": KUBELET_VERSION,
            "operatingSystem": "linux",
            "osImage": "mkctl fake node",
        },
    }


def registered_node(name: str, index: int, now: float) -> Obj:
    """A whole Node, as a kubelet creates it and the allocator gives it its CIDR."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": standard_labels(name)},
        "spec": {"podCIDR": pod_cidr(index), "podCIDRs": [pod_cidr(index)]},
        "status": kubelet_status(name, index, now),
    }


def needs_registration(node: Obj) -> bool:
    """A Node created through the API: no CIDR yet, or no status from a kubelet."""
    status = node.get("status") or {}
    return cidr_index(node) is None or not status.get("nodeInfo") or not status.get("conditions")
