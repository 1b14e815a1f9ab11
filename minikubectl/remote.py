"""The daemon's REST API, spoken with the standard library: the CLI without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
every verb, reads and writes, goes to it over loopback HTTP as kubectl sends it, and the CLI
never opens the store or imports the controllers. `RemoteApi` is a `ClusterApi`: answers and
errors are decoded into exactly what `controlplane.api.verbs.Api` returns and raises, so the
commands cannot tell the two apart. Which server that is (the daemon's, or one a
kubeconfig names) is `minikubectl.servers`' choice; how a request travels to it,
`minikubectl.http_connection`'s.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from urllib.parse import urlencode

from controlplane.api import errors
from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver.paths import resource_path
from controlplane.clock import Clock, SystemClock
from controlplane.models.constants import Obj
from minikubectl.http_connection import Connection
from minikubectl.http_response import read_events
from minikubectl.kubectl.wire import (
    APPLY_PATCH,
    PATCH_CONTENT_TYPES,
    TABLE_ACCEPT,
    object_path,
    write_query,
)


class RemoteApi(Connection):
    """The `ClusterApi` verbs over one keep-alive connection (`Connection`), as kubectl 1.37
    sends them. Watches each take a connection of their own."""

    def __init__(
        self, url: str, token: str, *, authority: str | None = None, prove: bool = True
    ) -> None:
        super().__init__(url, token, authority=authority, prove=prove)
        self.clock: Clock = SystemClock()  # a client's stamps use its own clock, as kubectl's
        self.field_validation = ""  # `--validate`'s, for every write (`wire.write_query`)

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        return self.request("GET", resource_path(kind_info(kind), namespace, name))

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        field_selector: str | None = None,
    ) -> builtins.list[Obj]:
        if isinstance(label_selector, Mapping):  # a LabelSelector object, sent as its text
            from controlplane.models import selectors

            try:
                label_selector = str(selectors.from_label_selector(label_selector))
            except selectors.SelectorError as exc:
                raise errors.bad_request(str(exc)) from exc
        query = urlencode(
            [
                (key, value)
                for key, value in (
                    ("labelSelector", label_selector),
                    ("fieldSelector", field_selector),
                )
                if value
            ]
        )
        path = resource_path(kind_info(kind), namespace)
        items: builtins.list[Obj] = self.request("GET", f"{path}?{query}" if query else path)[
            "items"
        ]
        return items

    def table(self, info: KindInfo, namespace: str | None, name: str, query: dict[str, str]) -> Obj:
        """The server's Table of one object or of a list (`query`: selectors, includeObject,
        limit and continue), its query in key order as Go's url.Values.Encode writes it."""
        path = resource_path(info, namespace, name)
        encoded = urlencode(sorted(query.items()))
        return self.request("GET", f"{path}?{encoded}" if query else path, accept=TABLE_ACCEPT)

    def watch(
        self,
        kind: str,
        namespace: str | None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        resource_version: str = "",
        send_initial_events: bool | None = None,
        timeout_seconds: int | None = None,
    ) -> Iterator[tuple[str, Obj]]:
        """A watch, on a connection of its own: (type, object) as each event arrives, until
        the server ends the stream. With `send_initial_events`, the watch-list request
        kubectl 1.37 makes (initial events, then the `k8s.io/initial-events-end` bookmark)."""
        query = [("watch", "true")]
        if label_selector:
            query.append(("labelSelector", label_selector))
        if field_selector:
            query.append(("fieldSelector", field_selector))
        if resource_version:
            query.append(("resourceVersion", resource_version))
        if timeout_seconds is not None:
            query.append(("timeoutSeconds", str(timeout_seconds)))
        if send_initial_events is not None:
            query += [
                ("sendInitialEvents", "true" if send_initial_events else "false"),
                ("resourceVersionMatch", "NotOlderThan"),
                ("allowWatchBookmarks", "true"),
            ]
        path = f"{resource_path(kind_info(kind), namespace)}?{urlencode(query)}"
        yield from read_events(self._streamed(path))

    def pod_log(self, namespace: str, name: str, query: dict[str, str]) -> Iterator[bytes]:
        """`GET pods/NAME/log` (PodLogOptions in `query`): the log's bytes as they arrive,
        streamed to the end with `follow=true`."""
        path = resource_path(kind_info("Pod"), namespace, name, "log")
        return self._streamed(f"{path}?{urlencode(query)}" if query else path)

    # --- writes: POST, PUT, PATCH and DELETE as kubectl sends them -----------------------

    def create(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        info = kind_info(obj.get("kind", ""))
        namespace = (obj.get("metadata") or {}).get("namespace") or "default"
        path = resource_path(info, namespace)
        return self._send("POST", path, obj, dry_run=dry_run, field_manager=field_manager)

    def update(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        path = object_path(obj)
        return self._send("PUT", path, obj, dry_run=dry_run, field_manager=field_manager)

    def update_status(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        path = object_path(obj, "status")
        return self._send("PUT", path, obj, dry_run=dry_run, field_manager=field_manager)

    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        body: Any,
        patch_type: str,
        *,
        dry_run: bool = False,
        field_manager: str = "",
    ) -> Obj:
        return self._send(
            "PATCH",
            resource_path(kind_info(kind), namespace, name),
            body,
            dry_run=dry_run,
            field_manager=field_manager,
            content_type=PATCH_CONTENT_TYPES[patch_type],
        )

    def apply(
        self, config: Obj, *, field_manager: str, force: bool = False, dry_run: bool = False
    ) -> tuple[Obj, bool]:
        """Server-side apply: `config` whole as an `application/apply-patch+yaml` PATCH (JSON
        is YAML), `force=true` to take conflicting fields; True when it created the object
        (a 201), as kubectl's apply sends it (staging/src/k8s.io/kubectl/pkg/cmd/apply/
        apply.go, applyOneObject)."""
        info = kind_info(config.get("kind", ""))
        meta = config.get("metadata") or {}
        namespace = (meta.get("namespace") or "default") if info.namespaced else ""
        path = resource_path(info, namespace, meta.get("name", ""))
        status, obj = self._exchange(
            "PATCH",
            path
            + write_query(
                dry_run, field_manager, force=force, field_validation=self.field_validation
            ),
            json.dumps(config, separators=(",", ":")).encode(),
            content_type=APPLY_PATCH,
        )
        return obj, status == 201

    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        *,
        propagation: str | None = None,
        grace_period_seconds: int | None = None,
        uid: str = "",
        resource_version: str = "",
        dry_run: bool = False,
    ) -> Obj:
        """DELETE with DeleteOptions in the body, as client-go sends them (kubectl's delete
        flags, `--dry-run=server` as `dryRun: [All]`). The answer is the object while it
        still exists (a terminating pod, an owner held by a finalizer), else a `Success`
        Status."""
        options: Obj = {}
        if grace_period_seconds is not None:
            options["gracePeriodSeconds"] = grace_period_seconds
        preconditions = {
            key: value
            for key, value in (("uid", uid), ("resourceVersion", resource_version))
            if value
        }
        if preconditions:
            options["preconditions"] = preconditions
        if propagation:
            options["propagationPolicy"] = propagation
        if dry_run:
            options["dryRun"] = ["All"]
        body = json.dumps(options, separators=(",", ":")).encode()
        return self.request("DELETE", resource_path(kind_info(kind), namespace, name), body)

    def batch(self) -> AbstractContextManager[None]:
        """Nothing to group: the REST API has no transactions, each write commits alone."""
        return nullcontext()

    def _send(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        dry_run: bool,
        field_manager: str = "",
        content_type: str = "application/json",
    ) -> Obj:
        """A write with its body, and the query kubectl sends with it."""
        query = write_query(dry_run, field_manager, field_validation=self.field_validation)
        data = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
        return self.request(method, path + query, data.encode(), content_type=content_type)
