"""Open a cluster: the bootstrapped API over the store (see `bootstrap`), and the controllers.

`Cluster.settle()` is embedded mode: run every controller until nothing is left to do now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from controlplane.api.verbs import Api
from controlplane.bootstrap import DEFAULT_NODES, bootstrap, open_api
from controlplane.clock import Clock
from controlplane.controllers.crd_finalizer import CRDFinalizer
from controlplane.controllers.cronjob import CronJobController
from controlplane.controllers.daemonset import DaemonSetController
from controlplane.controllers.deployment import DeploymentController
from controlplane.controllers.endpoint import EndpointsController, EndpointSliceController
from controlplane.controllers.garbage_collector import GarbageCollector
from controlplane.controllers.job import JobController
from controlplane.controllers.namespace import NamespaceController
from controlplane.controllers.node_lifecycle import NodeLifecycleController
from controlplane.controllers.persistentvolume import (
    PersistentVolumeController,
    StorageProtectionController,
)
from controlplane.controllers.pod_gc import PodGarbageCollector
from controlplane.controllers.replicaset import ReplicaSetController
from controlplane.controllers.statefulset import StatefulSetController
from controlplane.controllers.ttl_after_finished import TTLAfterFinishedController
from controlplane.home import home, store_url
from controlplane.ids import Ids
from controlplane.kubelet import Kubelet
from controlplane.kubelet.timing import Timing
from controlplane.runtime.heap import freeze_survivors_of_full_collections
from controlplane.runtime.housekeeping import Housekeeping
from controlplane.runtime.lease import DAEMON, LeaderElectionConfig, role_of
from controlplane.runtime.manager import Manager
from controlplane.scheduler import Scheduler

__all__ = ["Cluster", "home", "open_cluster", "store_url"]


@dataclass
class Cluster:
    api: Api
    holder: str | None = None  # the controller-lease identity; a CLI's by default
    speed: float = 1.0  # how fast simulated waits pass (the daemon's --speed)
    timing: Timing | None = None  # the kubelet's stages; by default as below
    election: LeaderElectionConfig | None = None  # kube-controller-manager's 15/10/2 s
    manager: Manager = field(init=False)

    def __post_init__(self) -> None:
        api = self.api
        clock, ids = api.clock, api.ids  # every controller: (its reads, the clock, the ids)
        self.manager = Manager(
            api,
            [
                DeploymentController(api, clock, ids),
                ReplicaSetController(api, clock, ids),
                StatefulSetController(api, clock, ids),
                PersistentVolumeController(
                    api, clock, ids
                ),  # before the scheduler: claims bind first
                DaemonSetController(api, clock, ids),
                JobController(api, clock, ids),
                CronJobController(api, clock, ids),
                TTLAfterFinishedController(api, clock, ids),
                GarbageCollector(api, clock, ids),
                CRDFinalizer(api, clock, ids),
                NodeLifecycleController(api, clock, ids, speed=self.speed),
                PodGarbageCollector(api, clock, ids),
                NamespaceController(api, clock, ids),
                EndpointsController(api, clock, ids),
                EndpointSliceController(api, clock, ids),
                StorageProtectionController(api, clock, ids),
                Scheduler(api),
                Kubelet(api, self._kubelet_timing()),
            ],
            holder=self.holder,
            housekeeping=Housekeeping(api, self.speed).run_if_due,
            election=self.election,
        )

    def _kubelet_timing(self) -> Timing:
        """The daemon's pods take real (speed-scaled) time; embedded mode's take none."""
        if self.timing is not None:
            return self.timing
        daemon = self.holder is not None and role_of(self.holder) == DAEMON
        return Timing.realistic(self.speed) if daemon else Timing.instant()

    def reset(self, nodes: int = DEFAULT_NODES) -> None:
        """Empty the store and bootstrap a new cluster of `nodes` nodes in it."""
        self.api.reset_store()
        bootstrap(self.api, nodes)

    def settle(self, after_pass: Callable[[], None] | None = None) -> int:
        """Embedded mode: reconcile until the cluster has nothing left to do now, calling
        `after_pass` after each pass of a controller.

        When a live daemon holds the controller lease it does the reconciling, and this
        returns at once: commands then only read and write, as kubectl does. Otherwise
        the controllers' informer is saved for the next command to resume from, when
        that spares it much reading (`Api.save_informer`).
        """
        if self.manager.daemon_holds_lease():
            return 0
        passes = self.manager.run_until_settled(after_pass=after_pass)
        self.api.save_informer()  # for the next command's controllers to start from
        return passes


def process_cluster(api: Api) -> Cluster:
    """The cluster of a process that exists to run it (an embedded mkctl command): its
    controllers' passes freeze what survives full collections (runtime/heap.py). A program
    that embeds a cluster among its own objects (the pytest fixtures) builds `Cluster`."""
    freeze_survivors_of_full_collections()
    return Cluster(api)


def open_cluster(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    ids: Ids | None = None,
    holder: str | None = None,
    speed: float = 1.0,
    election: LeaderElectionConfig | None = None,
) -> Cluster:
    """The daemon's cluster (or a command's while it stands in for one), over the store at
    `url`; like `process_cluster`, it freezes what survives full collections."""
    freeze_survivors_of_full_collections()
    return Cluster(open_api(url, clock=clock, ids=ids), holder, speed, election=election)
