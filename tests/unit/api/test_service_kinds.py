"""Services, Endpoints and EndpointSlices in the API: defaults (SetDefaults_Service), cluster IP
and node port allocation (pkg/registry/core/service/storage/alloc.go), validation
(ValidateService) and table cells (pkg/printers/internalversion/printers.go)."""

from __future__ import annotations

import ipaddress

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.tables.services import endpoint_slice_cells, endpoints_cells, service_cells
from controlplane.api.verbs import Api
from controlplane.bootstrap import bootstrap
from controlplane.models.constants import Kind, Obj
from controlplane.store import Store

NOW = 1_700_000_000.0


def service(name: str = "web", **spec: object) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}], **spec},
    }


def refused(api: Api, obj: Obj) -> str:
    with pytest.raises(ApiError) as caught:
        api.create(obj)
    assert caught.value.code == 422
    return str(caught.value)


def test_a_cluster_has_the_kubernetes_service_at_the_first_address(api: Api) -> None:
    fresh = Api(Store("sqlite://"), api.clock, api.ids)
    bootstrap(fresh)
    kubernetes = fresh.get(Kind.SERVICE, "default", "kubernetes")
    assert kubernetes["spec"]["clusterIP"] == "10.96.0.1"
    assert kubernetes["spec"]["ports"] == [
        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}
    ]
    assert fresh.get(Kind.ENDPOINTS, "default", "kubernetes")["subsets"][0]["addresses"] == [
        {"ip": "192.168.49.2"}
    ]


def test_defaults_and_an_allocated_cluster_ip(api: Api) -> None:
    created = api.create(service())
    spec = created["spec"]
    assert spec["type"] == "ClusterIP" and spec["sessionAffinity"] == "None"
    assert spec["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert (spec["ipFamilies"], spec["ipFamilyPolicy"]) == (["IPv4"], "SingleStack")
    assert ipaddress.ip_address(spec["clusterIP"]) in ipaddress.ip_network("10.96.0.0/12")
    assert spec["clusterIPs"] == [spec["clusterIP"]]
    assert created["status"] == {"loadBalancer": {}}


def test_a_headless_service_has_no_cluster_ip(api: Api) -> None:
    spec = api.create(service(clusterIP="None"))["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"]) == ("None", ["None"])


def test_node_ports_are_allocated_and_a_taken_one_is_invalid(api: Api) -> None:
    spec = api.create(service(type="NodePort"))["spec"]
    assert 30000 <= spec["ports"][0]["nodePort"] <= 32767
    assert spec["externalTrafficPolicy"] == "Cluster"
    api.create(service("a", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    message = refused(api, service("b", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    assert message == (
        'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
        "provided port is already allocated"
    )
    assert [s["metadata"]["name"] for s in api.list(Kind.SERVICE, "default")] == ["a", "web"]


def test_a_taken_cluster_ip_and_one_out_of_range_are_invalid(api: Api) -> None:
    taken = api.create(service())["spec"]["clusterIP"]
    assert refused(api, service("b", clusterIP=taken)) == (
        f'Service "b" is invalid: spec.clusterIPs: Invalid value: ["{taken}"]: '
        f"failed to allocate IP {taken}: provided IP is already allocated"
    )
    assert "is not in the valid range. The range of valid IPs is 10.96.0.0/12" in refused(
        api, service("c", clusterIP="10.0.0.1")
    )


def test_port_out_of_range_and_a_bad_name_are_invalid_with_their_paths(api: Api) -> None:
    message = refused(api, service("Web", ports=[{"port": 70000, "targetPort": 80}]))
    assert 'metadata.name: Invalid value: "Web": a DNS-1035 label must consist of' in message
    assert (
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        in message
    )


def test_the_cluster_ip_may_not_change_but_an_update_may_leave_it_out(api: Api) -> None:
    created = api.create(service(type="NodePort"))
    moved = {
        **created,
        "spec": {**created["spec"], "clusterIP": "10.96.0.99", "clusterIPs": ["10.96.0.99"]},
    }
    with pytest.raises(
        ApiError,
        match=r"spec.clusterIPs\[0\]: Invalid value: \"10.96.0.99\": may not change once set",
    ):
        api.update(moved)
    omitted = {
        **created,
        "spec": {"type": "NodePort", "selector": {"app": "v2"}, "ports": [{"port": 80}]},
    }
    updated = api.update(omitted)["spec"]
    assert updated["clusterIP"] == created["spec"]["clusterIP"]
    assert updated["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]


def test_service_cells_as_kubectl_prints_them() -> None:
    svc = service(type="NodePort", clusterIPs=["10.96.4.5"])
    svc["spec"]["ports"] = [
        {"port": 80, "nodePort": 30080, "protocol": "TCP"},
        {"port": 443, "protocol": "TCP"},
    ]
    svc["metadata"]["creationTimestamp"] = "2023-11-14T22:12:20Z"
    assert service_cells(svc, NOW) == [
        "web",
        "NodePort",
        "10.96.4.5",
        "<none>",
        "80:30080/TCP,443/TCP",
        "60s",
        "app=web",
    ]
    balancer = service(type="LoadBalancer", clusterIPs=["10.96.4.6"])
    balancer["metadata"]["creationTimestamp"] = "2023-11-14T22:12:20Z"
    assert service_cells(balancer, NOW)[3] == "<pending>"


def test_endpoints_cells_show_three_ready_addresses_and_how_many_more() -> None:
    endpoints = {
        "metadata": {"name": "web", "creationTimestamp": "2023-11-14T22:12:20Z"},
        "subsets": [
            {
                "addresses": [{"ip": f"10.244.0.{i}"} for i in range(1, 6)],
                "notReadyAddresses": [{"ip": "10.244.0.9"}],
                "ports": [{"port": 80}],
            }
        ],
    }
    assert endpoints_cells(endpoints, NOW)[1] == (
        "10.244.0.1:80,10.244.0.2:80,10.244.0.3:80 + 2 more..."
    )
    assert endpoints_cells({"metadata": {"name": "x"}}, NOW)[1] == "<none>"


def test_endpoint_slice_cells_show_unset_when_empty() -> None:
    empty = {"metadata": {"name": "web-abcde"}, "addressType": "IPv4", "endpoints": None}
    assert endpoint_slice_cells(empty, NOW)[1:4] == ["IPv4", "<unset>", "<unset>"]


def test_a_service_turned_external_name_and_back_loses_then_gets_a_cluster_ip(api: Api) -> None:
    created = api.create(service())
    external = {**created, "spec": {**created["spec"], "type": "ExternalName"}}
    external["spec"]["externalName"] = "example.com"
    spec = api.update(external)["spec"]
    assert not {"clusterIP", "clusterIPs", "ipFamilies", "internalTrafficPolicy"} & set(spec)
    back = api.get(Kind.SERVICE, "default", "web")
    back["spec"] = {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    assert api.update(back)["spec"]["clusterIP"].startswith("10.")


def test_a_port_used_twice_is_a_duplicate_as_go_prints_the_key(api: Api) -> None:
    ports = [{"name": "a", "port": 80}, {"name": "b", "port": 80}]
    assert refused(api, service(ports=ports)) == (
        'Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", '
        'Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString'
        '{Type:0, IntVal:0, StrVal:""}, NodePort:0}'
    )


def test_server_side_apply_keys_ports_by_port_and_defaulted_protocol(api: Api) -> None:
    """The ports' list-map key includes `protocol`, whose schema default (TCP) stands in for
    it when the applied configuration leaves it out, as structured-merge-diff does."""
    api.apply(service(), field_manager="kubectl")
    changed = service(ports=[{"port": 80, "targetPort": 8080}])
    updated, created = api.apply(changed, field_manager="kubectl")
    assert not created
    assert updated["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 8080}]
    (entry,) = updated["metadata"]["managedFields"]
    assert 'k:{"port":80,"protocol":"TCP"}' in entry["fieldsV1"]["f:spec"]["f:ports"]
