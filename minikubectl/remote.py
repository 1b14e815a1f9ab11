"""The daemon's REST API, spoken with the standard library: the CLI's reads without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
reads go to it over loopback HTTP, as kubectl's do, and the CLI never opens the store or
imports the controllers. Answers and errors are decoded into exactly what `controlplane.api.Api`
returns and raises, so the commands cannot tell the two apart.
"""

from __future__ import annotations

import hmac
import json
import secrets
import socket
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver import auth, endpoint
from controlplane.apiserver.paths import resource_path
from controlplane.models.constants import Obj
from controlplane.paths import home, store_url
from minikubectl.errors import CliError

CONNECT_TIMEOUT_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 60.0
# What kubectl's human-readable get accepts (pkg/cmd/get/get.go, transformRequests).
TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)


class RemoteApi:
    """The read verbs of `controlplane.api.Api` (get, list) over one keep-alive connection,
    and watches, each on a connection of its own.

    HTTP/1.1 is spoken here by hand, on a plain socket: `http.client` imports `ssl` and the
    `email` parser, ~40 ms of a command that must answer in ~200. The only server it talks to
    is the daemon's `http.server`, which sends Content-Length on every answer but a watch's
    (chunked).
    """

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.token = token
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = f"{self.host}:{self.port}"
        self._socket: socket.socket | None = None
        self._stream: BinaryIO | None = None

    def connect(self) -> None:
        """Open the connection now, and prove the server is this cluster's daemon before
        sending it anything else (`controlplane.apiserver.auth`): OSError when nothing
        listens (a daemon that is gone) or when what listens does not know the token."""
        self._socket = socket.create_connection(
            (self.host, self.port), timeout=CONNECT_TIMEOUT_SECONDS
        )
        self._stream = self._socket.makefile("rb")
        challenge = secrets.token_hex(16)
        try:
            self._socket.sendall(
                f"GET /healthz HTTP/1.1\r\nHost: {self.address}\r\n"
                f"{auth.CHALLENGE_HEADER}: {challenge}\r\n\r\n".encode()
            )
            _, headers = read_head(self._stream)
            read_body(self._stream, headers)
        except (OSError, ValueError) as exc:
            self.close()
            raise ConnectionError(f"{self.address} is not the mkctl daemon: {exc}") from None
        expected = auth.proof(self.token, challenge, self.address)
        if not hmac.compare_digest(headers.get(auth.PROOF_HEADER.lower(), ""), expected):
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
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
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
        items: list[Obj] = self.request("GET", f"{path}?{query}" if query else path)["items"]
        return items

    def table(self, info: KindInfo, namespace: str | None, name: str, query: dict[str, str]) -> Obj:
        """The server's Table of one object or of a list (`query`: selectors, includeObject)."""
        path = resource_path(info, namespace, name)
        return self.request(
            "GET", f"{path}?{urlencode(query)}" if query else path, accept=TABLE_ACCEPT
        )

    def watch(
        self,
        kind: str,
        namespace: str | None,
        *,
        label_selector: str | None = None,
        resource_version: str = "",
        send_initial_events: bool | None = None,
    ) -> Iterator[tuple[str, Obj]]:
        """A watch, on a connection of its own: (type, object) as each event arrives, until
        the server ends the stream. With `send_initial_events`, the watch-list request
        kubectl 1.37 makes (initial events, then the `k8s.io/initial-events-end` bookmark)."""
        query = [("watch", "true")]
        if label_selector:
            query.append(("labelSelector", label_selector))
        if resource_version:
            query.append(("resourceVersion", resource_version))
        if send_initial_events is not None:
            query += [
                ("sendInitialEvents", "true" if send_initial_events else "false"),
                ("resourceVersionMatch", "NotOlderThan"),
                ("allowWatchBookmarks", "true"),
            ]
        path = f"{resource_path(kind_info(kind), namespace)}?{urlencode(query)}"
        stream = RemoteApi(f"http://{self.address}", self.token)
        try:
            try:
                stream.connect()
                assert stream._socket is not None and stream._stream is not None
                stream._socket.settimeout(None)  # a watch may stay quiet for as long as it likes
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
                yield from read_events(read_chunks(stream._stream))
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
            f"Authorization: Bearer {self.token}",
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
            raise self.refused() from exc
        answer: Obj = json.loads(answer_body)
        if status >= 400:
            raise ApiError.from_status(answer, status)
        return answer


def read_head(stream: BinaryIO) -> tuple[int, dict[str, str]]:
    """The status code and headers (names in lower case) of one HTTP/1.1 response;
    ValueError if it is not one."""
    status_line = stream.readline(65537).decode("latin-1")
    version, _, rest = status_line.partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP response: {status_line!r}")
    headers: dict[str, str] = {}
    while (line := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(rest.split(" ", 1)[0]), headers


def read_body(stream: BinaryIO, headers: dict[str, str]) -> bytes:
    """A body sent with Content-Length (the daemon's answers to every request but a watch)."""
    if "content-length" not in headers:
        raise ValueError("a response without Content-Length")
    length = int(headers["content-length"])
    body = stream.read(length)
    if len(body) != length:
        raise ValueError("the connection closed mid-response")
    return body


def read_response(stream: BinaryIO) -> tuple[int, bytes]:
    """The status code and body of one HTTP/1.1 response; ValueError if it is not one."""
    status, headers = read_head(stream)
    return status, read_body(stream, headers)


def read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The chunks of a `Transfer-Encoding: chunked` body, each as soon as it arrives."""
    while True:
        size = int(stream.readline(65537).split(b";")[0].strip() or b"x", 16)
        if size == 0:
            stream.readline(65537)  # the blank line after the last chunk
            return
        chunk = stream.read(size)
        if len(chunk) != size or stream.readline(65537) not in (b"\r\n", b"\n"):
            raise ValueError("the connection closed mid-chunk")
        yield chunk


def read_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, Obj]]:
    """Watch events, one JSON document per line, wherever the chunks split them."""
    pending = b""
    for chunk in chunks:
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            if line.strip():
                event = json.loads(line)
                yield event["type"], event["object"]


def daemon_api() -> RemoteApi | None:
    """The daemon's API if a live daemon serves this CLI's store, else None."""
    where = home()
    served = endpoint.read(where)
    if served is None or served.store != store_url():
        return None
    token = auth.read_token(where)
    if token is None:
        return None
    api = RemoteApi(served.url, token)
    try:
        api.connect()
    except OSError:
        return None
    return api
