"""The daemon's HTTP server and the CLI's client of it, over a real loopback socket: reads
through HTTP return and raise exactly what the in-process API does."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.apiserver import daemon_token, endpoint
from controlplane.apiserver.http import ApiServer
from minikubectl.errors import CliError
from minikubectl.http_response import read_response
from minikubectl.remote import RemoteApi
from minikubectl.servers import daemon_api
from tests.clients import TEST_TOKEN, call


def test_remote_reads_equal_local_reads(served: tuple[Api, ApiServer]) -> None:
    local, server = served
    remote = RemoteApi(server.url, TEST_TOKEN)
    remote.connect()
    assert remote.list("Pod", "default") == local.list("Pod", "default")
    assert remote.list("Pod") == local.list("Pod")
    assert remote.list("Pod", "default", label_selector="app=db") == [
        local.get("Pod", "default", "b")
    ]
    assert remote.list("Pod", field_selector="metadata.name=a") == [
        local.get("Pod", "default", "a")
    ]
    assert remote.get("Namespace", "", "default") == local.get("Namespace", "", "default")


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        ("get", ("Deployment", "default", "nope"), {}),
        ("list", ("Pod", "default"), {"label_selector": "a in ("}),
        ("list", ("Pod",), {"field_selector": "spec.bogus=1"}),
    ],
)
def test_remote_errors_equal_local_errors(
    served: tuple[Api, ApiServer], call: str, args: tuple, kwargs: dict
) -> None:
    local, server = served
    remote = RemoteApi(server.url, TEST_TOKEN)
    with pytest.raises(ApiError) as expected:
        getattr(local, call)(*args, **kwargs)
    with pytest.raises(ApiError) as got:
        getattr(remote, call)(*args, **kwargs)
    assert got.value.status() == expected.value.status()


def test_a_daemon_is_used_only_when_it_serves_this_store(
    served: tuple[Api, ApiServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local, server = served
    monkeypatch.setenv("MKCTL_HOME", str(tmp_path))
    monkeypatch.delenv("MKCTL_STORE", raising=False)
    assert daemon_api() is None  # nothing published
    endpoint.publish(tmp_path, endpoint.Endpoint(server.url, local.store.url))
    assert daemon_api() is None  # no token: the CLI cannot prove whom it talks to
    daemon_token.write_token(tmp_path, TEST_TOKEN)
    found = daemon_api()
    assert found is not None and found.list("Pod") == local.list("Pod")
    monkeypatch.setenv("MKCTL_STORE", "sqlite:///elsewhere.db")
    assert daemon_api() is None  # a daemon serving another store
    monkeypatch.delenv("MKCTL_STORE")
    server.shutdown()
    server.server_close()
    assert daemon_api() is None  # published by a daemon that is gone: nothing listens


def test_a_daemon_gone_mid_command_is_kubectls_refused_connection(
    served: tuple[Api, ApiServer],
) -> None:
    _, server = served
    remote = RemoteApi(server.url, TEST_TOKEN)
    remote.connect()
    server.shutdown()
    server.server_close()
    remote.close()
    with pytest.raises(CliError) as refused:
        remote.list("Pod")
    assert refused.value.message == (
        f"The connection to the server {server.url.removeprefix('http://')} was refused - did "
        "you specify the right host or port?"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nX: y\r\n\r\n{}", (404, b"{}")),
        (b"HTTP/1.0 200 OK\r\ncontent-length: 4\r\n\r\nnullEXTRA", (200, b"null")),
        (b"SSH-2.0-OpenSSH\r\n\r\n", ValueError),
        (b"HTTP/1.1 200 OK\r\n\r\n{}", ValueError),  # no Content-Length
        (b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}", ValueError),  # cut short
    ],
)
def test_responses_are_read_by_their_content_length(raw: bytes, expected: object) -> None:
    stream = io.BytesIO(raw)
    if expected is ValueError:
        with pytest.raises(ValueError):
            read_response(stream)
    else:
        assert read_response(stream) == expected


@pytest.mark.parametrize("path", ["/healthz", "/livez", "/readyz"])
def test_health_paths_answer_ok_as_plain_text(served: tuple[Api, ApiServer], path: str) -> None:
    _, server = served
    answer = call(server.url, "GET", path, token=None)
    assert answer.code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.body == b"ok"


def test_a_remote_watch_streams_each_event_as_it_happens(served: tuple[Api, ApiServer]) -> None:
    local, server = served
    events = RemoteApi(server.url, TEST_TOKEN).watch("Pod", "default", send_initial_events=True)
    first = [next(events) for _ in range(3)]
    assert [(t, o["metadata"].get("name")) for t, o in first] == [
        ("ADDED", "a"),
        ("ADDED", "b"),
        ("BOOKMARK", None),
    ]
    local.delete("Pod", "default", "a", grace_period_seconds=0)
    kind, obj = next(events)
    assert (kind, obj["metadata"]["name"]) == ("DELETED", "a")
    events.close()  # closes its connection: the server's stream notices and ends


def test_a_remote_watch_refused_up_front_raises_the_api_error(
    served: tuple[Api, ApiServer],
) -> None:
    _, server = served
    with pytest.raises(ApiError) as caught:
        next(RemoteApi(server.url, TEST_TOKEN).watch("Pod", "default", label_selector="a b"))
    assert (caught.value.code, caught.value.reason) == (400, "BadRequest")
