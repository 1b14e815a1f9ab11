"""The CLI's only door to the cluster: one `ClusterApi` for every read and write.

With a daemon serving this CLI's store, the door is its Kubernetes REST API (`remote.py`):
nothing opens the store or imports the controllers, as with kubectl. Otherwise it is the
API in process over the store (embedded mode), and every write is followed by `settle()`,
which runs the controllers until the next command can see its effect. The commands call the
same verbs either way and cannot tell the two apart.

kubectl's client-side logic (apply's merge, set image, rollout, drain) is in `kubectl/`;
`manifest_writes` applies and creates files of manifests, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from functools import cached_property
from typing import TYPE_CHECKING, Any

from controlplane.api.registry import KindInfo
from controlplane.models.constants import CHANGE_CAUSE_ANNOTATION, Obj
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from controlplane.api.clusterapi import ClusterApi
    from controlplane.api.verbs import Api
    from controlplane.cluster import Cluster
    from minikubectl.remote import RemoteApi

# In embedded mode every read of the change log is preceded by a settle of the cluster.
EMBEDDED_POLL_SECONDS = 0.2
# The field managers kubectl names itself for its writes (`--field-manager` defaults).
CLIENT_SIDE_APPLY = "kubectl-client-side-apply"
SERVER_SIDE_APPLY = "kubectl"
CREATE = "kubectl-create"
LAST_APPLIED_MANAGER = "kubectl-last-applied"
SET = "kubectl-set"
PATCH = "kubectl-patch"


class Client:
    def __init__(self, namespace: str | None = None, *, field_validation: str = "") -> None:
        """`field_validation` is the fieldValidation of `--validate` (apply, create, replace,
        edit), sent with every write; the other commands send none, as kubectl's do."""
        from minikubectl.config import current_namespace
        from minikubectl.globalflags import FLAGS

        # -n (the command's own, or given before the verb), else the namespace of the context
        # in use (`mkctl config set-context`, `--context`), else default.
        namespace = namespace or FLAGS.namespace
        self.namespace = namespace or current_namespace() or "default"
        self.namespace_explicit = namespace is not None
        self.warnings: list[str] = []
        self.field_validation = field_validation

    @cached_property
    def served(self) -> RemoteApi | None:
        """The REST API of the server the kubeconfig in use names with a token (a learner's),
        else of a live daemon serving this CLI's store, if there is one."""
        from minikubectl.servers import daemon_api, kubeconfig_api

        served = kubeconfig_api() or daemon_api()
        if served is not None:
            served.field_validation = self.field_validation
        return served

    @cached_property
    def api(self) -> ClusterApi:
        """The one door, for reads and writes: the daemon's API when one serves this store,
        else the API in process (with what the API server does around a write)."""
        if self.served is not None:
            return self.served
        from minikubectl.local_api import LocalApi

        return LocalApi(self.local, self.field_validation)

    @cached_property
    def local(self) -> Api:
        """The API in process over the store (bootstrapped if new), without the controllers:
        embedded mode's door (its Tables and watches too), and what only the store can
        answer (`cluster reset`)."""
        from controlplane.bootstrap import open_api
        from minikubectl.kubectl.wire import USER_AGENT_PRODUCT

        def settle_new_cluster(api: Api) -> None:
            # a store just bootstrapped: its first command already sees kube-system's pods
            from controlplane.cluster import process_cluster

            process_cluster(api).settle()

        # a write naming no fieldManager is recorded as the daemon records ours (User-Agent)
        return open_api(when_new=settle_new_cluster, field_manager=USER_AGENT_PRODUCT)

    @cached_property
    def cluster(self) -> Cluster:
        """The controllers too: only commands that settle or reset need them."""
        from controlplane.cluster import process_cluster

        return process_cluster(self.local)

    def reset(self, nodes: int) -> None:
        self.cluster.reset(nodes)
        self.cluster.settle()  # as a new store's first run: kube-system's pods are there

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
        from minikubectl.kubectl.builder import list_errors

        namespace = None if all_namespaces else self.namespace_for(info)
        with list_errors(info, selector, field_selector):
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
        limit: int = 0,
        continue_token: str = "",
    ) -> Obj:
        """The server's Table of one object or of a list (a chunk, with `limit`), as get asks."""
        from minikubectl.kubectl.builder import list_errors
        from minikubectl.kubectl.wire import TABLE_ACCEPT

        namespace = None if all_namespaces and not name else self.namespace_for(info)
        query = {
            key: value
            for key, value in (
                ("continue", continue_token),
                ("fieldSelector", field_selector),
                ("includeObject", include_object),
                ("labelSelector", (selector or "").strip()),
                ("limit", str(limit) if limit > 0 else ""),
            )
            if value
        }
        with list_errors(info, selector, field_selector) if not name else nullcontext():
            if self.served is not None:
                return self.served.table(info, namespace, name, query)
            from controlplane.apiserver import handlers
            from controlplane.apiserver.paths import Route

            route = Route(info, namespace, name)
            multi = {key: [value] for key, value in query.items()}
            return handlers.handle(self.local, "GET", route, multi, b"", accept=TABLE_ACCEPT)[1]

    def watch(
        self,
        info: KindInfo,
        namespace: str | None,
        selector: str | None,
        *,
        initial: bool,
        field_selector: str | None = None,
        resource_version: str = "",
        timeout_seconds: int | None = None,
    ) -> Iterator[tuple[str, Obj]]:
        """Every change after `resource_version`, or a watch-list as kubectl 1.37 makes it:
        with `initial`, every current object as ADDED and then the `k8s.io/initial-events-end`
        BOOKMARK, then every change, as (type, object). The daemon's stream over HTTP, or the
        same verb in process, settling the cluster before each read of the change log. Ends
        when the watch times out (after `timeout_seconds`, when given)."""
        from controlplane.api.errors import ApiError
        from minikubectl.kubectl.builder import enhance_list_error

        label_selector = (selector or "").strip() or None
        send_initial_events = None if resource_version else initial
        try:
            if self.served is not None:
                yield from self.served.watch(
                    info.kind,
                    namespace,
                    label_selector=label_selector,
                    field_selector=field_selector,
                    resource_version=resource_version,
                    send_initial_events=send_initial_events,
                    timeout_seconds=timeout_seconds,
                )
                return
            import dataclasses
            import threading

            from controlplane.apiserver import watch

            options = watch.WatchOptions(
                resource_version=resource_version,
                send_initial_events=send_initial_events,
                allow_bookmarks=True,
                label_selector=label_selector,
                field_selector=field_selector,
            )
            if timeout_seconds is not None:
                options = dataclasses.replace(options, timeout_seconds=float(timeout_seconds))
            opened = watch.open_watch(self.local, info, namespace, options)
        except ApiError as exc:
            raise enhance_list_error(exc, info, selector, field_selector) from None
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

    def create_object(self, obj: Obj, *, dry_run: bool = False, field_manager: str = CREATE) -> Obj:
        """Create one object a generator built (`create namespace NAME`); `run` and `expose`
        name themselves as the writer, the `create` generators `kubectl-create`."""
        return self.api.create(obj, dry_run=dry_run, field_manager=field_manager)

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

    def scale_request(self, info: KindInfo, obj: Obj, verb: str, body: bytes, dry_run: bool) -> Obj:
        """One request on `obj`'s scale subresource as kubectl's scale client sends it (a
        merge patch or a JSON Scale, with no fieldManager and no fieldValidation): to the
        daemon over HTTP, else answered in process by the API server's handler."""
        from controlplane.apiserver.paths import Route, resource_path
        from minikubectl.kubectl.wire import PATCH_CONTENT_TYPES

        namespace, name = obj["metadata"].get("namespace", ""), obj["metadata"]["name"]
        content_type = PATCH_CONTENT_TYPES["merge"] if verb == "PATCH" else "application/json"
        if self.served is not None:
            path = resource_path(info, namespace, name, "scale") + (
                "?dryRun=All" if dry_run else ""
            )
            return self.served.request(
                verb, path, body, content_type=content_type, accept="application/json, */*"
            )
        from controlplane.apiserver import handlers

        route = Route(info, namespace, name, "scale")
        query = {"dryRun": ["All"]} if dry_run else {}
        return handlers.handle(self.local, verb, route, query, body, content_type)[1]

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
        import copy

        from minikubectl.kubectl.apply import create_three_way_patch
        from minikubectl.kubectl.set_image import set_images

        obj = self.get(info, name)
        read = copy.deepcopy(obj)
        if not set_images(obj, images):
            return None
        if dry_run == "client":
            return obj
        if record is not None and dry_run == "none":
            obj["metadata"].setdefault("annotations", {})[CHANGE_CAUSE_ANNOTATION] = record
        patch = create_three_way_patch(read, obj, read, info.kind)
        return self.patch(info, read, patch, "strategic", dry_run, field_manager=SET)

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
