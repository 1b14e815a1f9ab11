"""`-f URL` for apply, create, get, describe and delete, served by a local HTTP server, and
kubectl's errors when the URL cannot be read."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl


class Handler(SimpleHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        if self.path == "/broken.yaml":
            self.send_error(503, "Service Unavailable")
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A local server of `tmp_path/site`, with the web Deployment at /web.yaml."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "web.yaml").write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    Handler.requests = []
    server = HTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_every_reading_command_takes_a_url(mkctl: Mkctl, served: str) -> None:
    url = f"{served}/web.yaml"
    assert mkctl("apply", "-f", url).out == "deployment.apps/web created\n"
    listed = mkctl("get", "-f", url)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines()[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert listed.out.splitlines()[1].split()[:2] == ["web", "2/2"]
    described = mkctl("describe", "-f", url)
    assert described.code == 0 and described.out.startswith("Name:                   web\n")
    deleted = mkctl("delete", "-f", url)
    assert deleted.out == 'deployment.apps "web" deleted from default namespace\n'
    assert mkctl("create", "-f", url).out == "deployment.apps/web created\n"
    assert Handler.requests == ["/web.yaml"] * 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreadable_urls_fail_as_kubectl_says(mkctl: Mkctl, served: str) -> None:
    missing = mkctl("apply", "-f", f"{served}/missing.yaml")
    assert (missing.code, missing.err) == (
        1,
        f'error: unable to read URL "{served}/missing.yaml", server reported 404 File not '
        "found, status code=404\n",
    )
    broken = mkctl("apply", "-f", f"{served}/broken.yaml")
    assert broken.code == 1 and "status code=503" in broken.err
    assert Handler.requests.count("/broken.yaml") == 3  # 5xx answers are retried
    port = free_port()
    refused = mkctl("apply", "-f", f"http://127.0.0.1:{port}/web.yaml")
    assert (refused.code, refused.err) == (
        1,
        f"The connection to the server 127.0.0.1:{port} was refused - did you specify the "
        "right host or port?\n",
    )
    invalid = mkctl("get", "-f", "http://[::1/web.yaml")
    assert invalid.code == 1
    assert invalid.err.startswith('error: the URL passed to filename "http://[::1/web.yaml" is not')
    assert mkctl("get", "deployments", "-o", "name").out == ""
