"""`/scale`, `/status` and `pods/{name}/eviction` as the API server answers them."""

from __future__ import annotations

import json

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.paths import Route

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"


def route(kind: str, name: str = "", sub: str = "", namespace: str = "default") -> Route:
    return Route(kind_info(kind), namespace, name, sub)


def body(obj: object) -> bytes:
    return json.dumps(obj).encode()


def workload(kind: str, name: str = "web", replicas: int = 2) -> dict:
    spec: dict = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": name}},
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        },
    }
    if kind == "StatefulSet":
        spec["serviceName"] = name
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}, "spec": spec}


def create(api: Api, obj: dict) -> dict:
    return handle(api, "POST", route(obj["kind"]), {}, body(obj))[1]


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "StatefulSet"])
def test_get_scale_is_an_autoscaling_v1_scale(api: Api, kind: str) -> None:
    created = create(api, workload(kind, replicas=3))
    code, scale = handle(api, "GET", route(kind, "web", "scale"), {}, b"")
    meta = created["metadata"]
    assert code == 200
    assert scale == {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"],
            "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": {"replicas": 3},
        "status": {"replicas": 0, "selector": "app=web"},
    }


@pytest.mark.parametrize(
    ("content_type", "patch"),
    [
        (MERGE, {"spec": {"replicas": 5}}),  # kubectl scale
        (STRATEGIC, {"spec": {"replicas": 5}}),  # the Python client's default
        (JSON_PATCH, [{"op": "replace", "path": "/spec/replicas", "value": 5}]),
    ],
)
def test_patching_the_scale_sets_the_replicas(api: Api, content_type: str, patch: object) -> None:
    create(api, workload("Deployment"))
    code, scale = handle(
        api, "PATCH", route("Deployment", "web", "scale"), {}, body(patch), content_type
    )
    stored = api.get("Deployment", "default", "web")
    assert code == 200 and scale["spec"] == {"replicas": 5}
    assert stored["spec"]["replicas"] == 5 and stored["metadata"]["generation"] == 2
    assert scale["metadata"]["resourceVersion"] == stored["metadata"]["resourceVersion"]


def test_put_scale_keeps_the_rest_and_checks_the_resource_version(api: Api) -> None:
    created = create(api, workload("ReplicaSet"))
    _, scale = handle(api, "GET", route("ReplicaSet", "web", "scale"), {}, b"")
    scale["spec"]["replicas"] = 4
    code, answer = handle(api, "PUT", route("ReplicaSet", "web", "scale"), {}, body(scale))
    stored = api.get("ReplicaSet", "default", "web")
    assert code == 200 and answer["spec"]["replicas"] == 4
    assert stored["spec"]["template"] == created["spec"]["template"]
    with pytest.raises(ApiError) as stale:  # the Scale read before that write
        handle(api, "PUT", route("ReplicaSet", "web", "scale"), {}, body(scale))
    assert (stale.value.code, stale.value.message) == (
        409,
        'Operation cannot be fulfilled on replicasets.apps "web": the object has been '
        "modified; please apply your changes to the latest version and try again",
    )


def test_scale_refusals(api: Api) -> None:
    create(api, workload("Deployment"))
    with pytest.raises(ApiError) as negative:
        handle(
            api,
            "PATCH",
            route("Deployment", "web", "scale"),
            {},
            body({"spec": {"replicas": -1}}),
            MERGE,
        )
    assert (negative.value.code, negative.value.reason, negative.value.message) == (
        422,
        "Invalid",
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
        "than or equal to 0",
    )
    # a cause's message is the error without its field: kubectl prints `<field>: <message>`
    assert negative.value.status()["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: -1: must be greater than or equal to 0",
            "field": "spec.replicas",
        }
    ]
    with pytest.raises(ApiError) as missing:
        handle(api, "GET", route("StatefulSet", "nope", "scale"), {}, b"")
    assert (missing.value.code, missing.value.message) == (
        404,
        'statefulsets.apps "nope" not found',
    )
    with pytest.raises(ApiError) as other_uid:
        scale = {"metadata": {"name": "web", "uid": "not-it"}, "spec": {"replicas": 1}}
        handle(api, "PUT", route("Deployment", "web", "scale"), {}, body(scale))
    assert other_uid.value.code == 409
    assert other_uid.value.message.startswith(
        'Operation cannot be fulfilled on deployments/scale.apps "web": Precondition failed: '
        "UID in precondition: not-it"
    )
    assert api.get("Deployment", "default", "web")["spec"]["replicas"] == 2


def test_dry_run_scale_answers_without_writing(api: Api) -> None:
    create(api, workload("Deployment"))
    _, scale = handle(
        api,
        "PATCH",
        route("Deployment", "web", "scale"),
        {"dryRun": ["All"]},
        body({"spec": {"replicas": 9}}),
        MERGE,
    )
    assert scale["spec"]["replicas"] == 9
    assert api.get("Deployment", "default", "web")["spec"]["replicas"] == 2


def test_status_writes_the_status_and_ignores_the_spec(api: Api) -> None:
    create(api, workload("Deployment"))
    patch = {"spec": {"replicas": 7}, "status": {"replicas": 2, "readyReplicas": 1}}
    code, patched = handle(
        api, "PATCH", route("Deployment", "web", "status"), {}, body(patch), STRATEGIC
    )
    assert code == 200 and patched["kind"] == "Deployment"
    assert patched["status"] == {"replicas": 2, "readyReplicas": 1}
    assert patched["spec"]["replicas"] == 2
    _, got = handle(api, "GET", route("Deployment", "web", "status"), {}, b"")
    assert got == api.get("Deployment", "default", "web") == patched
    got["status"] = {"replicas": 3}
    got["spec"]["replicas"] = 0
    _, put = handle(api, "PUT", route("Deployment", "web", "status"), {}, body(got))
    assert put["status"] == {"replicas": 3} and put["spec"]["replicas"] == 2
    _, dry = handle(
        api,
        "PATCH",
        route("Deployment", "web", "status"),
        {"dryRun": ["All"]},
        body({"status": {"replicas": 9}}),
        MERGE,
    )
    assert dry["status"]["replicas"] == 9
    assert api.get("Deployment", "default", "web")["status"] == {"replicas": 3}


def eviction(name: str, **delete_options: object) -> dict:
    obj: dict = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name}}
    if delete_options:
        obj["deleteOptions"] = delete_options
    return obj


def pod(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }


def test_eviction_deletes_the_pod_and_answers_201_success(api: Api) -> None:
    create(api, pod("a"))
    code, answer = handle(api, "POST", route("Pod", "a", "eviction"), {}, body(eviction("a")))
    assert (code, answer) == (
        201,
        {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201},
    )
    assert api.list("Pod", "default") == []


def test_eviction_refusals_and_dry_run(api: Api) -> None:
    with pytest.raises(ApiError) as missing:
        handle(api, "POST", route("Pod", "a", "eviction"), {}, body(eviction("a")))
    assert (missing.value.code, missing.value.message) == (404, 'pods "a" not found')
    create(api, pod("a"))
    with pytest.raises(ApiError) as other_name:
        handle(api, "POST", route("Pod", "a", "eviction"), {}, body(eviction("b")))
    assert (other_name.value.code, other_name.value.message) == (
        400,
        "name in URL does not match name in Eviction object",
    )
    handle(api, "POST", route("Pod", "a", "eviction"), {}, body(eviction("a", dryRun=["All"])))
    handle(api, "POST", route("Pod", "a", "eviction"), {"dryRun": ["All"]}, body(eviction("a")))
    with pytest.raises(ApiError) as stale:
        stale_eviction = eviction("a", preconditions={"resourceVersion": "1"})
        handle(api, "POST", route("Pod", "a", "eviction"), {}, body(stale_eviction))
    assert stale.value.code == 409
    assert [p["metadata"]["name"] for p in api.list("Pod", "default")] == ["a"]
