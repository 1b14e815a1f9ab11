"""The daemon's HTTP server: the Kubernetes REST API on loopback, for the CLI (and curl).

Standard library only (`http.server`): each connection gets a thread, and requests run one
at a time against the server's own `Api` (its own store connection, apart from the
manager's), so a slow client never holds the controllers up and no `Api` is shared between
threads. `handlers.handle` decides every answer; this module only moves bytes.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.apiserver import handlers
from controlplane.apiserver.paths import parse_path
from controlplane.models.constants import Obj

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
        url = urlsplit(self.path)
        try:
            code, answer = self._answer(verb, url.path, url.query)
        except ApiError as exc:
            code, answer = exc.code, exc.status()
        except Exception:  # a bug must not take the daemon down: answer 500 and log it
            log.exception("%s %s failed", verb, self.path)
            code, answer = 500, ApiError("InternalError", 500, "an error on the server").status()
        data = json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, verb: str, path: str, query: str) -> tuple[int, Obj]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > errors.MAX_REQUEST_BYTES:
            self.close_connection = True  # the body stays unread
            raise errors.request_too_large()
        body = self.rfile.read(length)
        route = parse_path(path)
        if route is None:
            raise handlers.not_served()
        with self.server.lock:
            return handlers.handle(
                self.server.api,
                verb,
                route,
                parse_qs(query),
                body,
                self.headers.get("Content-Type", ""),
                self.headers.get("Accept", ""),
            )

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)
