"""The CLI's only door to the cluster: a facade over `controlplane.api`.

It opens the cluster lazily (the store is imported only when a command needs it),
resolves namespaces, implements kubectl's client-side logic (declarative apply, set image,
scale) and, in embedded mode, settles the cluster after every write so that the next
command sees its effect.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from controlplane.api.registry import KindInfo
from controlplane.api.rollout import RolloutError
from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.errors import CliError, render_api_error

if TYPE_CHECKING:
    from types import ModuleType

    from controlplane.api.errors import ApiError
    from controlplane.api.server import Api
    from controlplane.cluster import Cluster
    from controlplane.daemon import DaemonStatus
    from minikubectl.manifests import Manifest
    from minikubectl.remote import RemoteApi

MISSING_LAST_APPLIED = (
    "Warning: resource {resource}/{name} is missing the "
    "kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl "
    "apply. kubectl apply should only be used on resources created declaratively by either "
    "kubectl create --save-config or kubectl apply. The missing annotation will be patched "
    "automatically."
)


__all__ = ["Client", "Outcome", "RolloutError", "WriteFailed"]

# In embedded mode every read of the change log is preceded by a settle of the cluster.
EMBEDDED_POLL_SECONDS = 0.2


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


class WriteFailed(Exception):
    """Some documents of a write failed: nothing was written; each message is kubectl's."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Outcome:
    """What happened to one object: `deployment.apps/web created`, and the object itself."""

    info: KindInfo
    name: str
    verb: str
    obj: Obj | None = None

    def __str__(self) -> str:
        return f"{self.info.kind_group}/{self.name} {self.verb}"


DRY_RUN_SUFFIX = {"client": " (dry run)", "server": " (server dry run)"}
# The field managers kubectl names itself for its writes (`--field-manager` defaults).
CLIENT_SIDE_APPLY = "kubectl-client-side-apply"
SERVER_SIDE_APPLY = "kubectl"
CREATE = "kubectl-create"
LAST_APPLIED_MANAGER = "kubectl-last-applied"


def _key(obj: Obj) -> tuple[str, str, str]:
    return obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


# staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go fieldManagerConflictErrFmt
FIELD_MANAGER_CONFLICT_HELP = """\
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""


def render_server_side_apply_error(exc: ApiError) -> str:
    """apply.go wraps a conflict with its advice, which makes it a plain `error: ...`."""
    if exc.reason == "Conflict" and any(c.type == "FieldManagerConflict" for c in exc.causes):
        return f"error: {exc.message}\n{FIELD_MANAGER_CONFLICT_HELP}"
    return render_api_error(exc)


def last_applied(obj: Obj) -> str:
    """kubectl's last-applied value: the manifest as compact JSON with sorted keys."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


class Client:
    def __init__(self, namespace: str | None = None) -> None:
        from minikubectl.config import current_namespace

        # -n, else the current context's namespace (`mkctl config set-context`), else default.
        self.namespace = namespace or current_namespace() or "default"
        self.namespace_explicit = namespace is not None
        self.warnings: list[str] = []

    @cached_property
    def api(self) -> Api:
        """The API over the store (bootstrapped if new), without the controllers."""
        from controlplane.bootstrap import open_api

        return open_api()

    @cached_property
    def cluster(self) -> Cluster:
        """The controllers too: only commands that settle or reset need them."""
        from controlplane.cluster import Cluster

        return Cluster(self.api)

    @cached_property
    def reader(self) -> Api | RemoteApi:
        """Where reads go: a live daemon's REST API (no store to open on the read path, as
        with kubectl), else the store itself."""
        from minikubectl.remote import daemon_api

        return daemon_api() or self.api

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
        return self.api.store.url

    @staticmethod
    def info(kind: str) -> KindInfo:
        from controlplane.api.registry import kind_info

        return kind_info(kind)

    def openapi_schemas(self, info: KindInfo) -> tuple[dict[str, Obj], str | None]:
        """The served OpenAPI v3 schemas, and the name of the one describing `info`'s kind."""
        from controlplane.api import openapi

        group, _, version = info.api_version.rpartition("/")
        return openapi.schemas(), openapi.root_for(group, info.kind, version)

    def settle(self) -> None:
        """Embedded mode: run the controllers until the cluster has caught up. With a live
        daemon reconciling there is nothing to do, and no controller to import. A store that
        fails meanwhile (full, locked) is a warning: the write itself was acknowledged."""
        from controlplane.runtime.lease import daemon_reconciles
        from controlplane.store.errors import StoreError

        try:
            if not daemon_reconciles(self.api):
                self.cluster.settle()
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
        return self.reader.get(info.kind, self.namespace_for(info), name)

    def fetch(self, info: KindInfo, namespace: str, name: str) -> Obj | None:
        """The object in `namespace` (ignored for cluster-scoped kinds), or None if absent."""
        from controlplane.api.errors import ApiError

        try:
            return self.reader.get(info.kind, namespace, name)
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
            return self.reader.list(
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
        from minikubectl.remote import TABLE_ACCEPT, RemoteApi

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
            reader = self.reader
            if isinstance(reader, RemoteApi):
                return reader.table(info, namespace, name, query)
            from controlplane.apiserver import handlers
            from controlplane.apiserver.paths import Route

            route = Route(info, namespace, name)
            multi = {key: [value] for key, value in query.items()}
            return handlers.handle(reader, "GET", route, multi, b"", accept=TABLE_ACCEPT)[1]

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
        from minikubectl.remote import RemoteApi

        label_selector = (selector or "").strip() or None
        send_initial_events = None if resource_version else initial
        reader = self.reader
        try:
            if isinstance(reader, RemoteApi):
                yield from reader.watch(
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
            opened = watch.open_watch(self.api, info, namespace, options)
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
            for e in self.reader.list("Event", namespace)
            if e.get("involvedObject", {}).get("uid") == uid
        ]

    def owned(self, kind: str, owner: Obj) -> list[Obj]:
        """Objects of `kind` whose controller is `owner`."""
        return self.api.list(
            kind, owner["metadata"].get("namespace"), controller_uid=owner["metadata"]["uid"]
        )

    # --- writes -------------------------------------------------------------------------

    @contextmanager
    def all_or_nothing(self) -> Iterator[list[str]]:
        """Collect per-document errors; if any, roll every write of the block back."""
        from controlplane.api.errors import ApiError

        errors: list[str] = []
        try:
            with self.api.batch():
                yield errors
                if errors:
                    raise WriteFailed(errors)
        except ApiError as exc:
            raise WriteFailed([*errors, render_api_error(exc)]) from exc

    def apply(self, manifests: list[Manifest], dry_run: str = "none") -> list[Outcome]:
        """`kubectl apply`: create, or three-way merge against last-applied (all or nothing).

        A client dry run sends nothing: new objects are `created (dry run)`, existing ones
        `configured (dry run)` (kubectl does not merge locally); a server dry run goes the whole
        way and writes nothing.
        """
        from controlplane import failpoints
        from controlplane.api.errors import ApiError

        outcomes: list[Outcome] = []
        with self.all_or_nothing() as errors:
            for m in manifests:
                verb = "creating"
                try:
                    outcome, verb = self._apply_one(m, dry_run)
                    outcome.verb += DRY_RUN_SUFFIX.get(dry_run, "")
                    outcomes.append(outcome)
                except ApiError as exc:
                    errors.append(render_api_error(exc, verb=verb, source=m.source))
                failpoints.hit("apply.after-document")
        return outcomes

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

    def _apply_one(self, m: Manifest, dry_run: str) -> tuple[Outcome, str]:
        from controlplane.api.apply import apply_merge
        from controlplane.api.errors import ApiError

        info, modified = self.prepare(m)
        annotations = modified["metadata"].setdefault("annotations", {})
        annotations.pop(LAST_APPLIED_ANNOTATION, None)
        annotations[LAST_APPLIED_ANNOTATION] = last_applied(modified)
        name = modified["metadata"].get("name", "")
        server_dry_run = dry_run == "server"
        try:
            live = self.api.get(info.kind, self.namespace_for(info, modified), name)
        except ApiError as exc:
            if exc.reason != "NotFound":
                raise
            if dry_run == "client":
                return Outcome(info, name, "created", modified), "creating"
            created = self.api.create(
                modified, dry_run=server_dry_run, field_manager=CLIENT_SIDE_APPLY
            )
            return Outcome(info, created["metadata"]["name"], "created", created), "creating"
        if dry_run == "client":
            return Outcome(info, name, "configured", live), "patching"
        previous = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED_ANNOTATION)
        if previous is None:
            self.warnings.append(MISSING_LAST_APPLIED.format(resource=info.resource, name=name))
        original = json.loads(previous) if previous else None
        merged = apply_merge(original, modified, live, info.kind)
        if merged == live:
            return Outcome(info, name, "unchanged", live), "patching"
        # kubectl prints `configured` for any patch but `{}`, even one the server turns into
        # no change (a Secret's `stringData`, written into `data` as it already is).
        updated = self.api.update(merged, dry_run=server_dry_run, field_manager=CLIENT_SIDE_APPLY)
        return Outcome(info, name, "configured", updated), "patching"

    def server_side_apply(
        self, manifests: list[Manifest], field_manager: str, force: bool, dry_run: str = "none"
    ) -> list[Outcome]:
        """`kubectl apply --server-side`: each manifest sent whole as an apply patch; the
        server merges it and keeps field ownership (all or nothing, as mkctl's apply)."""
        from controlplane.api.errors import ApiError

        outcomes: list[Outcome] = []
        with self.all_or_nothing() as errors:
            for m in manifests:
                info, config = self.prepare(m)
                name = config["metadata"].get("name", "")
                if dry_run == "client":
                    outcomes.append(Outcome(info, name, "serverside-applied (dry run)", config))
                    continue
                try:
                    obj = self._server_side_apply_one(config, field_manager, force, dry_run)
                except ApiError as exc:
                    errors.append(render_server_side_apply_error(exc))
                    continue
                verb = "serverside-applied" + DRY_RUN_SUFFIX.get(dry_run, "")
                outcomes.append(Outcome(info, name, verb, obj))
        return outcomes

    def _server_side_apply_one(
        self, config: Obj, field_manager: str, force: bool, dry_run: str
    ) -> Obj:
        """One apply patch, then what kubectl does after it (apply.go): keep a last-applied
        annotation owned, and hand client-side apply's fields to the applier, then apply
        again."""
        from controlplane.api.managedfields import csaupgrade

        obj, _ = self.api.apply(
            config, field_manager=field_manager, force=force, dry_run=dry_run == "server"
        )
        if dry_run == "server":
            return obj
        if field_manager == SERVER_SIDE_APPLY:
            self._save_last_applied(obj)
        patch = csaupgrade.upgrade_patch(self.api.get(*_key(obj)), field_manager)
        if patch is None:
            return obj
        self.api.patch(*_key(obj), patch, "json", field_manager=field_manager)
        obj, _ = self.api.apply(config, field_manager=field_manager, force=force)
        return obj

    def _save_last_applied(self, obj: Obj) -> None:
        """saveLastApplyAnnotationIfNecessary: an apply by `kubectl-last-applied` of the
        annotation alone, unless an applier already owns it."""
        meta = obj["metadata"]
        value = (meta.get("annotations") or {}).get(LAST_APPLIED_ANNOTATION)
        if value is None:
            return
        for entry in meta.get("managedFields") or []:
            annotations = entry.get("fieldsV1", {}).get("f:metadata", {}).get("f:annotations", {})
            if entry.get("operation") == "Apply" and f"f:{LAST_APPLIED_ANNOTATION}" in annotations:
                return
        owned = {"name": meta["name"], "annotations": {LAST_APPLIED_ANNOTATION: value}}
        if meta.get("namespace"):
            owned["namespace"] = meta["namespace"]
        config = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": owned}
        self.api.apply(config, field_manager=LAST_APPLIED_MANAGER)

    def dry_run_apply(self, manifests: list[Manifest]) -> list[tuple[KindInfo, Obj | None, Obj]]:
        """For `diff`: each object as it is live (None if new) and as apply would leave it."""
        from controlplane.api.errors import ApiError

        pairs: list[tuple[KindInfo, Obj | None, Obj]] = []
        with self.all_or_nothing() as errors:
            for m in manifests:
                info, obj = self.prepare(m)
                try:
                    live: Obj | None = self.api.get(
                        info.kind, self.namespace_for(info, obj), obj["metadata"].get("name", "")
                    )
                except ApiError as exc:
                    if exc.reason != "NotFound":
                        raise
                    live = None
                try:
                    outcome, _ = self._apply_one(m, "server")
                except ApiError as exc:
                    errors.append(render_api_error(exc))
                    continue
                assert outcome.obj is not None
                pairs.append((info, live, outcome.obj))
        return pairs

    def create(self, manifests: list[Manifest], dry_run: str = "none") -> list[Outcome]:
        """`kubectl create -f`: every object must be new (all or nothing); a client dry run
        sends nothing and so cannot know."""
        from controlplane.api.errors import ApiError

        outcomes: list[Outcome] = []
        with self.all_or_nothing() as errors:
            for m in manifests:
                try:
                    info, obj = self.prepare(m)
                    if dry_run != "client":
                        obj = self.api.create(
                            obj, dry_run=dry_run == "server", field_manager=CREATE
                        )
                    verb = "created" + DRY_RUN_SUFFIX.get(dry_run, "")
                    outcomes.append(Outcome(info, obj["metadata"]["name"], verb, obj))
                except ApiError as exc:
                    errors.append(render_api_error(exc, verb="creating", source=m.source))
        return outcomes

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
        self, info: KindInfo, name: str, images: dict[str, str], dry_run: str = "none"
    ) -> Obj | None:
        """`kubectl set image`: the changed object, or None when nothing changed (kubectl then
        prints nothing). A client dry run sends nothing."""
        obj = self.get(info, name)
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
        return self.api.update(obj, dry_run=dry_run == "server", field_manager="kubectl-set")

    def patch(
        self,
        info: KindInfo,
        obj: Obj,
        body: Any,
        patch_type: str,
        dry_run: str,
        *,
        field_manager: str = "kubectl-patch",
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

    def annotate(self, info: KindInfo, name: str, key: str, value: str) -> None:
        obj = self.get(info, name)
        obj["metadata"].setdefault("annotations", {})[key] = value
        self.api.update(obj)
