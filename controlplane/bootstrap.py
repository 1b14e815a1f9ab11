"""A cluster's first state, and the API over its store without the controllers.

A new store gets its namespaces and three Ready nodes, as `minikube start` would leave them.
Reading commands need only this (no controllers, scheduler or kubelet to import); the
controllers come with `controlplane.cluster`.
"""

from __future__ import annotations

from controlplane.api.server import Api
from controlplane.clock import Clock, SystemClock, rfc3339
from controlplane.ids import Ids, RandomIds
from controlplane.models import version
from controlplane.models.constants import Obj
from controlplane.models.node_conditions import healthy_conditions
from controlplane.paths import store_url
from controlplane.store import Store

NODE_NAMES = ("node-1", "node-2", "node-3")
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
KUBELET_VERSION = version.GIT_VERSION


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


def bootstrap(api: Api) -> None:
    """A new cluster has its namespaces and three Ready nodes.

    Checked again under the write lock: processes opening a new file at once must not
    both bootstrap it (the second would fail with AlreadyExists).
    """
    if api.current_revision() > 0:
        return
    now = api.clock.now()
    with api.batch():
        if api.current_revision() > 0:
            return
        for namespace in NAMESPACES:
            api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        for index, name in enumerate(NODE_NAMES):
            api.create(node_object(name, index, now))


def open_api(url: str | None = None, *, clock: Clock | None = None, ids: Ids | None = None) -> Api:
    """The API over the store at `url` (`MKCTL_HOME`'s by default), bootstrapped if new."""
    api = Api(Store(url or store_url()), clock or SystemClock(), ids or RandomIds())
    bootstrap(api)
    return api
