"""The endpoint controllers: Endpoints and EndpointSlices follow the pods a Service selects,
as pkg/controller/endpoint and pkg/controller/endpointslice keep them. Pure planners first,
then the controllers in a whole embedded cluster (fake clock, seeded ids)."""

from __future__ import annotations

import pytest

from controlplane.clock import FakeClock, rfc3339
from controlplane.cluster import Cluster, open_cluster
from controlplane.controllers.endpoint.endpoints import desired_subsets
from controlplane.controllers.endpoint.endpointslice import desired_endpoints, referenced_pods
from controlplane.controllers.endpoint.util import service_keys_for
from controlplane.ids import SeededIds
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Change, Key

NOW = 1_700_000_000.0


def service(**spec: object) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "uid": "svc-uid"},
        "spec": {
            "selector": {"app": "web"},
            "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
            **spec,
        },
    }


def pod(
    name: str, ip: str, *, ready: bool = True, deleting: bool = False, phase: str = "Running"
) -> Obj:
    meta: Obj = {
        "name": name,
        "namespace": "default",
        "uid": f"uid-{name}",
        "labels": {"app": "web"},
    }
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW)
    return {
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "nodeName": "node-1",
            "containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 9090}]}],
        },
        "status": {
            "phase": phase,
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def test_ready_pods_are_addresses_and_the_others_not_ready_addresses_sorted_by_ip() -> None:
    pods = [pod("b", "10.244.0.20"), pod("a", "10.244.0.3"), pod("c", "10.244.0.9", ready=False)]
    (subset,) = desired_subsets(service(), pods)
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.0.3", "10.244.0.20"]
    assert [a["targetRef"]["name"] for a in subset["notReadyAddresses"]] == ["c"]
    assert subset["ports"] == [{"port": 8080, "protocol": "TCP"}]


def test_terminating_finished_and_unaddressed_pods_leave_endpoints() -> None:
    pods = [
        pod("a", "10.244.0.3", deleting=True),
        pod("b", "10.244.0.4", phase="Succeeded"),
        pod("c", ""),
    ]
    assert desired_subsets(service(), pods) == []


def test_a_named_target_port_is_the_container_port_of_that_name() -> None:
    (subset,) = desired_subsets(
        service(ports=[{"port": 80, "targetPort": "http", "protocol": "TCP"}]),
        [pod("a", "10.244.0.3")],
    )
    assert subset["ports"] == [{"port": 9090, "protocol": "TCP"}]


def test_a_slice_keeps_a_terminating_pod_as_not_ready_but_serving() -> None:
    groups = desired_endpoints(
        service(), [pod("a", "10.244.0.3", deleting=True), pod("b", "10.244.0.4")], {}
    )
    ((ports, endpoints),) = groups.items()
    assert [dict(p) for p in ports] == [{"name": "", "port": 8080, "protocol": "TCP"}]
    assert [e["conditions"] for e in endpoints] == [
        {"ready": False, "serving": True, "terminating": True},
        {"ready": True, "serving": True, "terminating": False},
    ]


# --- in a cluster ---


@pytest.fixture
def cluster() -> Cluster:
    return open_cluster("sqlite://", clock=FakeClock(NOW), ids=SeededIds(3))


def deployment(image: str = "nginx:1.25", replicas: int = 2) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


def ready_ips(cluster: Cluster) -> list[str]:
    endpoints = cluster.api.get(Kind.ENDPOINTS, "default", "web")
    return [a["ip"] for s in endpoints.get("subsets", []) for a in s.get("addresses", [])]


def test_a_service_gets_endpoints_and_one_named_slice_that_follow_its_pods(
    cluster: Cluster,
) -> None:
    api = cluster.api
    api.create(deployment())
    api.create(service())
    cluster.settle()
    pods = api.list(Kind.POD, "default")
    assert sorted(ready_ips(cluster)) == sorted(p["status"]["podIP"] for p in pods)
    (slice_,) = [
        s for s in api.list(Kind.ENDPOINT_SLICE, "default") if s["metadata"]["name"] != "kubernetes"
    ]
    # the name comes from the injected generator, after the Service's name
    assert slice_["metadata"]["name"].startswith("web-") and len(slice_["metadata"]["name"]) == 9
    assert slice_["metadata"]["labels"] == {
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    assert slice_["metadata"]["ownerReferences"][0]["kind"] == "Service"
    api.delete(Kind.POD, "default", pods[0]["metadata"]["name"])
    cluster.settle()
    assert pods[0]["status"]["podIP"] not in ready_ips(cluster)
    assert len(ready_ips(cluster)) == 2  # the replacement is in


def test_an_unready_pod_is_a_not_ready_address(cluster: Cluster) -> None:
    api = cluster.api
    api.create(deployment(image="nginx:neverready", replicas=1))
    api.create(service())
    cluster.settle()
    (subset,) = api.get(Kind.ENDPOINTS, "default", "web")["subsets"]
    assert "addresses" not in subset and len(subset["notReadyAddresses"]) == 1


def test_a_selector_matching_nothing_has_empty_endpoints_and_a_placeholder_slice(
    cluster: Cluster,
) -> None:
    api = cluster.api
    api.create(service())
    cluster.settle()
    assert "subsets" not in api.get(Kind.ENDPOINTS, "default", "web")
    (slice_,) = [
        s for s in api.list(Kind.ENDPOINT_SLICE, "default") if s["metadata"]["name"] != "kubernetes"
    ]
    assert slice_["endpoints"] is None and "ports" not in slice_


def test_deleting_the_service_deletes_its_endpoints(cluster: Cluster) -> None:
    api = cluster.api
    api.create(service())
    cluster.settle()
    api.delete(Kind.SERVICE, "default", "web")
    cluster.settle()
    assert [e["metadata"]["name"] for e in api.list(Kind.ENDPOINTS, "default")] == ["kubernetes"]
    assert [s["metadata"]["name"] for s in api.list(Kind.ENDPOINT_SLICE, "default")] == [
        "kubernetes"
    ]


def test_a_settled_service_is_not_written_again(cluster: Cluster) -> None:
    api = cluster.api
    api.create(deployment())
    api.create(service())
    cluster.settle()
    revision = api.current_revision()
    for name in ("endpoint", "endpointslice"):
        controller = next(c for c in cluster.manager.controllers if c.name == name)
        assert controller.reconcile([Key(Kind.SERVICE, "default", "web")]) == []
    assert api.current_revision() == revision


def test_a_reset_to_a_bigger_cluster_gives_kube_dns_its_endpoints_again(cluster: Cluster) -> None:
    """`cluster reset` empties the store and starts its revisions again: a bigger new cluster
    soon passes the revision this process had cached, and the endpoint controllers must see
    the new kube-dns, not patch the old one's Endpoints (they gave up: "not found")."""
    cluster.reset(3)
    cluster.settle()
    cluster.reset(40)
    cluster.settle()
    endpoints = cluster.api.get(Kind.ENDPOINTS, "kube-system", "kube-dns")
    addresses = [a for s in endpoints["subsets"] for a in s.get("addresses", [])]
    assert len(addresses) == 2
    slices = cluster.api.list(Kind.ENDPOINT_SLICE, "kube-system")
    assert [len(s["endpoints"]) for s in slices] == [2]


class _Listing:
    """The informer's lists, as the controllers' `keys_for` reads them."""

    def __init__(self, *objects: Obj) -> None:
        self.objects = objects

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        return [o for o in self.objects if o["kind"] == kind]


def _slice(service_name: str, name: str, pod_names: list[str]) -> Obj:
    return {
        "kind": "EndpointSlice",
        "metadata": {
            "name": name,
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": service_name},
        },
        "endpoints": [{"targetRef": {"kind": "Pod", "name": n}} for n in pod_names],
    }


def test_a_pod_change_concerns_the_services_that_select_it_or_still_list_it() -> None:
    """GetPodServiceMemberships: Services without a selector never; one whose selector no
    longer matches while one of its slices (any of them) still lists the pod, yes."""
    web = service()
    manual = {**service(), "metadata": {**web["metadata"], "name": "manual"}, "spec": {}}
    old = {**service(selector={"app": "old"}), "metadata": {**web["metadata"], "name": "old"}}
    api = _Listing(
        web,
        manual,
        old,
        _slice("old", "old-a", ["a"]),
        _slice("old", "old-b", ["other"]),
        _slice("manual", "manual-a", ["a"]),
    )
    change = Change(7, "MODIFIED", pod("a", "10.244.0.3"))
    keys = service_keys_for(api, change, Kind.ENDPOINT_SLICE, referenced_pods)  # type: ignore[arg-type]
    assert sorted(keys) == [Key("Service", "default", "old"), Key("Service", "default", "web")]
