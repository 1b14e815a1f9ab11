"""The daemon's HTTP server: the Kubernetes REST API on loopback, for the CLI and kubectl.

Standard library only (`http.server`): each connection gets a thread, and requests run one
at a time against the server's own `Api` (its own store connection, apart from the
manager's), so a slow client never holds the controllers up and no `Api` is shared between
threads. `auth.guarded` admits each request and `router.route` decides its answer; this
module only moves bytes, within limits that keep slow or many clients from taking the API
down, after Go's `http.Server` as kube-apiserver configures it
(staging/src/k8s.io/apiserver/pkg/server/secure_serving.go): a deadline to read a request's
head and body, one for an idle keep-alive connection, and a cap on open connections beyond
which new ones wait in the listen backlog.
"""

from __future__ import annotations

import errno
import io
import logging
import resource
import select
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.apiserver import reviews, tls
from controlplane.apiserver.auth import Guard, guarded, store_learners
from controlplane.apiserver.authorizer import User
from controlplane.apiserver.dashboard import serve as dashboard
from controlplane.apiserver.dashboard.login import LoginCodes
from controlplane.apiserver.exchange import Request, Response, error_response
from controlplane.apiserver.router import route

log = logging.getLogger(__name__)

READ_SECONDS = 32.0  # kube-apiserver's ReadHeaderTimeout, here for the head and the body
IDLE_SECONDS = 90.0  # kube-apiserver's IdleTimeout
WRITE_SECONDS = 60.0  # a client that stops reading a response is dropped
MAX_CONNECTIONS = 2048
RESERVED_FILES = 64  # descriptors kept for the store, the log and the manager
ACCEPT_WAIT_SECONDS = 1.0  # at the cap, how long a new connection waits for a free slot


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the listen backlog: connections over the cap wait here

    def __init__(
        self,
        api: Api,
        token: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        read_seconds: float = READ_SECONDS,
        idle_seconds: float = IDLE_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__((host, port), RequestHandler)
        self.api = api
        self.tls = tls  # when set, a client opening with a TLS handshake gets TLS
        self.lock = threading.Lock()
        self.guard = Guard(token, int(self.server_address[1]), store_learners(self.api, self.lock))
        self.login_codes = LoginCodes(token)
        self.read_seconds = read_seconds
        self.idle_seconds = idle_seconds
        soft_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft_files != resource.RLIM_INFINITY:
            max_connections = min(max_connections, soft_files - RESERVED_FILES)
        self.slots = threading.BoundedSemaphore(max_connections)

    def answer(self, request: Request, user: User | None) -> Response:
        """What an admitted request gets: the dashboard's page, a review of what `user` may
        do or who they are, or the API's answer."""
        if dashboard.serves(request.path):
            return dashboard.respond(self.login_codes, request)
        return reviews.answer(user, request) or route(self.api, self.lock, request)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="apiserver", daemon=True)
        thread.start()
        return thread

    def get_request(self) -> tuple[socket.socket, Any]:
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                time.sleep(0.1)  # out of descriptors: back off rather than spin on accept
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(timeout=ACCEPT_WAIT_SECONDS):
            self.shutdown_request(request)  # still full: the client may retry
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s failed", client_address, exc_info=True)


class DeadlineReader(io.RawIOBase):
    """A socket's bytes, each read bounded by one deadline for the whole request, so a
    client dripping a byte at a time cannot hold its connection open for long."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request was not read in time")
            self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as kubectl's client expects
    server: ApiServer

    def setup(self) -> None:
        # Go's net package sets TCP_NODELAY on every connection (net/tcpsock.go
        # newTCPConn), so kube-apiserver's headers and body never wait on Nagle's algorithm
        # for the client's delayed ACK: without it each response here took 40 ms more.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.server.tls is not None:
            self._maybe_tls()
        super().setup()
        self.reader = DeadlineReader(self.connection)
        self.buffered = io.BufferedReader(self.reader)
        self.rfile = self.buffered

    def finish(self) -> None:
        super().finish()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.close()  # the server closes only the plain socket it accepted

    def _maybe_tls(self) -> None:
        """Wrap the connection in TLS if the client opens with a handshake (kubectl, from a
        kubeconfig), within the read deadline; plain HTTP otherwise (mkctl)."""
        assert self.server.tls is not None
        conn: socket.socket = self.request
        conn.settimeout(self.server.idle_seconds)
        first = conn.recv(1, socket.MSG_PEEK)
        if first and first[0] == tls.HANDSHAKE:
            conn.settimeout(self.server.read_seconds)
            self.request = self.server.tls.wrap_socket(conn, server_side=True)

    def handle_one_request(self) -> None:
        try:
            self.reader.deadline = time.monotonic() + self.server.idle_seconds
            if not self.buffered.peek(1):
                self.close_connection = True
                return
            self.reader.deadline = time.monotonic() + self.server.read_seconds
            super().handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_OPTIONS(self) -> None:
        self._serve("OPTIONS")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def _serve(self, verb: str) -> None:
        try:
            response = self._respond(verb)
        except (TimeoutError, ConnectionError):
            self.close_connection = True  # the client went quiet or away mid-body
            return
        except Exception:  # a bug must not take the daemon down: answer 500 and log it
            log.exception("%s %s failed", verb, self.path)
            response = error_response(ApiError("InternalError", 500, "an error on the server"))
        self.reader.deadline = None
        self.connection.settimeout(WRITE_SECONDS)
        self._send(response)

    def _respond(self, verb: str) -> Response:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # where the next request starts is unknown
            return error_response(errors.bad_request("the request has no valid Content-Length"))
        if length > errors.MAX_REQUEST_BYTES:
            self.close_connection = True  # the body stays unread
            return error_response(errors.request_too_large())
        url = urlsplit(self.path)
        request = Request(
            verb,
            url.path,
            parse_qs(url.query),
            {name.lower(): value for name, value in self.headers.items()},
            self.rfile.read(length),
        )
        if len(request.body) < length:
            raise ConnectionError("the connection closed mid-body")
        return guarded(self.server.guard, request, self.server.answer)

    def _send(self, response: Response) -> None:
        self.send_response(response.code)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if isinstance(response.body, bytes):
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
        # A stream is the connection's last answer, and saying so lets a browser that aborts
        # one close its socket at once: otherwise Chromium drains a keep-alive response for
        # reuse, up to 5 s (net/http/http_response_body_drainer.cc), holding one of the six
        # connections it opens to a server, which a page's other watches wait for.
        self.send_header("Connection", "close")
        self.end_headers()
        chunks = response.body
        try:
            for chunk in chunks:
                if not chunk:  # the stream is idle: stop if its client went away
                    if self._peer_closed():
                        break
                    continue
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            else:
                self.wfile.write(b"0\r\n\r\n")
                return
        except OSError:  # the client hung up mid-stream
            pass
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self.close_connection = True

    def _peer_closed(self) -> bool:
        """Has the client closed its end? (readable, with nothing to read: end of file)"""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:  # the TCP bytes under any TLS: SSLSocket.recv takes no flags
            return not socket.socket.recv(self.connection, 1, socket.MSG_PEEK)
        except OSError:
            return True

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)
