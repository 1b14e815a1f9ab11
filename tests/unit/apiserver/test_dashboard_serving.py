"""The dashboard's few public paths: its files with a strict Content-Security-Policy, and a
one-time login code exchanged for the token; the API itself still wants the token."""

from __future__ import annotations

import json

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.dashboard.login import CODE_SECONDS, LoginCodes, login_code
from controlplane.apiserver.http import ApiServer
from tests.clients import TEST_TOKEN, call

NOW = 1_800_000_000.0


def test_a_code_is_redeemed_once_and_only_before_it_expires() -> None:
    codes = LoginCodes("secret")
    code = login_code("secret", NOW)
    assert codes.redeem(code, NOW + 1) == "secret"
    assert codes.redeem(code, NOW + 2) is None  # used
    late = login_code("secret", NOW)
    assert codes.redeem(late, NOW + CODE_SECONDS + 1) is None  # expired


@pytest.mark.parametrize(
    "code",
    [
        login_code("another-token", NOW),  # signed with another daemon's token
        "",
        "1.2",
        "x.y.z",
        login_code("secret", NOW).rsplit(".", 1)[0] + ".00",  # a forged signature
        str(int(NOW) + 10**6) + "." + login_code("secret", NOW).split(".", 1)[1],  # expiry moved
    ],
    ids=["other-token", "empty", "two-parts", "not-numbers", "forged", "expiry-moved"],
)
def test_a_code_not_signed_with_the_token_is_refused(code: str) -> None:
    assert LoginCodes("secret").redeem(code, NOW) is None


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/dashboard.js", "/dashboard/graph.js"])
def test_the_page_needs_no_token_and_forbids_other_origins(
    served: tuple[Api, ApiServer], path: str
) -> None:
    _, server = served
    answer = call(server.url, "GET", path, token=None)
    assert answer.code == 200
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["content-type"].startswith(
        "text/html" if path.endswith("/") else "text/javascript"
    )


def test_the_page_is_refused_to_a_foreign_host(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    answer = call(server.url, "GET", "/dashboard/", headers={"Host": "evil.example"})
    assert answer.code == 403


def test_dashboard_redirects_keeping_the_namespace(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    answer = call(server.url, "GET", "/dashboard?namespace=shop", token=None)
    assert (answer.code, answer.headers["location"]) == (301, "/dashboard/?namespace=shop")


def test_a_code_gets_the_token_once(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    body = json.dumps({"code": login_code(TEST_TOKEN)}).encode()
    first = call(server.url, "POST", "/dashboard/session", body, token=None)
    assert (first.code, first.json()) == (200, {"token": TEST_TOKEN})
    again = call(server.url, "POST", "/dashboard/session", body, token=None)
    assert again.code == 401
    assert "run 'mkctl dashboard' again" in again.json()["message"]


@pytest.mark.parametrize("body", [b"{}", b"[]", b"not json", b'{"code": 3}'])
def test_a_malformed_exchange_is_unauthorized(served: tuple[Api, ApiServer], body: bytes) -> None:
    _, server = served
    assert call(server.url, "POST", "/dashboard/session", body, token=None).code == 401


def test_the_exchange_takes_json_only_and_post_only(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    form = call(
        server.url,
        "POST",
        "/dashboard/session",
        b"code=x",
        token=None,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.code == 415  # a cross-site form cannot post a code
    assert call(server.url, "GET", "/dashboard/session", token=None).code == 405
    assert call(server.url, "DELETE", "/dashboard/", token=None).code == 405


def test_the_api_beside_the_page_still_wants_the_token(served: tuple[Api, ApiServer]) -> None:
    _, server = served
    assert call(server.url, "GET", "/api/v1/namespaces/default/pods", token=None).code == 401
    assert call(server.url, "GET", "/dashboard/nope.js", token=None).code == 401


def test_the_public_files_are_exactly_the_static_folder() -> None:
    from controlplane.apiserver.dashboard import FILES
    from controlplane.apiserver.dashboard.serve import FOLDER, TYPES

    assert sorted(FILES) == sorted(p.name for p in FOLDER.iterdir() if p.suffix in TYPES)
