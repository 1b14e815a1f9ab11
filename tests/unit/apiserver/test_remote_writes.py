"""RemoteApi's writes: the requests kubectl would send, and the answers the in-process API
gives, errors included."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from controlplane.api.clusterapi import ClusterApi, controlled_by
from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.apiserver import daemon_token
from controlplane.apiserver.http import ApiServer
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store
from minikubectl.remote import RemoteApi
from tests.clients import TEST_TOKEN

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


class Recorder(BaseHTTPRequestHandler):
    """Answers the CLI's challenge as the daemon does, `{}` to everything else, and keeps
    what was asked (and whether it carried the bearer token)."""

    protocol_version = "HTTP/1.1"  # keep-alive, as the daemon's server
    seen: ClassVar[list[tuple[str, str, str, Any]]] = []
    authorized: ClassVar[list[bool]] = []

    def _answer(self, *headers: tuple[str, str]) -> None:
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:
        challenge = self.headers.get(daemon_token.CHALLENGE_HEADER, "")
        host, port = self.server.server_address[:2]
        proof = daemon_token.proof(TEST_TOKEN, challenge, f"{host!s}:{port}")
        self._answer((daemon_token.PROOF_HEADER, proof))

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        Recorder.seen.append((self.command, self.path, self.headers.get("Content-Type", ""), body))
        Recorder.authorized.append(self.headers.get("Authorization") == f"Bearer {TEST_TOKEN}")
        self._answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = _record

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorded() -> Iterator[RemoteApi]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen, Recorder.authorized = [], []
    yield RemoteApi(f"http://127.0.0.1:{server.server_address[1]}", TEST_TOKEN)
    server.shutdown()
    server.server_close()


def test_writes_are_sent_as_kubectl_sends_them(recorded: RemoteApi) -> None:
    remote = recorded
    remote.create(POD)
    remote.create(POD, dry_run=True)
    remote.update({**POD, "metadata": {**POD["metadata"], "resourceVersion": "7"}})
    remote.update_status({**POD, "status": {"phase": "Running"}})
    remote.patch("Deployment", "shop", "web", {"spec": {"replicas": 2}}, "merge")
    remote.patch("Deployment", "shop", "web", '{"spec":{"paused":true}}', "strategic")
    remote.patch(
        "Deployment", "shop", "web", [{"op": "remove", "path": "/x"}], "json", dry_run=True
    )
    remote.delete("Pod", "default", "p", propagation="Foreground", grace_period_seconds=0, uid="u1")
    remote.delete("Node", "", "node-1", resource_version="9", dry_run=True)
    remote.field_validation = "Strict"  # `--validate`'s, for the commands that have it
    remote.create(POD, field_manager="kubectl-create")
    remote.patch("Pod", "default", "p", {}, "strategic", field_manager="kubectl-set")
    remote.apply(POD, field_manager="kubectl", force=True)
    remote.apply(POD, field_manager="mine", dry_run=True)
    pods = "/api/v1/namespaces/default/pods"
    deploy = "/apis/apps/v1/namespaces/shop/deployments/web"
    dry = "?dryRun=All"
    json_type = "application/json"
    assert [(m, p, t) for m, p, t, _ in Recorder.seen] == [
        ("POST", pods, json_type),
        ("POST", pods + dry, json_type),
        ("PUT", f"{pods}/p", json_type),
        ("PUT", f"{pods}/p/status", json_type),
        ("PATCH", deploy, "application/merge-patch+json"),
        ("PATCH", deploy, "application/strategic-merge-patch+json"),
        ("PATCH", deploy + dry, "application/json-patch+json"),
        ("DELETE", f"{pods}/p", json_type),
        ("DELETE", "/api/v1/nodes/node-1", json_type),
        ("POST", f"{pods}?fieldManager=kubectl-create&fieldValidation=Strict", json_type),
        (
            "PATCH",
            f"{pods}/p?fieldManager=kubectl-set&fieldValidation=Strict",
            "application/strategic-merge-patch+json",
        ),
        (
            "PATCH",
            f"{pods}/p?fieldManager=kubectl&fieldValidation=Strict&force=true",
            "application/apply-patch+yaml",
        ),
        (
            "PATCH",
            f"{pods}/p?dryRun=All&fieldManager=mine&fieldValidation=Strict&force=false",
            "application/apply-patch+yaml",
        ),
    ]
    assert all(Recorder.authorized)
    bodies = [body for *_, body in Recorder.seen]
    assert json.loads(bodies[0]) == POD
    assert bodies[5] == '{"spec":{"paused":true}}'  # a patch given as text is sent as is
    assert json.loads(bodies[7]) == {
        "gracePeriodSeconds": 0,
        "preconditions": {"uid": "u1"},
        "propagationPolicy": "Foreground",
    }
    assert json.loads(bodies[8]) == {
        "preconditions": {"resourceVersion": "9"},
        "dryRun": ["All"],
    }


@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Api, RemoteApi]]:
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    local = Api(Store(url), FakeClock(), SeededIds(1))
    local.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    server = ApiServer(Api(Store(url), FakeClock(), SeededIds(2)), TEST_TOKEN)
    server.serve_in_background()
    remote = RemoteApi(server.url, TEST_TOKEN)
    yield local, remote
    remote.close()
    server.shutdown()
    server.server_close()


def test_remote_writes_do_what_local_writes_do(both: tuple[Api, RemoteApi]) -> None:
    local, remote = both
    assert remote.create(POD, dry_run=True)["metadata"]["name"] == "p"
    assert local.list("Pod") == []
    created = remote.create(POD)
    assert local.get("Pod", "default", "p") == created
    patched = remote.patch("Pod", "default", "p", {"metadata": {"labels": {"x": "1"}}}, "merge")
    assert patched["metadata"]["labels"] == {"app": "web", "x": "1"}
    updated = remote.update({**patched, "metadata": {**patched["metadata"], "labels": {}}})
    assert local.get("Pod", "default", "p") == updated
    status = remote.update_status({**updated, "status": {"phase": "Running"}})
    assert local.get("Pod", "default", "p")["status"] == status["status"] == {"phase": "Running"}
    remote.delete("Pod", "default", "p", dry_run=True)
    assert local.list("Pod") != []
    remote.delete("Pod", "default", "p")
    assert local.list("Pod") == []


@pytest.mark.parametrize(
    ("verb", "args", "kwargs"),
    [
        ("create", ({**POD, "spec": {"containers": [{"name": "c"}]}},), {}),
        ("patch", ("Pod", "default", "p", "{", "merge"), {}),
        ("patch", ("Pod", "default", "p", [{"op": "remove", "path": "/nope"}], "json"), {}),
        ("patch", ("Pod", "default", "gone", {}, "strategic"), {}),
        ("delete", ("Pod", "default", "p"), {"uid": "not-its-uid"}),
        ("delete", ("Pod", "default", "p"), {"resource_version": "1"}),
        ("update", ({**POD, "metadata": {**POD["metadata"], "resourceVersion": "1"}},), {}),
    ],
    ids=["invalid", "bad-json", "json-patch", "missing", "uid", "rv", "stale"],
)
def test_remote_write_errors_equal_local_ones(
    both: tuple[Api, RemoteApi], verb: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    local, remote = both
    local.create(POD)
    local.patch("Pod", "default", "p", {"metadata": {"labels": {"v": "2"}}}, "merge")
    with pytest.raises(ApiError) as here:
        getattr(local, verb)(*args, **kwargs)
    with pytest.raises(ApiError) as there:
        getattr(remote, verb)(*args, **kwargs)
    for field in ("reason", "code", "message", "kind", "name"):
        assert getattr(there.value, field) == getattr(here.value, field), field
    assert [str(c) for c in there.value.causes] == [str(c) for c in here.value.causes]


def test_controlled_objects_are_found_by_selector_and_owner_reference(
    both: tuple[Api, RemoteApi],
) -> None:
    local, remote = both
    owner = {"kind": "ReplicaSet", "metadata": {"namespace": "default", "uid": "rs-uid"}}
    owner["spec"] = {"selector": {"matchLabels": {"app": "web"}}}
    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "rs-uid"}
    for name, labels, refs in (
        ("mine", {"app": "web"}, [{**ref, "controller": True}]),
        ("not-controller", {"app": "web"}, [ref]),
        ("orphan", {"app": "web"}, []),
        ("other-labels", {"app": "db"}, [{**ref, "controller": True}]),
    ):
        meta = {**POD["metadata"], "name": name, "labels": labels, "ownerReferences": refs}
        local.create({**POD, "metadata": meta})
    doors: list[ClusterApi] = [local, remote]
    for door in doors:
        found = controlled_by(door, "Pod", owner)
        assert [p["metadata"]["name"] for p in found] == ["mine"]
