"""The daemon's REST API, spoken with the standard library: the CLI's reads without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
reads go to it over loopback HTTP, as kubectl's do, and the CLI never opens the store or
imports the controllers. Answers and errors are decoded into exactly what `controlplane.api.Api`
returns and raises, so the commands cannot tell the two apart.
"""

from __future__ import annotations

import json
import socket
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver import endpoint
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
    """The read verbs of `controlplane.api.Api` (get, list) over one keep-alive connection.

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
        return self._request(resource_path(kind_info(kind), namespace, name))

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
        items: list[Obj] = self._request(f"{path}?{query}" if query else path)["items"]
        return items

    def table(self, info: KindInfo, namespace: str | None, name: str, query: dict[str, str]) -> Obj:
        """The server's Table of one object or of a list (`query`: selectors, includeObject)."""
        path = resource_path(info, namespace, name)
        return self._request(f"{path}?{urlencode(query)}" if query else path, TABLE_ACCEPT)

    def _request(self, path: str, accept: str = "application/json") -> Obj:
        try:
            if self._socket is None:
                self.connect()
            assert self._socket is not None and self._stream is not None
            self._socket.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {self.address}\r\nAccept: {accept}\r\n\r\n".encode()
            )
            status, body = read_response(self._stream)
        except (OSError, ValueError) as exc:
            self.close()
            # kubectl's words when its server goes away (client-go's rest client)
            raise CliError(
                f"The connection to the server {self.address} was refused - did you specify "
                "the right host or port?"
            ) from exc
        answer: Obj = json.loads(body)
        if status >= 400:
            raise ApiError.from_status(answer, status)
        return answer


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
