"""Open a cluster: the store, the API over it, first-run bootstrap, and the controllers.

`Cluster.settle()` is embedded mode: run every controller until nothing is left to do now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controlplane.api.server import Api
from controlplane.clock import Clock, SystemClock, rfc3339
from controlplane.controllers.daemonset import DaemonSetController
from controlplane.controllers.deployment import DeploymentController
from controlplane.controllers.garbage_collector import GarbageCollector
from controlplane.controllers.namespace import NamespaceController
from controlplane.controllers.node_lifecycle import NodeLifecycleController
from controlplane.controllers.pod_gc import PodGarbageCollector
from controlplane.controllers.replicaset import ReplicaSetController
from controlplane.controllers.statefulset import StatefulSetController
from controlplane.ids import Ids, RandomIds
from controlplane.kubelet import Kubelet
from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.models.node_conditions import healthy_conditions
from controlplane.paths import home, store_url
from controlplane.runtime.lease import DAEMON, role_of
from controlplane.runtime.manager import Manager
from controlplane.scheduler import Scheduler
from controlplane.store import Store

NODE_NAMES = ("node-1", "node-2", "node-3")
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
KUBELET_VERSION = "v1.34.0"

__all__ = ["Cluster", "home", "open_cluster", "store_url"]


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


@dataclass
class Cluster:
    api: Api
    holder: str | None = None  # the controller-lease identity; a CLI's by default
    speed: float = 1.0  # how fast simulated waits pass (the daemon's --speed)
    manager: Manager = field(init=False)

    def __post_init__(self) -> None:
        api = self.api
        self.manager = Manager(
            api,
            [
                DeploymentController(api, api.clock),
                ReplicaSetController(api),
                StatefulSetController(api),
                DaemonSetController(api),
                GarbageCollector(api),
                NodeLifecycleController(api, self.speed),
                PodGarbageCollector(api),
                NamespaceController(api),
                Scheduler(api),
                Kubelet(api, self._kubelet_timing()),
            ],
            holder=self.holder,
        )

    def _kubelet_timing(self) -> Timing:
        """The daemon's pods take real (speed-scaled) time; embedded mode's take none."""
        daemon = self.holder is not None and role_of(self.holder) == DAEMON
        return Timing.realistic(self.speed) if daemon else Timing.instant()

    def bootstrap(self) -> None:
        """A new cluster has its namespaces and three Ready nodes.

        Checked again under the write lock: processes opening a new file at once must not
        both bootstrap it (the second would fail with AlreadyExists).
        """
        if self.api.current_revision() > 0:
            return
        now = self.api.clock.now()
        with self.api.batch():
            if self.api.current_revision() > 0:
                return
            for namespace in NAMESPACES:
                self.api.create(
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
                )
            for index, name in enumerate(NODE_NAMES):
                self.api.create(node_object(name, index, now))

    def reset(self) -> None:
        """Empty the store and bootstrap a new cluster in it."""
        self.api.store.reset()
        self.bootstrap()

    def settle(self) -> int:
        """Embedded mode: reconcile until the cluster has nothing left to do now.

        When a live daemon holds the controller lease it does the reconciling, and this
        returns at once: commands then only read and write, as kubectl does.
        """
        if self.manager.daemon_holds_lease():
            return 0
        return self.manager.run_until_settled()


def open_cluster(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    ids: Ids | None = None,
    holder: str | None = None,
    speed: float = 1.0,
) -> Cluster:
    store = Store(url or store_url())
    cluster = Cluster(Api(store, clock or SystemClock(), ids or RandomIds()), holder, speed)
    cluster.bootstrap()
    return cluster
