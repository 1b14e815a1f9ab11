"""A cluster's first state, and the API over its store without the controllers.

A new store gets its namespaces, the `kubernetes` Service, three Ready nodes and the default
StorageClass `standard`, as `minikube start --nodes 3` would leave them: the first node is the
control plane (kubeadm's `node-role.kubernetes.io/control-plane` label, so `get nodes` shows
its ROLES; minikube leaves it schedulable, without kubeadm's NoSchedule taint), and
kube-system runs CoreDNS behind the `kube-dns` Service (`controlplane.models.coredns`), whose
pods the controllers create like any Deployment's. Reading commands need only this (no
controllers, scheduler or kubelet to import); the controllers come with `controlplane.cluster`.
"""

from __future__ import annotations

from collections.abc import Callable

from controlplane.api.verbs import Api
from controlplane.clock import Clock, SystemClock
from controlplane.home import store_url
from controlplane.ids import Ids, RandomIds
from controlplane.store import Store

DEFAULT_NODES = 3
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
BOOTSTRAP_MANAGER = "mkctl"  # the writer of the cluster's own objects, and of writes naming none
# kubeadm labels its control-plane nodes so (cmd/kubeadm/app/constants LabelExcludeFromExternalLB)
EXCLUDE_FROM_EXTERNAL_LB = "node.kubernetes.io/exclude-from-external-load-balancers"


def node_names(count: int) -> list[str]:
    return [f"node-{i}" for i in range(1, count + 1)]


def bootstrap(api: Api, nodes: int = DEFAULT_NODES) -> bool:
    """A new cluster has its namespaces, `nodes` Ready nodes (three by default), the first
    the control plane, the default StorageClass, and CoreDNS's Deployment behind `kube-dns`;
    True if this call made them.

    Checked again under the write lock: processes opening a new file at once must not
    both bootstrap it (the second would fail with AlreadyExists).
    """
    if api.current_revision() > 0:
        return False  # every command but the first: what follows is not even imported
    from controlplane.api.services.kubernetes import (
        kubernetes_endpoint_slice,
        kubernetes_endpoints,
        kubernetes_service,
    )
    from controlplane.models import coredns
    from controlplane.models.node_registration import registered_node
    from controlplane.models.storage import default_storage_class

    now = api.clock.now()
    # the cluster's own objects, whoever opened the store first (the daemon, or mkctl in process)
    with api.batch(), api.acting_as(BOOTSTRAP_MANAGER):
        if api.current_revision() > 0:
            return False
        for namespace in NAMESPACES:
            api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        for obj in (kubernetes_service(), kubernetes_endpoints(), kubernetes_endpoint_slice()):
            api.create(obj)
        for index, name in enumerate(node_names(nodes)):
            node = registered_node(name, index, now)
            if index == 0:
                node["metadata"]["labels"] |= {
                    coredns.CONTROL_PLANE_ROLE: "",
                    EXCLUDE_FROM_EXTERNAL_LB: "",
                }
            api.create(node)
        api.create(coredns.config_map())
        api.create(coredns.deployment())
        api.create(coredns.service())
        api.create(default_storage_class())
    return True


def open_api(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    ids: Ids | None = None,
    when_new: Callable[[Api], object] | None = None,
    field_manager: str = BOOTSTRAP_MANAGER,
) -> Api:
    """The API over the store at `url` (`MKCTL_HOME`'s by default), bootstrapped if new;
    `when_new` then runs on it (embedded mode settles it, so CoreDNS's pods are there).
    `field_manager` names the writer of the writes that name none."""
    api = Api(Store(url or store_url()), clock or SystemClock(), ids or RandomIds(), field_manager)
    if bootstrap(api) and when_new is not None:
        when_new(api)
    return api
