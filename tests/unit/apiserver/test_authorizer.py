"""The authorizer as a table: request (method, path, query) x role -> allowed, or the exact
message kube-apiserver's `Forbidden` would send, for the learner `ana` in namespace `ana`."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from controlplane.apiserver.authorizer import (
    OWNER,
    authorize,
    forbidden_status,
    learner_user,
)
from controlplane.apiserver.exchange import Request
from controlplane.apiserver.requestinfo import request_attributes

ANA = "/api/v1/namespaces/ana"
BOB = "/api/v1/namespaces/bob"
APPS_ANA = "/apis/apps/v1/namespaces/ana"
APPS_BOB = "/apis/apps/v1/namespaces/bob"
ALLOWED = None
IN_BOB = 'in API group "" in the namespace "bob"'


def request(method: str, path: str, query: str = "") -> Request:
    return Request(method, path, parse_qs(query), {})


def decision(role: str, method: str, path: str, query: str = "") -> str | None:
    user = learner_user("ana", "ana", role)
    attributes = request_attributes(request(method, path, query))
    if authorize(user, attributes):
        return ALLOWED
    return str(forbidden_status(user, attributes)["message"])


CASES = [
    # its own namespace: everything `edit` allows
    ("edit", "GET", f"{ANA}/pods", "", ALLOWED),
    ("edit", "GET", f"{ANA}/pods", "watch=true", ALLOWED),
    ("edit", "POST", f"{ANA}/pods", "", ALLOWED),
    ("edit", "DELETE", f"{ANA}/pods/web", "", ALLOWED),
    ("edit", "DELETE", f"{ANA}/pods", "", ALLOWED),
    ("edit", "GET", f"{ANA}/pods/web/log", "", ALLOWED),
    ("edit", "POST", f"{ANA}/pods/web/eviction", "", ALLOWED),
    ("edit", "PATCH", f"{APPS_ANA}/deployments/web", "", ALLOWED),
    ("edit", "PATCH", f"{APPS_ANA}/deployments/web/scale", "", ALLOWED),
    ("edit", "GET", f"{ANA}/secrets", "", ALLOWED),
    ("edit", "GET", ANA, "", ALLOWED),  # its Namespace object
    ("edit", "GET", "/api/v1/nodes", "", ALLOWED),
    ("edit", "GET", "/api/v1/nodes/node-1", "", ALLOWED),
    ("edit", "GET", "/api/v1/nodes", "watch=1", ALLOWED),
    ("edit", "GET", "/api", "", ALLOWED),
    ("edit", "GET", "/apis/apps/v1", "", ALLOWED),
    ("edit", "GET", "/openapi/v3/apis/apps/v1", "", ALLOWED),
    ("edit", "GET", "/version", "", ALLOWED),
    (
        "edit",
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "",
        ALLOWED,
    ),
    # what `edit` does not give, even in its own namespace
    (
        "edit",
        "PUT",
        f"{APPS_ANA}/deployments/web/status",
        "",
        'deployments.apps "web" is forbidden: User "ana" cannot update resource '
        '"deployments/status" in API group "apps" in the namespace "ana"',
    ),
    (
        "edit",
        "POST",
        f"{ANA}/events",
        "",
        'events is forbidden: User "ana" cannot create resource "events" in API group "" '
        'in the namespace "ana"',
    ),
    (
        "edit",
        "DELETE",
        ANA,
        "",
        'namespaces "ana" is forbidden: User "ana" cannot delete resource "namespaces" '
        'in API group "" in the namespace "ana"',
    ),
    (
        "edit",
        "POST",
        f"{ANA}/pods/web/binding",
        "",
        'pods "web" is forbidden: User "ana" cannot create resource "pods/binding" '
        'in API group "" in the namespace "ana"',
    ),
    (
        "edit",
        "PATCH",
        "/api/v1/nodes/node-1",
        "",
        'nodes "node-1" is forbidden: User "ana" cannot patch resource "nodes" in API group '
        '"" at the cluster scope',
    ),
    # another namespace: every verb and subresource refused
    (
        "edit",
        "GET",
        f"{BOB}/pods",
        "",
        f'pods is forbidden: User "ana" cannot list resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "GET",
        f"{BOB}/pods/web",
        "",
        f'pods "web" is forbidden: User "ana" cannot get resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "GET",
        f"{BOB}/pods",
        "watch=true",
        f'pods is forbidden: User "ana" cannot watch resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "GET",
        f"{BOB}/pods",
        "watch=true&fieldSelector=metadata.name%3Dweb",
        f'pods "web" is forbidden: User "ana" cannot watch resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "POST",
        f"{BOB}/pods",
        "",
        f'pods is forbidden: User "ana" cannot create resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "DELETE",
        f"{BOB}/pods/web",
        "",
        f'pods "web" is forbidden: User "ana" cannot delete resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "DELETE",
        f"{BOB}/pods",
        "",
        f'pods is forbidden: User "ana" cannot deletecollection resource "pods" {IN_BOB}',
    ),
    (
        "edit",
        "GET",
        f"{BOB}/pods/web/log",
        "",
        f'pods "web" is forbidden: User "ana" cannot get resource "pods/log" {IN_BOB}',
    ),
    (
        "edit",
        "POST",
        f"{BOB}/pods/web/eviction",
        "",
        f'pods "web" is forbidden: User "ana" cannot create resource "pods/eviction" {IN_BOB}',
    ),
    (
        "edit",
        "PATCH",
        f"{APPS_BOB}/deployments/web/scale",
        "",
        'deployments.apps "web" is forbidden: User "ana" cannot patch resource '
        '"deployments/scale" in API group "apps" in the namespace "bob"',
    ),
    (
        "edit",
        "GET",
        BOB,
        "",
        f'namespaces "bob" is forbidden: User "ana" cannot get resource "namespaces" {IN_BOB}',
    ),
    # every namespace at once: the cluster scope
    (
        "edit",
        "GET",
        "/api/v1/pods",
        "",
        'pods is forbidden: User "ana" cannot list resource "pods" in API group "" at the '
        "cluster scope",
    ),
    (
        "edit",
        "GET",
        "/apis/apps/v1/deployments",
        "watch=true",
        'deployments.apps is forbidden: User "ana" cannot watch resource "deployments" in '
        'API group "apps" at the cluster scope',
    ),
    (
        "edit",
        "GET",
        "/api/v1/namespaces",
        "",
        'namespaces is forbidden: User "ana" cannot list resource "namespaces" in API group '
        '"" at the cluster scope',
    ),
    (
        "edit",
        "POST",
        "/api/v1/namespaces",
        "",
        'namespaces is forbidden: User "ana" cannot create resource "namespaces" in API '
        'group "" at the cluster scope',
    ),
    (
        "edit",
        "GET",
        "/api/v1/persistentvolumes",
        "",
        'persistentvolumes is forbidden: User "ana" cannot list resource "persistentvolumes" '
        'in API group "" at the cluster scope',
    ),
    # a path that names no resource
    ("edit", "GET", "/metrics", "", 'forbidden: User "ana" cannot get path "/metrics"'),
    ("edit", "POST", "/api", "", 'forbidden: User "ana" cannot post path "/api"'),
    # `view`: reads, but no writes and no secrets
    ("view", "GET", f"{ANA}/pods", "", ALLOWED),
    ("view", "GET", f"{APPS_ANA}/deployments/web/scale", "", ALLOWED),
    ("view", "GET", f"{ANA}/pods/web/log", "", ALLOWED),
    (
        "view",
        "POST",
        f"{ANA}/pods",
        "",
        'pods is forbidden: User "ana" cannot create resource "pods" in API group "" in the '
        'namespace "ana"',
    ),
    (
        "view",
        "PATCH",
        f"{APPS_ANA}/deployments/web/scale",
        "",
        'deployments.apps "web" is forbidden: User "ana" cannot patch resource '
        '"deployments/scale" in API group "apps" in the namespace "ana"',
    ),
    (
        "view",
        "GET",
        f"{ANA}/secrets/token",
        "",
        'secrets "token" is forbidden: User "ana" cannot get resource "secrets" in API group '
        '"" in the namespace "ana"',
    ),
]


@pytest.mark.parametrize(("role", "method", "path", "query", "expected"), CASES)
def test_a_learner_reaches_only_what_its_role_gives_in_its_namespace(
    role: str, method: str, path: str, query: str, expected: str | None
) -> None:
    assert decision(role, method, path, query) == expected


@pytest.mark.parametrize(
    ("method", "path", "query"),
    [
        ("GET", "/api/v1/pods", ""),
        ("DELETE", f"{BOB}/pods", ""),
        ("POST", "/api/v1/namespaces", ""),
        ("PATCH", "/api/v1/nodes/node-1", ""),
        ("GET", "/metrics", ""),
    ],
)
def test_the_owner_is_cluster_admin(method: str, path: str, query: str) -> None:
    assert authorize(OWNER, request_attributes(request(method, path, query)))


def test_a_refusal_is_a_forbidden_status_naming_the_resource() -> None:
    user = learner_user("ana", "ana", "edit")
    attributes = request_attributes(request("PATCH", f"{APPS_BOB}/deployments/web/scale"))
    assert forbidden_status(user, attributes) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'deployments.apps "web" is forbidden: User "ana" cannot patch resource '
        '"deployments/scale" in API group "apps" in the namespace "bob"',
        "reason": "Forbidden",
        "details": {"name": "web", "group": "apps", "kind": "deployments"},
        "code": 403,
    }
