"""Requests the API server must survive: malformed ones get a 400 Status (never a 500),
and slow or many clients are cut off by deadlines and a connection cap while everyone else
keeps being served."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.http import ApiServer
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store
from tests.clients import TEST_TOKEN, call

PODS = "/api/v1/namespaces/default/pods"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", PODS, b"[" * 100_000 + b"]" * 100_000),
        ("POST", PODS, b'{"apiVersion":"v1","kind":"Pod","metadata":"x"}'),
        ("PUT", f"{PODS}/a", b'{"apiVersion":"v1","kind":"Pod","metadata":["a"]}'),
        ("PATCH", f"{PODS}/a", b'{"metadata":' * 100_000 + b"1" + b"}" * 100_000),
        ("DELETE", f"{PODS}/a?gracePeriodSeconds=abc", b""),
        ("DELETE", f"{PODS}/a", b'{"gracePeriodSeconds":"soon"}'),
        ("DELETE", f"{PODS}/a", b"[1]"),
    ],
)
def test_malformed_bodies_and_options_are_bad_requests(
    served: tuple[Api, ApiServer], method: str, path: str, body: bytes
) -> None:
    local, server = served
    headers = {"Content-Type": "application/merge-patch+json"} if method == "PATCH" else {}
    answer = call(server.url, method, path, body, headers=headers)
    assert answer.code == 400, answer.body[:300]
    assert answer.json()["reason"] == "BadRequest"
    assert [p["metadata"]["name"] for p in local.list("Pod", "default")] == ["a", "b"]


@pytest.mark.parametrize("length", ["abc", "-5", "1e3"])
def test_a_content_length_that_is_not_a_number_is_a_bad_request(
    served: tuple[Api, ApiServer], length: str
) -> None:
    _, server = served
    answer = call(server.url, "POST", PODS, headers={"Content-Length": length})
    assert answer.code == 400 and answer.json()["reason"] == "BadRequest"


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[ApiServer]:
    """A server with short deadlines and room for four connections."""
    api = Api(Store(f"sqlite:///{tmp_path / 'c.db'}"), FakeClock(), SeededIds(1))
    server = ApiServer(api, TEST_TOKEN, read_seconds=0.5, idle_seconds=0.6, max_connections=4)
    server.serve_in_background()
    yield server
    server.shutdown()
    server.server_close()


def connect(server: ApiServer) -> socket.socket:
    host, port = server.server_address[:2]
    return socket.create_connection((str(host), port), timeout=10)


def closed_by_server(conn: socket.socket) -> bool:
    """Blocks until the server answers or closes; True when it closed without answering."""
    try:
        return conn.recv(1) == b""
    except ConnectionResetError:
        return True


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connected, silent
        b"GET /api/v1/pods HTTP/1.1\r\nHost: x",  # half a head
        b"POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: 100\r\n\r\n{",  # a body that never comes
    ],
)
def test_a_slow_client_is_cut_off_at_its_deadline(strict: ApiServer, sent: bytes) -> None:
    started = time.monotonic()
    with connect(strict) as slow:
        slow.sendall(sent)
        assert closed_by_server(slow)
    assert time.monotonic() - started < 5


def test_a_client_dripping_bytes_is_cut_off_at_the_deadline_not_per_byte(
    strict: ApiServer,
) -> None:
    started = time.monotonic()
    with connect(strict) as slow:
        slow.settimeout(0.2)
        for byte in b"GET /api/v1/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200:
            try:
                slow.sendall(bytes([byte]))
                if slow.recv(1) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        else:
            pytest.fail("the server kept a dripping client")
    assert time.monotonic() - started < 5


def test_over_the_cap_a_connection_waits_for_a_slot_and_is_then_served(
    strict: ApiServer,
) -> None:
    held = [connect(strict) for _ in range(4)]
    try:
        started = time.monotonic()
        answer = call(strict.url, "GET", "/api/v1/namespaces", timeout=10)
        assert answer.code == 200
        # served once the held connections hit their idle deadline, not before
        assert 0.5 < time.monotonic() - started < 5
    finally:
        for conn in held:
            conn.close()


def test_other_clients_are_served_while_slow_ones_hold_connections(
    served: tuple[Api, ApiServer],
) -> None:
    _, server = served
    host, port = server.server_address[:2]
    slow = [socket.create_connection((str(host), port)) for _ in range(200)]
    try:
        for conn in slow:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x")
        started = time.monotonic()
        for _ in range(5):
            assert call(server.url, "GET", PODS).code == 200
        assert time.monotonic() - started < 5
    finally:
        for conn in slow:
            conn.close()


def test_at_the_cap_the_accept_loop_waits_instead_of_spinning(tmp_path: Path) -> None:
    api = Api(Store(f"sqlite:///{tmp_path / 'c.db'}"), FakeClock(), SeededIds(1))
    server = ApiServer(api, TEST_TOKEN, idle_seconds=30, max_connections=2)
    server.serve_in_background()
    conns = [connect(server) for _ in range(2 + 50)]  # two served, fifty over the cap
    try:
        cpu, wall = time.process_time(), time.monotonic()
        threading.Event().wait(1.0)  # a measurement over one second, not a synchronisation
        busy = (time.process_time() - cpu) / (time.monotonic() - wall)
        assert busy < 0.3, f"the server used {busy:.0%} of a core while full"
    finally:
        for conn in conns:
            conn.close()
        server.shutdown()
        server.server_close()
