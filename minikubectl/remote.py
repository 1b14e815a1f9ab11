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
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.apiserver import auth, endpoint
from controlplane.apiserver.paths import resource_path
from controlplane.models.constants import Obj
from controlplane.paths import home, store_url
from minikubectl.errors import CliError

CONNECT_TIMEOUT_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 60.0


class RemoteApi:
    """The read verbs of `controlplane.api.Api` (get, list) over one keep-alive connection.

    HTTP/1.1 is spoken here by hand, on a plain socket: `http.client` imports `ssl` and the
    `email` parser, ~40 ms of a command that must answer in ~200. The only server it talks to
    is the daemon's `http.server`, which always sends Content-Length.
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
            headers: dict[str, str] = {}
            read_response(self._stream, headers)
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
            # kubectl's words when its server goes away (client-go's rest client)
            raise CliError(
                f"The connection to the server {self.address} was refused - did you specify "
                "the right host or port?"
            ) from exc
        answer: Obj = json.loads(answer_body)
        if status >= 400:
            raise ApiError.from_status(answer, status)
        return answer


def read_response(stream: BinaryIO, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """The status code and body of one HTTP/1.1 response; ValueError if it is not one.
    `headers`, if given, receives the response's headers (names in lower case)."""
    status_line = stream.readline(65537).decode("latin-1")
    version, _, rest = status_line.partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP response: {status_line!r}")
    status = int(rest.split(" ", 1)[0])
    length = None
    while (line := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if headers is not None:
            headers[name.strip().lower()] = value.strip()
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
