"""REST paths both ways: what the CLI requests is what the daemon's server routes."""

from __future__ import annotations

import pytest

from controlplane.api.registry import KINDS, kind_info
from controlplane.apiserver.paths import Route, parse_path, resource_path


@pytest.mark.parametrize("info", KINDS, ids=lambda i: i.kind)
def test_every_kind_round_trips_through_its_paths(info) -> None:
    namespace = "team-a" if info.namespaced else ""
    for name, sub in (("", ""), ("web", ""), ("web", "status")):
        path = resource_path(info, namespace, name, sub)
        assert parse_path(path) == Route(info, namespace, name, sub)
    if info.namespaced:  # every namespace at once
        assert parse_path(resource_path(info, None)) == Route(info, None)


def test_paths_are_the_kubernetes_ones() -> None:
    assert resource_path(kind_info("Pod"), "default") == "/api/v1/namespaces/default/pods"
    assert resource_path(kind_info("Pod"), None) == "/api/v1/pods"
    assert (
        resource_path(kind_info("Deployment"), "default", "web")
        == "/apis/apps/v1/namespaces/default/deployments/web"
    )
    assert resource_path(kind_info("Node"), "", "node-1", "status") == "/api/v1/nodes/node-1/status"
    # /api/v1/namespaces/x is the Namespace itself, not a collection inside it
    assert parse_path("/api/v1/namespaces/x") == Route(kind_info("Namespace"), "", "x")
    assert parse_path("/api/v1/namespaces/x/finalize") == Route(
        kind_info("Namespace"), "", "x", "finalize"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api",
        "/apis/apps",
        "/api/v1/deployments",  # wrong group
        "/apis/apps/v1/pods",
        "/api/v1/namespaces/default/nodes/node-1",  # nodes are cluster-scoped
        "/api/v1/pods/web",  # a pod needs its namespace
        "/api/v1/namespaces/default/pods/web/status/extra",
        "/apis/apps/v2/deployments",
    ],
)
def test_paths_nothing_serves_route_nowhere(path: str) -> None:
    assert parse_path(path) is None
