"""A cluster's first state, and the API over its store without the controllers.

A new store gets its namespaces, the `kubernetes` Service, three Ready nodes and the default
StorageClass `standard`, as `minikube start` would leave them.
Reading commands need only this (no controllers, scheduler or kubelet to import); the
controllers come with `controlplane.cluster`.
"""

from __future__ import annotations

from controlplane.api.services.kubernetes import (
    kubernetes_endpoint_slice,
    kubernetes_endpoints,
    kubernetes_service,
)
from controlplane.api.verbs import Api
from controlplane.clock import Clock, SystemClock
from controlplane.home import store_url
from controlplane.ids import Ids, RandomIds
from controlplane.models.node_registration import registered_node
from controlplane.models.storage import default_storage_class
from controlplane.store import Store

DEFAULT_NODES = 3
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def node_names(count: int) -> list[str]:
    return [f"node-{i}" for i in range(1, count + 1)]


def bootstrap(api: Api, nodes: int = DEFAULT_NODES) -> None:
    """A new cluster has its namespaces, `nodes` Ready nodes (three by default) and the
    default StorageClass.

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
        for obj in (kubernetes_service(), kubernetes_endpoints(), kubernetes_endpoint_slice()):
            api.create(obj)
        for index, name in enumerate(node_names(nodes)):
            api.create(registered_node(name, index, now))
        api.create(default_storage_class())


def open_api(url: str | None = None, *, clock: Clock | None = None, ids: Ids | None = None) -> Api:
    """The API over the store at `url` (`MKCTL_HOME`'s by default), bootstrapped if new."""
    api = Api(Store(url or store_url()), clock or SystemClock(), ids or RandomIds())
    bootstrap(api)
    return api
