"""The CLI's only door to the cluster: one `ClusterApi` for every read and write.

With a daemon serving this CLI's store, the door is its Kubernetes REST API (`remote.py`):
nothing opens the store or imports the controllers, as with kubectl. Otherwise it is the
API in process over the store (embedded mode), and every write is followed by `settle()`,
which runs the controllers until the next command can see its effect. The commands call the
same verbs either way and cannot tell the two apart.

Here too is kubectl's client-side logic for single objects (set image, scale, cordon),
and namespaces; `manifest_writes` applies and creates files of manifests, all or nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import cached_property
from typing import TYPE_CHECKING, Any

from controlplane.api.registry import KindInfo
from controlplane.api.rollout import RolloutError
from controlplane.models.constants import CHANGE_CAUSE_ANNOTATION, Obj
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from types import ModuleType

    from controlplane.api.clusterapi import ClusterApi
    from controlplane.api.errors import ApiError
    from controlplane.api.server import Api
    from controlplane.cluster import Cluster
    from controlplane.daemon import DaemonStatus
    from minikubectl.manifests import Manifest
    from minikubectl.remote import RemoteApi

__all__ = ["Client", "RolloutError"]

# In embedded mode every read of the change log is preceded by a settle of the cluster.
EMBEDDED_POLL_SECONDS = 0.2
# The field managers kubectl names itself for its writes (`--field-manager` defaults).
CLIENT_SIDE_APPLY = "kubectl-client-side-apply"
SERVER_SIDE_APPLY = "kubectl"
CREATE = "kubectl-create"
LAST_APPLIED_MANAGER = "kubectl-last-applied"
SET = "kubectl-set"
PATCH = "kubectl-patch"


def _list_error(
    exc: ApiError, info: KindInfo, selector: str | None, field_selector: str | None
) -> ApiError:
    """kubectl's resource builder context on a failed list (EnhanceListError): `Unable to find
    "/v1, Resource=pods" that match label selector "...", field selector "...": <message>`."""
    if exc.reason not in ("BadRequest", "NotFound"):
        return exc
    version = info.api_version.rpartition("/")[2]
    resource = f"{info.group}/{version}, Resource={info.plural}"
    if selector or field_selector:
        exc.message = (
            f'Unable to find "{resource}" that match label selector "{selector or ""}", '
            f'field selector "{field_selector or ""}": {exc.message}'
        )
    else:
        exc.message = f'Unable to list "{resource}": {exc.message}'
    return exc


class Client:
    def __init__(self, namespace: str | None = None) -> None:
        from minikubectl.config import current_namespace

        # -n, else the current context's namespace (`mkctl config set-context`), else default.
        self.namespace = namespace or current_namespace() or "default"
        self.namespace_explicit = namespace is not None
        self.warnings: list[str] = []

    @cached_property
    def served(self) -> RemoteApi | None:
        """The REST API of a live daemon serving this CLI's store, if there is one."""
        from minikubectl.remote import daemon_api

        return daemon_api()

    @cached_property
    def api(self) -> ClusterApi:
        """The one door, for reads and writes: the daemon's API when one serves this store,
        else the API in process."""
        return self.served or self.local

    @cached_property
    def local(self) -> Api:
        """The API in process over the store (bootstrapped if new), without the controllers:
        embedded mode's door (its Tables and watches too), and what only the store can
        answer (`cluster reset`)."""
        from controlplane.bootstrap import open_api

        return open_api()

    @cached_property
    def cluster(self) -> Cluster:
        """The controllers too: only commands that settle or reset need them."""
        from controlplane.cluster import Cluster

        return Cluster(self.local)

    def rollout_helpers(self, info: KindInfo) -> ModuleType | None:
        """kubectl's per-kind rollout logic (history, undo, status ...), if the kind has any."""
        from controlplane.api.rollout import daemonset, deployment, statefulset

        return {"Deployment": deployment, "StatefulSet": statefulset, "DaemonSet": daemonset}.get(
            info.kind
        )

    # --- the daemon -------------------------------------------------------------------

    def daemon_status(self) -> DaemonStatus:
        from controlplane import daemon

        return daemon.status()

    def start_daemon(self, speed: float) -> int:
        from controlplane import daemon

        try:
            return daemon.start(speed)
        except daemon.DaemonError as exc:
            raise CliError(str(exc)) from exc

    def stop_daemon(self) -> int:
        from controlplane import daemon

        try:
            return daemon.stop()
        except daemon.DaemonError as exc:
            raise CliError(str(exc)) from exc

    def kubeconfig_path(self) -> str:
        """The daemon's kubeconfig for real clients, or a CliError when no daemon wrote it."""
        from controlplane import daemon

        path = daemon.kubeconfig_path()
        if not path.exists():
            raise CliError("no kubeconfig yet: start the daemon with 'mkctl cluster start'")
        return str(path)

    def reset(self, nodes: int) -> None:
        self.cluster.reset(nodes)

    def store_location(self) -> str:
        from controlplane.paths import store_url

        return store_url()

    @staticmethod
    def info(kind: str) -> KindInfo:
        from controlplane.api.registry import kind_info

        return kind_info(kind)

    def openapi_schemas(self, info: KindInfo) -> tuple[dict[str, Obj], str | None]:
        """The served OpenAPI v3 schemas, and the name of the one describing `info`'s kind."""
        from controlplane.api import openapi

        group, _, version = info.api_version.rpartition("/")
        return openapi.schemas(), openapi.root_for(group, info.kind, version)

    def settle(self, *, progress: bool = False) -> None:
        """Embedded mode: run the controllers until the cluster has caught up (with
        `progress`, showing it on a terminal: `minikubectl.progress`). With a live daemon
        serving or reconciling there is nothing to do, and no controller to import. A store
        that fails meanwhile (full, locked) is a warning: the write was acknowledged."""
        if self.served is not None:
            return
        from controlplane.runtime.lease import daemon_reconciles
        from controlplane.store.errors import StoreError
        from minikubectl.progress import settle_progress

        try:
            if not daemon_reconciles(self.local):
                with settle_progress(self.local, progress) as after_pass:
                    self.cluster.settle(after_pass)
        except StoreError as exc:
            # The write before this committed, so the command succeeded (and says so); the
            # controllers' work it caused is still owed, kept in the store for the next run.
            import sys

            print(
                f"Warning: the cluster has not caught up yet: {exc.message}; the next mkctl "
                "command or the daemon continues the work",
                file=sys.stderr,
            )

    def namespace_for(self, info: KindInfo, obj: Obj | None = None) -> str:
        if not info.namespaced:
            return ""
        given = ((obj or {}).get("metadata") or {}).get("namespace")
        return str(given or self.namespace)

    # --- reads --------------------------------------------------------------------------

    def get(self, info: KindInfo, name: str) -> Obj:
        return self.api.get(info.kind, self.namespace_for(info), name)

    def fetch(self, info: KindInfo, namespace: str, name: str) -> Obj | None:
        """The object in `namespace` (ignored for cluster-scoped kinds), or None if absent."""
        from controlplane.api.errors import ApiError

        try:
            return self.api.get(info.kind, namespace, name)
        except ApiError as exc:
            if exc.reason != "NotFound":
                raise
            return None

    def list_objects(
        self,
        info: KindInfo,
        *,
        all_namespaces: bool = False,
        selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        """A list request as kubectl's resource builder makes it (EnhanceListError included)."""
        namespace = None if all_namespaces else self.namespace_for(info)
        with self._list_errors(info, selector, field_selector):
            return self.api.list(
                info.kind,
                namespace,
                label_selector=(selector or "").strip() or None,
                field_selector=field_selector,
            )

    def table(
        self,
        info: KindInfo,
        name: str = "",
        *,
        all_namespaces: bool = False,
        selector: str | None = None,
        field_selector: str | None = None,
        include_object: str = "",
    ) -> Obj:
        """The API server's `meta.k8s.io/v1` Table of one object or of a list, as kubectl's
        human-readable `get` requests it: from the daemon over HTTP, else from the same handler
        in process."""
        from minikubectl.remote import TABLE_ACCEPT

        namespace = None if all_namespaces and not name else self.namespace_for(info)
        query = {
            key: value
            for key, value in (
                ("labelSelector", (selector or "").strip()),
                ("fieldSelector", field_selector),
                ("includeObject", include_object),
            )
            if value
        }
        with self._list_errors(info, selector, field_selector) if not name else nullcontext():
            if self.served is not None:
                return self.served.table(info, namespace, name, query)
            from controlplane.apiserver import handlers
            from controlplane.apiserver.paths import Route

            route = Route(info, namespace, name)
            multi = {key: [value] for key, value in query.items()}
            return handlers.handle(self.local, "GET", route, multi, b"", accept=TABLE_ACCEPT)[1]

    @contextmanager
    def _list_errors(
        self, info: KindInfo, selector: str | None, field_selector: str | None
    ) -> Iterator[None]:
        """A list request's errors as kubectl's resource builder reports them (EnhanceListError).

        A BadRequest or NotFound gets kubectl's context: `Unable to find "/v1, Resource=pods"
        that match label selector "...", field selector "...": <server message>`.
        """
        from controlplane.api.errors import ApiError

        try:
            yield
        except ApiError as exc:
            raise _list_error(exc, info, selector, field_selector) from None

    def watch(
        self,
        info: KindInfo,
        namespace: str | None,
        selector: str | None,
        *,
        initial: bool,
        resource_version: str = "",
    ) -> Iterator[tuple[str, Obj]]:
        """Every change after `resource_version`, or a watch-list as kubectl 1.37 makes it:
        with `initial`, every current object as ADDED and then the `k8s.io/initial-events-end`
        BOOKMARK, then every change, as (type, object). The daemon's stream over HTTP, or the
        same verb in process, settling the cluster before each read of the change log. Ends
        when the watch times out."""
        from controlplane.api.errors import ApiError

        label_selector = (selector or "").strip() or None
        send_initial_events = None if resource_version else initial
        try:
            if self.served is not None:
                yield from self.served.watch(
                    info.kind,
                    namespace,
                    label_selector=label_selector,
                    resource_version=resource_version,
                    send_initial_events=send_initial_events,
                )
                return
            import threading

            from controlplane.apiserver import watch

            options = watch.WatchOptions(
                resource_version=resource_version,
                send_initial_events=send_initial_events,
                allow_bookmarks=True,
                label_selector=label_selector,
            )
            opened = watch.open_watch(self.local, info, namespace, options)
        except ApiError as exc:
            raise _list_error(exc, info, selector, None) from None
        events = watch.events(
            opened, threading.Lock(), before_poll=self.settle, poll_seconds=EMBEDDED_POLL_SECONDS
        )
        yield from (event for event in events if event is not None)

    def events_for(self, obj: Obj) -> list[Obj]:
        """Events whose involvedObject is `obj` (by uid), as describe shows them."""
        uid = obj["metadata"]["uid"]
        namespace = obj["metadata"].get("namespace") or "default"
        return [
            e
            for e in self.api.list("Event", namespace)
            if e.get("involvedObject", {}).get("uid") == uid
        ]

    def owned(self, kind: str, owner: Obj) -> list[Obj]:
        """Objects of `kind` whose controller is `owner` (selected, then by ownerReference)."""
        from controlplane.api.clusterapi import controlled_by

        return controlled_by(self.api, kind, owner)

    # --- writes -------------------------------------------------------------------------

    def prepare(self, m: Manifest) -> tuple[KindInfo, Obj]:
        info = m.info
        obj = copy.deepcopy(m.obj)
        meta = obj.setdefault("metadata", {})
        if info.namespaced:
            given = meta.get("namespace")
            if given and given != self.namespace and self.namespace_explicit:
                raise CliError(
                    f'the namespace from the provided object "{given}" does not match the '
                    f"namespace \"{self.namespace}\". You must pass '--namespace={given}' to "
                    f"perform this operation."
                )
            meta["namespace"] = given or self.namespace
        return info, obj

    def create_object(self, obj: Obj, *, dry_run: bool = False) -> Obj:
        """Create one object a generator built (`create namespace NAME`)."""
        return self.api.create(obj, dry_run=dry_run)

    def delete(
        self, info: KindInfo, name: str, *, propagation: str, grace_period: int | None
    ) -> Obj:
        return self.api.delete(
            info.kind,
            self.namespace_for(info),
            name,
            propagation=propagation,
            grace_period_seconds=grace_period,
        )

    def scale(self, info: KindInfo, name: str, replicas: int, dry_run: str = "none") -> Obj:
        """The scale subresource: only spec.replicas changes (a client dry run sends nothing
        and, like kubectl, returns the object as it was)."""
        if dry_run == "client":
            return self.get(info, name)
        return self.api.patch(
            info.kind,
            self.namespace_for(info),
            name,
            {"spec": {"replicas": replicas}},
            "merge",
            dry_run=dry_run == "server",
        )

    def set_image(
        self,
        info: KindInfo,
        name: str,
        images: dict[str, str],
        dry_run: str = "none",
        record: str | None = None,
    ) -> Obj | None:
        """`kubectl set image`: the changed object, or None when nothing changed (kubectl then
        prints nothing). A client dry run sends nothing. `record` (the deprecated --record)
        goes in the change-cause annotation, in the same request as the images: a strategic
        merge patch from the object as read to the object changed, as kubectl sends it
        (staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go, CreateTwoWayMergePatch)."""
        from controlplane.api.apply import create_three_way_patch

        obj = self.get(info, name)
        read = copy.deepcopy(obj)
        spec = obj["spec"]["template"]["spec"] if "template" in obj.get("spec", {}) else obj["spec"]
        containers = [*spec.get("initContainers", []), *spec.get("containers", [])]
        for container_name in images:
            if container_name != "*" and not any(c["name"] == container_name for c in containers):
                raise CliError(f'unable to find container named "{container_name}"')
        changed = False
        for container in containers:
            image = images.get(container["name"], images.get("*"))
            if image is not None and container.get("image") != image:
                container["image"] = image
                changed = True
        if not changed:
            return None
        if dry_run == "client":
            return obj
        if record is not None and dry_run == "none":
            obj["metadata"].setdefault("annotations", {})[CHANGE_CAUSE_ANNOTATION] = record
        patch = create_three_way_patch(read, obj, read, info.kind)
        return self.api.patch(
            info.kind,
            self.namespace_for(info),
            name,
            patch,
            "strategic",
            dry_run=dry_run == "server",
            field_manager=SET,
        )

    def patch(
        self,
        info: KindInfo,
        obj: Obj,
        body: Any,
        patch_type: str,
        dry_run: str,
        *,
        field_manager: str = PATCH,
    ) -> Obj:
        """Patch `obj` (as read); a client dry run patches locally and sends nothing.

        A client-side patch fails as kubectl's local patch does (`error: ...`); a sent one with
        the server's Status.
        """
        meta = obj["metadata"]
        if dry_run != "client":
            return self.api.patch(
                info.kind,
                meta.get("namespace", ""),
                meta["name"],
                body,
                patch_type,
                dry_run=dry_run == "server",
                field_manager=field_manager,
            )
        from controlplane.api import patch as patches

        try:
            return patches.apply_patch(
                obj, patches.decode_body(body, patch_type), patch_type, info.kind
            )
        except patches.PatchError as exc:
            raise CliError(str(exc)) from exc

    def set_unschedulable(self, node: str, unschedulable: bool) -> bool:
        """Cordon (True) or uncordon (False) a node; False when it already was."""
        obj = self.api.get("Node", "", node)
        if bool(obj.get("spec", {}).get("unschedulable")) == unschedulable:
            return False
        self.api.patch(
            "Node", "", node, {"spec": {"unschedulable": unschedulable or None}}, "merge"
        )
        return True

    def pods_on_node(self, node: str) -> list[Obj]:
        """Active pods bound to a node, in every namespace (drain's candidates)."""
        self.api.get("Node", "", node)
        return [
            p
            for p in self.api.list("Pod")
            if p["spec"].get("nodeName") == node and not p["metadata"].get("deletionTimestamp")
        ]

    def set_kubelet_running(self, node: str, running: bool) -> None:
        """Start or stop a node's simulated kubelet (see controllers/node_lifecycle.py)."""
        from controlplane.clock import rfc3339
        from controlplane.models.node_conditions import KUBELET_STOPPED_ANNOTATION

        stamp = None if running else rfc3339(self.api.clock.now())
        patch = {"metadata": {"annotations": {KUBELET_STOPPED_ANNOTATION: stamp}}}
        self.api.patch("Node", "", node, patch, "merge")

    def evict(self, pods: list[Obj]) -> None:
        """The Eviction API, without PodDisruptionBudgets: a graceful delete of each pod."""
        with self.api.batch():
            for pod in pods:
                meta = pod["metadata"]
                self.api.delete("Pod", meta["namespace"], meta["name"], uid=meta["uid"])

    def merge_patch(self, info: KindInfo, name: str, patch: Obj) -> Obj:
        """A JSON merge patch, as `kubectl label` sends one (`null` removes a key)."""
        return self.api.patch(info.kind, self.namespace_for(info), name, patch, "merge")

    def add_node(self, name: str, labels: dict[str, str]) -> Obj:
        """A new Ready node like the bootstrap ones, on the first free pod CIDR and address."""
        from controlplane.models.node_registration import free_cidr_index, registered_node

        index = free_cidr_index(self.api.list("Node"))
        node = registered_node(name, index, self.api.clock.now())
        node["metadata"]["labels"].update(labels)
        return self.api.create(node)
