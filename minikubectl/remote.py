"""The daemon's REST API, spoken with the standard library: the CLI without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
every verb, reads and writes, goes to it over loopback HTTP as kubectl sends it, and the CLI
never opens the store or imports the controllers. `RemoteApi` is a `ClusterApi`: answers and
errors are decoded into exactly what `controlplane.api.server.Api` returns and raises, so the
commands cannot tell the two apart.
"""

from __future__ import annotations

import builtins
import json
import socket
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, BinaryIO
from urllib.parse import urlencode, urlsplit

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver import endpoint
from controlplane.apiserver.paths import resource_path
from controlplane.clock import Clock, SystemClock
from controlplane.models import selectors
from controlplane.models.constants import Obj
from controlplane.paths import home, store_url
from minikubectl.errors import CliError

CONNECT_TIMEOUT_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 60.0

# staging/src/k8s.io/apimachinery/pkg/types/patch.go: the Content-Type of each patch type
PATCH_CONTENT_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}


class RemoteApi:
    """The `ClusterApi` verbs over one keep-alive connection, as kubectl 1.37 sends them.

    HTTP/1.1 is spoken here by hand, on a plain socket: `http.client` imports `ssl` and the
    `email` parser, ~40 ms of a command that must answer in ~200. The only server it talks to
    is the daemon's `http.server`, which always sends Content-Length.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = f"{self.host}:{self.port}"
        self._socket: socket.socket | None = None
        self._stream: BinaryIO | None = None
        self.clock: Clock = SystemClock()  # a client's stamps use its own clock, as kubectl's

    def connect(self) -> None:
        """Open the connection now: OSError when nothing listens (a daemon that is gone)."""
        self._socket = socket.create_connection(
            (self.host, self.port), timeout=CONNECT_TIMEOUT_SECONDS
        )
        self._socket.settimeout(REQUEST_TIMEOUT_SECONDS)
        self._stream = self._socket.makefile("rb")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = self._stream = None

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

    # --- writes: POST, PUT, PATCH and DELETE as kubectl sends them -----------------------

    def create(self, obj: Obj, *, dry_run: bool = False) -> Obj:
        info = kind_info(obj.get("kind", ""))
        namespace = (obj.get("metadata") or {}).get("namespace") or "default"
        return self._send("POST", resource_path(info, namespace), obj, dry_run=dry_run)

    def update(self, obj: Obj, *, dry_run: bool = False) -> Obj:
        return self._send("PUT", _object_path(obj), obj, dry_run=dry_run)

    def update_status(self, obj: Obj) -> Obj:
        return self._send("PUT", _object_path(obj, "status"), obj, dry_run=False)

    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        body: Any,
        patch_type: str,
        *,
        dry_run: bool = False,
    ) -> Obj:
        return self._send(
            "PATCH",
            resource_path(kind_info(kind), namespace, name),
            body,
            dry_run=dry_run,
            content_type=PATCH_CONTENT_TYPES[patch_type],
        )

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
        content_type: str = "application/json",
    ) -> Obj:
        """A write with its body. Every one says `fieldValidation=Strict`, as kubectl's
        default `--validate=strict` does: unknown fields are refused, as in process."""
        query = "?dryRun=All&fieldValidation=Strict" if dry_run else "?fieldValidation=Strict"
        data = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
        return self.request(method, path + query, data.encode(), content_type=content_type)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> Obj:
        """One request on the kept-alive connection; the decoded answer, or the `ApiError`
        its Status describes."""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.address}",
            f"Accept: {accept}",
        ]
        if body or method in ("POST", "PUT", "PATCH"):
            head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        try:
            if self._socket is None:
                self.connect()
            assert self._socket is not None and self._stream is not None
            self._socket.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + body)
            status, answer_body = read_response(self._stream)
        except (OSError, ValueError) as exc:
            self.close()
            # kubectl's words when its server goes away (client-go's rest client)
            raise CliError(
                f"The connection to the server {self.address} was refused - did you specify "
                "the right host or port?"
            ) from exc
        answer: Obj = json.loads(answer_body)
        if status >= 400:
            raise ApiError.from_status(answer, status)
        return answer


def _object_path(obj: Obj, subresource: str = "") -> str:
    """The path of the object a PUT body names."""
    info: KindInfo = kind_info(obj.get("kind", ""))
    meta = obj.get("metadata") or {}
    return resource_path(
        info, meta.get("namespace") or "default", meta.get("name", ""), subresource
    )


def read_response(stream: BinaryIO) -> tuple[int, bytes]:
    """The status code and body of one HTTP/1.1 response; ValueError if it is not one."""
    status_line = stream.readline(65537).decode("latin-1")
    version, _, rest = status_line.partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP response: {status_line!r}")
    status = int(rest.split(" ", 1)[0])
    length = None
    while (line := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise ValueError("a response without Content-Length")
    body = stream.read(length)
    if len(body) != length:
        raise ValueError("the connection closed mid-response")
    return status, body


def daemon_api() -> RemoteApi | None:
    """The daemon's API if a live daemon serves this CLI's store, else None."""
    served = endpoint.read(home())
    if served is None or served.store != store_url():
        return None
    api = RemoteApi(served.url)
    try:
        api.connect()
    except OSError:
        return None
    return api
