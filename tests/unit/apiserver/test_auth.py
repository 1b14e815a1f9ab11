"""The guard in front of the API, over a real loopback socket: the bearer token, the Host,
the methods and the body types a page in a browser could use against a local daemon."""

from __future__ import annotations

import json

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver import daemon_token
from controlplane.apiserver.http import ApiServer
from tests.clients import TEST_TOKEN, call

PODS = "/api/v1/namespaces/default/pods"
UNAUTHORIZED = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}


def pod_body(name: str) -> bytes:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        }
    ).encode()


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer wrong-token", f"Basic {TEST_TOKEN}", f"Bearer {TEST_TOKEN}x"],
)
def test_a_request_without_the_token_is_unauthorized(
    served: tuple[Api, ApiServer], authorization: str
) -> None:
    _, server = served
    answer = call(server.url, "GET", PODS, headers={"Authorization": authorization})
    assert (answer.code, answer.json()) == (401, UNAUTHORIZED)
    assert call(server.url, "GET", PODS).code == 200


@pytest.mark.parametrize("path", ["/healthz", "/livez", "/readyz", "/version"])
def test_health_and_version_need_no_token(served: tuple[Api, ApiServer], path: str) -> None:
    _, server = served
    assert call(server.url, "GET", path, token=None).code != 401


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "evil.example", ""])
def test_a_foreign_host_is_refused(served: tuple[Api, ApiServer], host: str) -> None:
    _, server = served
    port = server.server_address[1]
    answer = call(server.url, "GET", PODS, headers={"Host": host.format(port=port)})
    assert answer.code == 403 and answer.json()["reason"] == "Forbidden"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_hosts_are_served(served: tuple[Api, ApiServer], name: str) -> None:
    _, server = served
    port = server.server_address[1]
    assert call(server.url, "GET", PODS, headers={"Host": f"{name}:{port}"}).code == 200


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_of_a_type_the_verb_does_not_take_creates_nothing(
    served: tuple[Api, ApiServer], content_type: str
) -> None:
    local, server = served
    answer = call(
        server.url, "POST", PODS, pod_body("sneaky"), headers={"Content-Type": content_type}
    )
    assert answer.code == 415 and answer.json()["reason"] == "UnsupportedMediaType"
    assert [p["metadata"]["name"] for p in local.list("Pod", "default")] == ["a", "b"]
    created = call(server.url, "POST", PODS, pod_body("fine"))
    assert created.code == 201


def test_options_is_not_allowed_and_nothing_answers_cors(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    preflight = {
        "Origin": "http://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    answer = call(server.url, "OPTIONS", PODS, token=None, headers=preflight)
    assert answer.code == 405 and answer.json()["reason"] == "MethodNotAllowed"
    with_origin = call(server.url, "GET", PODS, headers={"Origin": "http://evil.example"})
    for response in (answer, with_origin):
        assert not [name for name in response.headers if name.startswith("access-control-")]


def test_a_challenge_is_answered_with_a_proof_of_the_token(
    served: tuple[Api, ApiServer],
) -> None:
    _, server = served
    address = server.url.removeprefix("http://")
    answer = call(
        server.url, "GET", "/healthz", token=None, headers={daemon_token.CHALLENGE_HEADER: "nonce"}
    )
    assert answer.headers[daemon_token.PROOF_HEADER.lower()] == daemon_token.proof(
        TEST_TOKEN, "nonce", address
    )
    # bound to the address the daemon listens on: a relay on another port cannot reuse it
    assert answer.headers[daemon_token.PROOF_HEADER.lower()] != daemon_token.proof(
        TEST_TOKEN, "nonce", "127.0.0.1:1"
    )
