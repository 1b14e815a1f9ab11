"""Open a cluster: the store, the API over it, first-run bootstrap, and the controllers.

`Cluster.settle()` is embedded mode: run every controller until nothing is left to do now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controlplane.api.server import Api
from controlplane.clock import Clock, SystemClock, rfc3339
from controlplane.controllers.deployment import DeploymentController
from controlplane.controllers.garbage_collector import GarbageCollector
from controlplane.controllers.namespace import NamespaceController
from controlplane.controllers.replicaset import ReplicaSetController
from controlplane.ids import Ids, RandomIds
from controlplane.kubelet import Kubelet
from controlplane.models.constants import Obj
from controlplane.paths import home, store_url
from controlplane.runtime.manager import Manager
from controlplane.scheduler import Scheduler
from controlplane.store import Store

NODE_NAMES = ("node-1", "node-2", "node-3")
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
KUBELET_VERSION = "v1.34.0"

__all__ = ["Cluster", "home", "open_cluster", "store_url"]


def node_object(name: str, index: int, now: float) -> Obj:
    stamp = rfc3339(now)
    conditions = [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
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
            "conditions": [
                {
                    "type": t,
                    "status": s,
                    "reason": r,
                    "message": m,
                    "lastHeartbeatTime": stamp,
                    "lastTransitionTime": stamp,
                }
                for t, s, r, m in conditions
            ],
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


@dataclass
class Cluster:
    api: Api
    manager: Manager = field(init=False)

    def __post_init__(self) -> None:
        api = self.api
        self.manager = Manager(
            api,
            [
                DeploymentController(api, api.clock),
                ReplicaSetController(api),
                GarbageCollector(api),
                NamespaceController(api),
                Scheduler(api),
                Kubelet(api),
            ],
        )

    def bootstrap(self) -> None:
        """A new cluster has its namespaces and three Ready nodes."""
        if self.api.current_revision() > 0:
            return
        now = self.api.clock.now()
        with self.api.batch():
            for namespace in NAMESPACES:
                self.api.create(
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
                )
            for index, name in enumerate(NODE_NAMES):
                self.api.create(node_object(name, index, now))

    def settle(self) -> int:
        """Embedded mode: reconcile until the cluster has nothing left to do now."""
        return self.manager.run_until_settled()


def open_cluster(
    url: str | None = None, *, clock: Clock | None = None, ids: Ids | None = None
) -> Cluster:
    store = Store(url or store_url())
    cluster = Cluster(Api(store, clock or SystemClock(), ids or RandomIds()))
    cluster.bootstrap()
    return cluster
