"""Lists as a real API server pages and versions them: `limit`/`continue` with upstream's
tokens, resourceVersion and resourceVersionMatch, and their errors."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request
from controlplane.apiserver.listing import INCONSISTENT_CONTINUE
from controlplane.apiserver.router import route


def pod(name: str, namespace: str = "default") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def get(api: Api, path: str, **query: str) -> tuple[int, Any]:
    request = Request("GET", path, {k: [v] for k, v in query.items()}, {})
    response = route(api, threading.Lock(), request)
    assert isinstance(response.body, bytes)
    return response.code, json.loads(response.body)


def token(encoded: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


PODS = "/api/v1/namespaces/default/pods"


def test_limit_and_continue_page_through_in_key_order_at_the_first_pages_revision(
    api: Api,
) -> None:
    for name in "edcba":
        api.create(pod(name))
    code, first = get(api, PODS, limit="2")
    revision = first["metadata"]["resourceVersion"]
    assert code == 200 and [p["metadata"]["name"] for p in first["items"]] == ["a", "b"]
    assert first["metadata"]["remainingItemCount"] == 3
    assert token(first["metadata"]["continue"]) == {
        "v": "meta.k8s.io/v1",
        "rv": int(revision),
        "start": "b\x00",
    }
    api.create(pod("f"))  # a later write shows on later pages, at the first page's revision
    _, second = get(api, PODS, limit="2", **{"continue": first["metadata"]["continue"]})
    assert [p["metadata"]["name"] for p in second["items"]] == ["c", "d"]
    assert second["metadata"]["resourceVersion"] == revision
    _, last = get(api, PODS, limit="2", **{"continue": second["metadata"]["continue"]})
    assert [p["metadata"]["name"] for p in last["items"]] == ["e", "f"]
    assert "continue" not in last["metadata"]


def test_across_namespaces_the_token_starts_at_namespace_and_name(api: Api) -> None:
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    api.create(pod("z"))
    api.create(pod("a", "other"))
    _, first = get(api, "/api/v1/pods", limit="1", labelSelector="")
    assert token(first["metadata"]["continue"])["start"] == "default/z\x00"
    _, rest = get(api, "/api/v1/pods", **{"continue": first["metadata"]["continue"]})
    assert [p["metadata"]["namespace"] for p in rest["items"]] == ["other"]


def test_selectors_leave_the_remaining_count_out(api: Api) -> None:
    for name in "abc":
        api.create(pod(name))
    _, page = get(api, PODS, limit="1", fieldSelector="metadata.name!=a")
    assert [p["metadata"]["name"] for p in page["items"]] == ["b"]
    assert "remainingItemCount" not in page["metadata"] and page["metadata"]["continue"]


def test_a_compacted_continue_token_is_410_with_a_token_for_the_latest_revision(
    api: Api,
) -> None:
    for name in "abc":
        api.create(pod(name))
    _, first = get(api, PODS, limit="1")
    api.create(pod("d"))
    api.create(pod("e"))
    api.compact(api.current_revision())
    code, status = get(api, PODS, limit="1", **{"continue": first["metadata"]["continue"]})
    assert (code, status["reason"], status["message"]) == (410, "Expired", INCONSISTENT_CONTINUE)
    offered = status["metadata"]["continue"]
    assert token(offered) == {"v": "meta.k8s.io/v1", "rv": -1, "start": "a\x00"}
    code, rest = get(api, PODS, **{"continue": offered})
    assert code == 200 and [p["metadata"]["name"] for p in rest["items"]] == ["b", "c", "d", "e"]
    assert rest["metadata"]["resourceVersion"] == str(api.current_revision())


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            {"continue": "not a token!"},
            400,
            "invalid continue token: continue key is not valid: ",
        ),
        (
            {"continue": base64.urlsafe_b64encode(b'{"v":"v9","rv":1,"start":"a"}').decode()},
            400,
            "invalid continue token: continue key is not valid: server does not recognize "
            "this encoded version",
        ),
        (
            {
                "continue": base64.urlsafe_b64encode(
                    b'{"v":"meta.k8s.io/v1","rv":1,"start":"a"}'
                ).decode(),
                "resourceVersion": "5",
            },
            400,
            "specifying resource version is not allowed when using continue",
        ),
        (
            {"resourceVersion": "0", "resourceVersionMatch": "Exact"},
            422,
            'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
            'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
        (
            {"resourceVersionMatch": "NotOlderThan"},
            422,
            'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
        ),
        (
            {"sendInitialEvents": "true"},
            422,
            'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: '
            "sendInitialEvents is forbidden for list",
        ),
        ({"resourceVersion": "999"}, 504, "Timeout: Too large resource version: 999, current: "),
        ({"limit": "ten"}, 400, 'strconv.ParseInt: parsing "ten": invalid syntax'),
    ],
)
def test_refused_list_options(api: Api, query: dict, code: int, message: str) -> None:
    got, status = get(api, PODS, **query)
    assert (got, status["kind"]) == (code, "Status")
    assert status["message"].startswith(message)


def test_resource_version_exact_and_not_older_than(api: Api) -> None:
    old = api.create(pod("a"))["metadata"]["resourceVersion"]
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "unrelated"}})
    current = str(api.current_revision())
    # Nothing in the listed scope changed since `old`: the state at `old` is the current one.
    code, exact = get(api, PODS, resourceVersion=old, resourceVersionMatch="Exact")
    assert (code, exact["metadata"]["resourceVersion"]) == (200, old)
    _, newer = get(api, PODS, resourceVersion=old, resourceVersionMatch="NotOlderThan")
    assert newer["metadata"]["resourceVersion"] == current
    api.create(pod("b"))
    code, status = get(api, PODS, resourceVersion=old, resourceVersionMatch="Exact")
    assert (code, status["reason"]) == (410, "Expired")
    assert status["message"] == "The resourceVersion for the provided list is too old."
