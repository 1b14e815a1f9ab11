"""Options of every write: `dryRun`, `fieldValidation` (with its warnings), the patch types,
and DELETE of a collection."""

from __future__ import annotations

import json
import threading

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.paths import Route
from controlplane.apiserver.router import route as serve

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"


def route(kind: str, name: str = "", sub: str = "", namespace: str | None = "default") -> Route:
    return Route(kind_info(kind), namespace, name, sub)


def body(obj: object) -> bytes:
    return json.dumps(obj).encode()


def pod(name: str, labels: dict[str, str] | None = None, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def names(api: Api) -> list[str]:
    return [p["metadata"]["name"] for p in api.list("Pod", "default")]


@pytest.mark.parametrize(
    ("verb", "name", "options_kind"),
    [("POST", "", "CreateOptions"), ("PUT", "a", "UpdateOptions"), ("PATCH", "a", "PatchOptions")],
)
def test_unsupported_option_values_are_422_about_the_options(
    api: Api, verb: str, name: str, options_kind: str
) -> None:
    handle(api, "POST", route("Pod"), {}, body(pod("a")))
    with pytest.raises(ApiError) as dry_run:
        handle(api, verb, route("Pod", name), {"dryRun": ["Yes"]}, body(pod("a")), MERGE)
    assert (dry_run.value.code, dry_run.value.reason, dry_run.value.message) == (
        422,
        "Invalid",
        f'{options_kind}.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Yes"]: '
        'supported values: "All"',
    )
    with pytest.raises(ApiError) as directive:
        handle(
            api, verb, route("Pod", name), {"fieldValidation": ["strict"]}, body(pod("a")), MERGE
        )
    assert directive.value.message == (
        f'{options_kind}.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: '
        '"strict": supported values: "", "Ignore", "Strict", "Warn"'
    )
    with pytest.raises(ApiError) as delete:
        handle(api, "DELETE", route("Pod", "a"), {"dryRun": ["x"]}, b"")
    assert delete.value.message.startswith('DeleteOptions.meta.k8s.io "" is invalid: dryRun:')
    assert names(api) == ["a"]


def test_dry_run_all_stores_nothing_on_any_write(api: Api) -> None:
    dry = {"dryRun": ["All"]}
    code, created = handle(api, "POST", route("Pod"), dry, body(pod("a")))
    assert code == 201 and created["metadata"]["name"] == "a" and names(api) == []
    handle(api, "POST", route("Pod"), {}, body(pod("a", {"app": "web"})))
    stored = api.get("Pod", "default", "a")
    changed = pod("a", {"app": "db"})
    _, updated = handle(api, "PUT", route("Pod", "a"), dry, body(changed))
    assert updated["metadata"]["labels"] == {"app": "db"}
    _, deleted = handle(api, "DELETE", route("Pod", "a"), dry, b"")
    assert deleted["metadata"]["name"] == "a"
    _, listed = handle(api, "DELETE", route("Pod"), dry, b"")
    assert [p["metadata"]["name"] for p in listed["items"]] == ["a"]
    assert api.get("Pod", "default", "a") == stored


def test_field_validation_strict_refuses_unknown_and_duplicate_fields(api: Api) -> None:
    strict = {"fieldValidation": ["Strict"]}
    with pytest.raises(ApiError) as unknown:
        handle(api, "POST", route("Pod"), strict, body(pod("a", foo=1)))
    assert (unknown.value.code, unknown.value.message) == (
        400,
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.foo"',
    )
    twice = b'{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","name":"a"},"spec":{}}'
    with pytest.raises(ApiError) as duplicate:
        handle(api, "POST", route("Pod"), strict, twice)
    assert duplicate.value.message == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'duplicate field "metadata.name"'
    )
    handle(api, "POST", route("Pod"), strict, body(pod("a")))
    with pytest.raises(ApiError) as patched:
        handle(api, "PATCH", route("Pod", "a"), strict, body({"spec": {"foo": 1}}), STRATEGIC)
    assert (patched.value.code, patched.value.reason, patched.value.message) == (
        422,
        "Invalid",
        ' "" is invalid: patch: Invalid value: "map[spec:map[foo:1]]": strict decoding error: '
        'unknown field "spec.foo"',
    )
    assert names(api) == ["a"] and "foo" not in api.get("Pod", "default", "a")["spec"]


def test_field_validation_warn_is_the_default_and_drops_unknown_fields(api: Api) -> None:
    lock = threading.Lock()

    def send(verb: str, path: str, obj: object, query: str = "", content_type: str = "") -> dict:
        request = Request(
            verb,
            path,
            {k: [v] for k, v in [query.split("=")]} if query else {},
            {"content-type": content_type} if content_type else {},
            body(obj),
        )
        response = serve(api, lock, request)
        assert response.code < 300, response.body
        return response.headers

    pods = "/api/v1/namespaces/default/pods"
    headers = send("POST", pods, pod("a", foo=1, bar={"x": 1}))
    assert headers == {
        "Warning": '299 - "unknown field \\"spec.bar\\"", 299 - "unknown field \\"spec.foo\\""'
    }
    headers = send("PATCH", f"{pods}/a", {"spec": {"baz": 1}}, content_type=MERGE)
    assert headers == {"Warning": '299 - "unknown field \\"spec.baz\\""'}
    assert send("POST", pods, pod("b", foo=1), "fieldValidation=Ignore") == {}
    assert send("POST", pods, pod("c"), "fieldValidation=Warn") == {}
    for name in ("a", "b"):
        spec = api.get("Pod", "default", name)["spec"]
        assert not {"foo", "bar", "baz"} & set(spec)


def test_unknown_patch_types_are_415(api: Api) -> None:
    handle(api, "POST", route("Pod"), {}, body(pod("a")))
    with pytest.raises(ApiError) as unknown:
        handle(api, "PATCH", route("Pod", "a", "status"), {}, b"{}", "application/yaml")
    assert (unknown.value.code, unknown.value.reason, unknown.value.message) == (
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml",
    )


def test_delete_collection_deletes_what_the_selectors_match(api: Api) -> None:
    for name, app in (("a", "web"), ("b", "web"), ("c", "db")):
        handle(api, "POST", route("Pod"), {}, body(pod(name, {"app": app})))
    code, deleted = handle(
        api, "DELETE", route("Pod"), {"labelSelector": ["app=web"]}, body({"kind": "DeleteOptions"})
    )
    assert code == 200 and deleted["kind"] == "PodList" and deleted["apiVersion"] == "v1"
    assert [p["metadata"]["name"] for p in deleted["items"]] == ["a", "b"]
    assert names(api) == ["c"]
    _, by_field = handle(api, "DELETE", route("Pod"), {"fieldSelector": ["metadata.name=c"]}, b"")
    assert [p["metadata"]["name"] for p in by_field["items"]] == ["c"] and names(api) == []


def test_delete_collection_respects_propagation(api: Api) -> None:
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
    handle(api, "POST", route("Deployment"), {}, body(deployment))
    handle(api, "DELETE", route("Deployment"), {}, body({"propagationPolicy": "Foreground"}))
    held = api.get("Deployment", "default", "web")["metadata"]
    assert held["finalizers"] == ["foregroundDeletion"] and held["deletionTimestamp"]


def test_delete_options_of_the_wrong_shape_are_400(api: Api) -> None:
    handle(api, "POST", route("Pod"), {}, body(pod("a")))
    for options in ([], {"gracePeriodSeconds": "soon"}, {"dryRun": "All"}):
        with pytest.raises(ApiError) as refused:
            handle(api, "DELETE", route("Pod", "a"), {}, body(options))
        assert refused.value.code == 400, options
    with pytest.raises(ApiError) as metadata:
        handle(api, "POST", route("Pod"), {}, body({"kind": "Pod", "metadata": []}))
    assert metadata.value.message == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal array into Go '
        "struct field Pod.metadata of type v1.ObjectMeta"
    )
    assert names(api) == ["a"]
