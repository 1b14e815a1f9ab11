"""The daemon's REST API, spoken with the standard library: the CLI without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
every verb, reads and writes, goes to it over loopback HTTP as kubectl sends it, and the CLI
never opens the store or imports the controllers. `RemoteApi` is a `ClusterApi`: answers and
errors are decoded into exactly what `controlplane.api.verbs.Api` returns and raises, so the
commands cannot tell the two apart. Which server that is (the daemon's, or one a
kubeconfig names) is `minikubectl.servers`' choice.
"""

from __future__ import annotations

import builtins
import json
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlencode, urlsplit

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver import daemon_token
from controlplane.apiserver.paths import resource_path
from controlplane.clock import Clock, SystemClock
from controlplane.models.constants import Obj
from minikubectl.errors import CliError
from minikubectl.globalflags import log_request
from minikubectl.http_response import (
    read_body,
    read_chunks,
    read_events,
    read_head,
)
from minikubectl.kubectl.wire import (
    APPLY_PATCH,
    PATCH_CONTENT_TYPES,
    TABLE_ACCEPT,
    object_path,
    user_agent,
    write_query,
)

if TYPE_CHECKING:  # imported when a connection opens: not by commands a daemon never answers
    import socket

CONNECT_TIMEOUT_SECONDS = 2.0
USER_AGENT = user_agent()
REQUEST_TIMEOUT_SECONDS = 60.0


class RemoteApi:
    """The `ClusterApi` verbs over one keep-alive connection, as kubectl 1.37 sends them.
    Watches each take a connection of their own.

    HTTP/1.1 is spoken here by hand, on a plain socket: `http.client` imports `ssl` and the
    `email` parser, ~40 ms of a command that must answer in ~200. The only server it talks to
    is the daemon's `http.server`, which sends Content-Length on every answer but a watch's
    (chunked).
    """

    def __init__(
        self, url: str, token: str, *, authority: str | None = None, prove: bool = True
    ) -> None:
        parts = urlsplit(url)
        self.url = url
        self.token = token
        self.scheme = parts.scheme or "http"
        self.authority = authority  # PEM certificates an https server must be signed by
        self.prove = prove  # ask the server to prove it knows `token` (the daemon's)
        default_port = 443 if self.scheme == "https" else 80
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or default_port
        self.address = f"{self.host}:{self.port}"
        self._socket: socket.socket | None = None
        self._stream: BinaryIO | None = None
        self.clock: Clock = SystemClock()  # a client's stamps use its own clock, as kubectl's
        self.field_validation = ""  # `--validate`'s, for every write (`wire.write_query`)

    def connect(self) -> None:
        """Open the connection now, and prove the server is this cluster's daemon before
        sending it anything else (`controlplane.apiserver.daemon_token`): OSError when nothing
        listens (a daemon that is gone) or when what listens does not know the token. A
        server named by a kubeconfig is trusted as kubectl trusts it: by its certificate
        when it speaks https."""
        import hmac
        import socket

        # getaddrinfo encodes a str host with the `idna` codec, an import of its own: the
        # daemon's 127.0.0.1, like any ASCII name, goes as the bytes it already is (which
        # getaddrinfo takes, though typeshed's create_connection names str only)
        host = self.host.encode() if self.host.isascii() else self.host
        self._socket = socket.create_connection(
            (host, self.port),  # type: ignore[arg-type]
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
        if self.scheme == "https":
            import ssl  # only for a kubeconfig's server: ~20 ms mkctl's own daemon never costs

            context = ssl.create_default_context(cadata=self.authority)
            self._socket = context.wrap_socket(self._socket, server_hostname=self.host)
        self._stream = self._socket.makefile("rb")
        if not self.prove:
            self._socket.settimeout(REQUEST_TIMEOUT_SECONDS)
            return
        challenge = os.urandom(16).hex()  # secrets.token_hex, without importing `random`
        try:
            self._socket.sendall(
                f"GET /healthz HTTP/1.1\r\nHost: {self.address}\r\n"
                f"{daemon_token.CHALLENGE_HEADER}: {challenge}\r\n\r\n".encode()
            )
            _, headers = read_head(self._stream)
            read_body(self._stream, headers)
        except (OSError, ValueError) as exc:
            self.close()
            raise ConnectionError(f"{self.address} is not the mkctl daemon: {exc}") from None
        expected = daemon_token.proof(self.token, challenge, self.address)
        if not hmac.compare_digest(headers.get(daemon_token.PROOF_HEADER.lower(), ""), expected):
            self.close()
            raise ConnectionError(f"{self.address} is not the mkctl daemon")
        self._socket.settimeout(REQUEST_TIMEOUT_SECONDS)

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

    def _streamed(self, path: str) -> Iterator[bytes]:
        """A GET on a connection of its own, its body's bytes as they arrive (chunked or
        not), until the server ends it; the `ApiError` of a refusal."""
        stream = RemoteApi(self.url, self.token, authority=self.authority, prove=self.prove)
        try:
            try:
                stream.connect()
                assert stream._socket is not None and stream._stream is not None
                stream._socket.settimeout(None)  # a stream may stay quiet for as long as it likes
                head = (
                    f"GET {path} HTTP/1.1\r\nHost: {self.address}\r\nAccept: application/json"
                    f"\r\nAuthorization: Bearer {self.token}"
                )
                stream._socket.sendall(head.encode() + b"\r\n\r\n")
                status, headers = read_head(stream._stream)
                if status >= 400:
                    raise ApiError.from_status(
                        json.loads(read_body(stream._stream, headers)), status
                    )
                if "content-length" in headers:
                    yield read_body(stream._stream, headers)
                else:
                    yield from read_chunks(stream._stream)
            except (OSError, ValueError) as exc:
                raise self.refused() from exc
        finally:
            stream.close()

    def refused(self) -> CliError:
        # kubectl's words when its server goes away (client-go's rest client)
        return CliError(
            f"The connection to the server {self.address} was refused - did you specify "
            "the right host or port?"
        )

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
        return self._exchange(method, path, body, content_type=content_type, accept=accept)[1]

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> tuple[int, Obj]:
        """`request`, with the answer's status code (a 201 says an apply created)."""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.address}",
            f"Accept: {accept}",
            f"Authorization: Bearer {self.token}",
            f"User-Agent: {USER_AGENT}",
        ]
        if body or method in ("POST", "PUT", "PATCH"):
            head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        started = time.monotonic()
        try:
            if self._socket is None:
                self.connect()
            assert self._socket is not None and self._stream is not None
            self._socket.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + body)
            status, headers = read_head(self._stream)
            answer_body = read_body(self._stream, headers)
        except (OSError, ValueError) as exc:
            self.close()
            raise self.refused() from exc
        elapsed = int((time.monotonic() - started) * 1000)
        log_request(method, f"{self.scheme}://{self.address}{path}", status, elapsed)
        if "warning" in headers:
            from minikubectl.warning_writer import header_texts, write_warnings

            write_warnings(header_texts(headers["warning"]))
        answer: Obj = json.loads(answer_body)
        if status >= 400:
            raise ApiError.from_status(answer, status)
        return status, answer
