"""`PATCH` with `application/apply-patch+yaml`: server-side apply over REST, as kubectl
`apply --server-side` and the Python client send it (JSON bodies), and managedFields on
every other write, named by `fieldManager` or else by the User-Agent."""

from __future__ import annotations

import json

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.paths import Route

APPLY = "application/apply-patch+yaml"
WEB = Route(kind_info("Deployment"), "default", "web", "")


def config(replicas: int) -> bytes:
    return json.dumps(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
                },
            },
        }
    ).encode()


def apply(api: Api, body: bytes, **query: str) -> tuple[int, dict]:
    return handle(api, "PATCH", WEB, {k: [v] for k, v in query.items()}, body, APPLY)


def test_apply_answers_201_when_it_creates_then_200(api: Api) -> None:
    code, created = apply(api, config(2), fieldManager="kubectl", force="false")
    assert code == 201 and created["spec"]["replicas"] == 2
    assert created["metadata"]["managedFields"][0]["operation"] == "Apply"
    code, updated = apply(api, config(3), fieldManager="kubectl")
    assert code == 200 and updated["spec"]["replicas"] == 3


def test_apply_needs_a_field_manager_and_only_apply_takes_force(api: Api) -> None:
    with pytest.raises(ApiError) as caught:
        apply(api, config(2))
    assert (caught.value.code, caught.value.reason, caught.value.message) == (
        422,
        "Invalid",
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required '
        "for apply patch",
    )
    apply(api, config(2), fieldManager="m")
    with pytest.raises(ApiError) as caught:
        handle(api, "PATCH", WEB, {"force": ["true"]}, b"{}", "application/merge-patch+json")
    assert caught.value.message == (
        'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for '
        "non-apply patch"
    )


def test_a_body_that_is_yaml_but_not_json_is_refused(api: Api) -> None:
    with pytest.raises(ApiError) as caught:
        apply(api, b"apiVersion: apps/v1\nkind: Deployment\n", fieldManager="m")
    assert caught.value.code == 400 and caught.value.message.startswith("error decoding YAML:")
    assert api.list("Deployment") == []


def test_a_conflict_is_a_409_status_with_field_manager_causes(api: Api) -> None:
    apply(api, config(2), fieldManager="ci")
    with pytest.raises(ApiError) as caught:
        apply(api, config(5), fieldManager="kubectl")
    status = caught.value.status()
    assert status["code"] == 409 and status["reason"] == "Conflict"
    assert status["message"] == 'Apply failed with 1 conflict: conflict with "ci": .spec.replicas'
    assert status["details"] == {
        "causes": [
            {
                "reason": "FieldManagerConflict",
                "message": 'conflict with "ci"',
                "field": ".spec.replicas",
            }
        ]
    }
    code, forced = apply(api, config(5), fieldManager="kubectl", force="true")
    assert code == 200 and forced["spec"]["replicas"] == 5


def test_other_writes_are_named_by_field_manager_or_user_agent(api: Api) -> None:
    apply(api, config(2), fieldManager="kubectl")
    patch = b'{"spec":{"replicas":4}}'
    _, patched = handle(
        api,
        "PATCH",
        WEB,
        {},
        patch,
        "application/merge-patch+json",
        user_agent="kubectl/v1.37.1 (linux/amd64) kubernetes/abc",
    )
    managers = {(e["manager"], e["operation"]) for e in patched["metadata"]["managedFields"]}
    assert managers == {("kubectl", "Apply"), ("kubectl", "Update")}
    _, patched = handle(
        api,
        "PATCH",
        WEB,
        {"fieldManager": ["hpa"]},
        b'{"spec":{"replicas":6}}',
        "application/merge-patch+json",
    )
    replicas_owner = [
        e["manager"]
        for e in patched["metadata"]["managedFields"]
        if "f:replicas" in e["fieldsV1"].get("f:spec", {})
    ]
    assert replicas_owner == ["hpa"]


def test_kubectls_managed_fields_migration_is_a_locked_json_patch(api: Api) -> None:
    """kubectl apply --server-side replaces managedFields that a client-side apply left,
    with a JSON patch that also replaces resourceVersion: stale, it must be a 409."""
    apply(api, config(2), fieldManager="kubectl")
    live = api.get("Deployment", "default", "web")
    entries = live["metadata"]["managedFields"]
    moved = [{**entries[0], "manager": "kubectl-client-side-apply", "operation": "Update"}]

    def migrate(version: str) -> tuple[int, dict]:
        ops = [
            {"op": "replace", "path": "/metadata/managedFields", "value": moved},
            {"op": "replace", "path": "/metadata/resourceVersion", "value": version},
        ]
        query = {"fieldManager": ["kubectl"]}
        return handle(
            api, "PATCH", WEB, query, json.dumps(ops).encode(), "application/json-patch+json"
        )

    with pytest.raises(ApiError) as caught:
        migrate("1")
    assert caught.value.code == 409
    code, migrated = migrate(live["metadata"]["resourceVersion"])
    assert code == 200 and migrated["metadata"]["managedFields"] == moved
