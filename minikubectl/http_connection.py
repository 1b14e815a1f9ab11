"""One connection to a Kubernetes API server, HTTP/1.1 spoken by hand on a plain socket.

`http.client` imports `ssl` and the `email` parser, ~40 ms of a command that must answer in
~200. The only server it usually talks to is the daemon's `http.server`, which sends
Content-Length on every answer but a stream's (chunked); a kubeconfig's server is reached the
same way, through TLS. `Connection` opens the socket (proving, for the daemon, that the server
knows its token), sends one request at a time on it, and opens a connection of its own for
each stream (a watch, a followed log); `minikubectl.remote.RemoteApi` builds the verbs on it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from controlplane.api.errors import ApiError
from controlplane.apiserver import daemon_token
from controlplane.models.constants import Obj
from minikubectl.errors import CliError
from minikubectl.globalflags import log_request
from minikubectl.http_response import read_body, read_chunks, read_head
from minikubectl.kubectl.wire import user_agent

if TYPE_CHECKING:  # imported when a connection opens: not by commands a daemon never answers
    import socket

CONNECT_TIMEOUT_SECONDS = 2.0
USER_AGENT = user_agent()
REQUEST_TIMEOUT_SECONDS = 60.0


class Connection:
    """One keep-alive connection to the server at `url`, as kubectl 1.37 speaks to it, with
    the bearer `token`; streams each take a connection of their own."""

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

    def _streamed(self, path: str) -> Iterator[bytes]:
        """A GET on a connection of its own, its body's bytes as they arrive (chunked or
        not), until the server ends it; the `ApiError` of a refusal."""
        stream = Connection(self.url, self.token, authority=self.authority, prove=self.prove)
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
