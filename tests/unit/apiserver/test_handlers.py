"""REST requests to API verbs: status codes and bodies as a real API server answers them
(staging/src/k8s.io/apiserver/pkg/endpoints/handlers)."""

from __future__ import annotations

import json

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.paths import Route


def pod(name: str, labels: dict[str, str] | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def route(kind: str, namespace: str | None = "default", name: str = "", sub: str = "") -> Route:
    return Route(kind_info(kind), namespace, name, sub)


def body(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_post_creates_and_get_lists_with_the_stores_revision(api: Api) -> None:
    code, created = handle(api, "POST", route("Pod"), {}, body(pod("a", {"app": "web"})))
    assert code == 201 and created["metadata"]["namespace"] == "default"
    handle(api, "POST", route("Pod"), {}, body(pod("b")))
    code, listed = handle(api, "GET", route("Pod"), {"labelSelector": ["app=web"]}, b"")
    assert code == 200 and listed["kind"] == "PodList" and listed["apiVersion"] == "v1"
    assert [p["metadata"]["name"] for p in listed["items"]] == ["a"]
    assert listed["metadata"]["resourceVersion"] == str(api.current_revision())
    _, everywhere = handle(api, "GET", route("Pod", None), {}, b"")
    assert len(everywhere["items"]) == 2


def test_errors_are_the_verbs_status(api: Api) -> None:
    with pytest.raises(ApiError) as missing:
        handle(api, "GET", route("Deployment", name="nope"), {}, b"")
    assert missing.value.status()["message"] == 'deployments.apps "nope" not found'
    with pytest.raises(ApiError) as bad_selector:
        handle(api, "GET", route("Pod"), {"labelSelector": ["a in ("]}, b"")
    assert bad_selector.value.code == 400
    with pytest.raises(ApiError) as invalid:
        handle(api, "POST", route("Pod"), {}, body({"kind": "Pod", "metadata": {"name": "x"}}))
    assert invalid.value.code == 422


def test_the_body_must_match_the_path(api: Api) -> None:
    with pytest.raises(ApiError) as other_namespace:
        other = pod("a")
        other["metadata"]["namespace"] = "kube-system"
        handle(api, "POST", route("Pod"), {}, body(other))
    assert other_namespace.value.message == (
        "the namespace of the provided object does not match the namespace sent on the request"
    )
    handle(api, "POST", route("Pod"), {}, body(pod("a")))
    with pytest.raises(ApiError) as other_name:
        handle(api, "PUT", route("Pod", name="b"), {}, body(pod("a")))
    assert other_name.value.message == (
        "the name of the object (a) does not match the name on the URL (b)"
    )
    with pytest.raises(ApiError) as not_json:
        handle(api, "POST", route("Pod"), {}, b"{")
    assert not_json.value.code == 400


def test_put_and_patch_take_their_type_from_the_content_type(api: Api) -> None:
    _, created = handle(api, "POST", route("Pod"), {}, body(pod("a")))
    created["metadata"]["labels"] = {"tier": "front"}
    code, updated = handle(api, "PUT", route("Pod", name="a"), {}, body(created))
    assert code == 200 and updated["metadata"]["labels"] == {"tier": "front"}
    merge = body({"metadata": {"labels": {"tier": None, "app": "web"}}})
    _, patched = handle(
        api, "PATCH", route("Pod", name="a"), {}, merge, "application/merge-patch+json"
    )
    assert patched["metadata"]["labels"] == {"app": "web"}
    json_patch = body([{"op": "add", "path": "/metadata/labels/x", "value": "1"}])
    _, patched = handle(
        api, "PATCH", route("Pod", name="a"), {}, json_patch, "application/json-patch+json"
    )
    assert patched["metadata"]["labels"] == {"app": "web", "x": "1"}
    with pytest.raises(ApiError) as unknown:
        handle(api, "PATCH", route("Pod", name="a"), {}, merge, "text/plain")
    assert unknown.value.code == 415
    code, dry = handle(
        api,
        "PATCH",
        route("Pod", name="a"),
        {"dryRun": ["All"]},
        body({"metadata": {"labels": {"dry": "run"}}}),
        "application/merge-patch+json",
    )
    assert dry["metadata"]["labels"]["dry"] == "run"
    assert "dry" not in api.get("Pod", "default", "a")["metadata"]["labels"]


def test_delete_answers_the_pod_or_a_success_status(api: Api) -> None:
    handle(api, "POST", route("Pod"), {}, body(pod("a")))
    code, answer = handle(api, "DELETE", route("Pod", name="a"), {}, b"")
    assert code == 200 and answer["kind"] == "Pod"
    handle(api, "POST", route("Namespace", ""), {}, body({"metadata": {"name": "team"}}))
    _, kept = handle(
        api, "DELETE", route("Namespace", "", "team"), {}, body({"kind": "DeleteOptions"})
    )
    assert kept["kind"] == "Namespace" and kept["status"]["phase"] == "Terminating"
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }
    _, created = handle(api, "POST", route("Deployment"), {}, body(deployment))
    _, gone = handle(
        api,
        "DELETE",
        route("Deployment", name="web"),
        {},
        body({"propagationPolicy": "Background"}),
    )
    assert gone == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {
            "name": "web",
            "group": "apps",
            "kind": "deployments",
            "uid": created["metadata"]["uid"],
        },
    }


def test_unserved_methods_and_subresources(api: Api) -> None:
    with pytest.raises(ApiError) as every_namespace_delete:
        handle(api, "DELETE", route("Pod", None), {}, b"")
    assert every_namespace_delete.value.code == 405
    with pytest.raises(ApiError) as no_status:
        handle(api, "GET", route("ControllerRevision", name="r", sub="status"), {}, b"")
    assert no_status.value.code == 404
    with pytest.raises(ApiError) as no_scale:
        handle(api, "GET", route("DaemonSet", name="x", sub="scale"), {}, b"")
    assert no_scale.value.code == 404
    with pytest.raises(ApiError) as get_eviction:
        handle(api, "GET", route("Pod", name="a", sub="eviction"), {}, b"")
    assert get_eviction.value.code == 405
