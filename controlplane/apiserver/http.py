"""The daemon's HTTP server: the Kubernetes REST API on loopback, for the CLI (and curl).

Standard library only (`http.server`): each connection gets a thread, and requests run one
at a time against the server's own `Api` (its own store connection, apart from the
manager's), so a slow client never holds the controllers up and no `Api` is shared between
threads. `router.route` decides every answer; this module only moves bytes.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.apiserver.exchange import Request, Response, error_response
from controlplane.apiserver.router import route

log = logging.getLogger(__name__)


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: Api, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), RequestHandler)
        self.api = api
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="apiserver", daemon=True)
        thread.start()
        return thread


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as kubectl's client expects
    server: ApiServer

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

    def _serve(self, verb: str) -> None:
        try:
            response = self._respond(verb)
        except Exception:  # a bug must not take the daemon down: answer 500 and log it
            log.exception("%s %s failed", verb, self.path)
            response = error_response(ApiError("InternalError", 500, "an error on the server"))
        self._send(response)

    def _respond(self, verb: str) -> Response:
        length = int(self.headers.get("Content-Length") or 0)
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
        return route(self.server.api, self.server.lock, request)

    def _send(self, response: Response) -> None:
        self.send_response(response.code)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if isinstance(response.body, bytes):
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
            return
        self.send_header("Transfer-Encoding", "chunked")
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
        try:
            return not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)
