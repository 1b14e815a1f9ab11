"""Discovery and /version as kube-apiserver 1.37 answers them: the aggregated document
(apidiscovery.k8s.io/v2) for clients that ask for it, the legacy lists for the others."""

from __future__ import annotations

import json
import threading

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request, Response
from controlplane.apiserver.router import route
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store

# Discovery reads the store's CRDs: an empty store serves the built-in kinds only.
EMPTY = Api(Store("sqlite://"), FakeClock(), SeededIds(1))

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
KUBECTL_ACCEPT = f"{AGGREGATED},application/json"


def get(path: str, accept: str = "", **headers: str) -> Response:
    sent = {"accept": accept, "host": "127.0.0.1:6443", **headers}
    return route(EMPTY, threading.Lock(), Request("GET", path, {}, sent))


def body(response: Response) -> dict:
    assert isinstance(response.body, bytes)
    return json.loads(response.body)


def resources_by_name(group: dict) -> dict[str, dict]:
    return {r["resource"]: r for r in group["versions"][0]["resources"]}


def test_kubectl_gets_the_aggregated_document_with_its_exact_content_type() -> None:
    core = get("/api", KUBECTL_ACCEPT)
    assert core.code == 200
    assert core.content_type == AGGREGATED
    listing = body(core)
    assert (listing["kind"], listing["apiVersion"]) == (
        "APIGroupDiscoveryList",
        "apidiscovery.k8s.io/v2",
    )
    (group,) = listing["items"]
    assert group["metadata"] == {}  # the core group has no name
    assert [v["version"] for v in group["versions"]] == ["v1"]
    assert group["versions"][0]["freshness"] == "Current"
    assert list(resources_by_name(group)) == [
        "configmaps",
        "endpoints",
        "events",
        "namespaces",
        "nodes",
        "persistentvolumeclaims",
        "persistentvolumes",
        "pods",
        "secrets",
        "services",
    ]
    pods = resources_by_name(group)["pods"]
    assert pods == {
        "resource": "pods",
        "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
        "scope": "Namespaced",
        "singularResource": "pod",
        "verbs": [
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
        ],
        "shortNames": ["po"],
        "categories": ["all"],
        "subresources": [
            {
                "subresource": "binding",
                "responseKind": {"group": "", "version": "v1", "kind": "Binding"},
                "verbs": ["create"],
            },
            {
                "subresource": "eviction",
                "responseKind": {"group": "policy", "version": "v1", "kind": "Eviction"},
                "verbs": ["create"],
            },
            {
                "subresource": "log",
                "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
                "verbs": ["get"],
            },
            {
                "subresource": "status",
                "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
                "verbs": ["get", "patch", "update"],
            },
        ],
    }
    namespaces = resources_by_name(group)["namespaces"]
    assert namespaces["scope"] == "Cluster"
    assert "deletecollection" not in namespaces["verbs"]
    assert "categories" not in namespaces


def test_the_apps_group_lists_scale_and_the_all_category() -> None:
    _, apps, _, coordination, discovery, storage = body(get("/apis", KUBECTL_ACCEPT))["items"]
    assert list(resources_by_name(coordination)) == ["leases"]
    assert discovery["metadata"] == {"name": "discovery.k8s.io"}
    assert list(resources_by_name(discovery)) == ["endpointslices"]
    assert storage["metadata"] == {"name": "storage.k8s.io"}
    (storage_classes,) = storage["versions"][0]["resources"]
    assert (storage_classes["resource"], storage_classes["scope"]) == ("storageclasses", "Cluster")
    assert storage_classes["shortNames"] == ["sc"]
    assert apps["metadata"] == {"name": "apps"}
    found = resources_by_name(apps)
    assert list(found) == [
        "controllerrevisions",
        "daemonsets",
        "deployments",
        "replicasets",
        "statefulsets",
    ]
    assert {n: found[n].get("shortNames") for n in found} == {
        "controllerrevisions": None,
        "daemonsets": ["ds"],
        "deployments": ["deploy"],
        "replicasets": ["rs"],
        "statefulsets": ["sts"],
    }
    assert [n for n in found if found[n].get("categories") == ["all"]] == list(found)[1:]
    scale = found["deployments"]["subresources"][0]
    assert scale == {
        "subresource": "scale",
        "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
        "verbs": ["get", "patch", "update"],
    }
    assert [s["subresource"] for s in found["daemonsets"]["subresources"]] == ["status"]


def test_the_batch_group_lists_jobs_and_cronjobs_in_the_all_category() -> None:
    _, _, batch, _, _, _ = body(get("/apis", KUBECTL_ACCEPT))["items"]
    assert batch["metadata"] == {"name": "batch"}
    found = resources_by_name(batch)
    assert list(found) == ["cronjobs", "jobs"]
    assert found["cronjobs"]["shortNames"] == ["cj"]
    assert "shortNames" not in found["jobs"]
    assert all(found[n]["categories"] == ["all"] for n in found)
    assert [s["subresource"] for s in found["jobs"]["subresources"]] == ["status"]


def test_aggregated_discovery_carries_an_etag_and_answers_304_to_it() -> None:
    first = get("/apis", KUBECTL_ACCEPT)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 130  # quoted upper-case SHA-512 hex
    assert (first.headers["Vary"], first.headers["Cache-Control"]) == ("Accept", "public")
    again = get("/apis", KUBECTL_ACCEPT, **{"if-none-match": etag})
    assert (again.code, again.body) == (304, b"")
    assert get("/api", KUBECTL_ACCEPT).headers["ETag"] != etag


def test_a_protobuf_preference_falls_to_the_aggregated_json() -> None:
    """client-go with protobuf enabled asks for the protobuf form first; mkctl writes JSON."""
    protobuf = AGGREGATED.replace("application/json", "application/vnd.kubernetes.protobuf")
    answer = get("/api", f"{protobuf},{KUBECTL_ACCEPT}")
    assert answer.content_type == AGGREGATED


def test_v2beta1_is_still_served_when_asked_for() -> None:
    answer = get("/apis", AGGREGATED.replace("v=v2", "v=v2beta1"))
    assert answer.content_type.endswith(";v=v2beta1;as=APIGroupDiscoveryList")
    assert body(answer)["apiVersion"] == "apidiscovery.k8s.io/v2beta1"


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "application/json",
        "application/json, */*",
        "application/json;as=Table;g=meta.k8s.io;v=v1,application/json",
    ],
)
def test_other_clients_get_the_legacy_lists(accept: str) -> None:
    versions = get("/api", accept)
    assert versions.content_type == "application/json"
    assert body(versions) == {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}
        ],
    }
    group = {
        "name": "apps",
        "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"},
    }
    batch = {
        "name": "batch",
        "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"},
    }
    coordination = {
        "name": "coordination.k8s.io",
        "versions": [{"groupVersion": "coordination.k8s.io/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "coordination.k8s.io/v1", "version": "v1"},
    }
    discovery = {
        "name": "discovery.k8s.io",
        "versions": [{"groupVersion": "discovery.k8s.io/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "discovery.k8s.io/v1", "version": "v1"},
    }
    apiextensions = {
        "name": "apiextensions.k8s.io",
        "versions": [{"groupVersion": "apiextensions.k8s.io/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "apiextensions.k8s.io/v1", "version": "v1"},
    }
    storage = {
        "name": "storage.k8s.io",
        "versions": [{"groupVersion": "storage.k8s.io/v1", "version": "v1"}],
        "preferredVersion": {"groupVersion": "storage.k8s.io/v1", "version": "v1"},
    }
    assert body(get("/apis", accept)) == {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [apiextensions, group, batch, coordination, discovery, storage],
    }
    assert body(get("/apis/apps")) == {"kind": "APIGroup", "apiVersion": "v1", **group}


def test_a_client_accepting_nothing_json_gets_406() -> None:
    refused = get("/apis", "application/vnd.kubernetes.protobuf")
    assert refused.code == 406
    assert body(refused)["reason"] == "NotAcceptable"


def test_resource_lists_name_subresources_as_upstream() -> None:
    core = body(get("/api/v1"))
    assert (core["kind"], core["groupVersion"], "apiVersion" in core) == (
        "APIResourceList",
        "v1",
        False,
    )
    names = [r["name"] for r in core["resources"]]
    assert names == [
        "configmaps",
        "endpoints",
        "events",
        "namespaces",
        "namespaces/status",
        "nodes",
        "nodes/status",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "persistentvolumes",
        "persistentvolumes/status",
        "pods",
        "pods/binding",
        "pods/eviction",
        "pods/log",
        "pods/status",
        "secrets",
        "services",
        "services/status",
    ]
    pods = core["resources"][names.index("pods")]
    # storageversionhash.go: the hash every 1.37 cluster reports for pods
    assert pods["storageVersionHash"] == "xPOwRZ+Yhw8="
    eviction = core["resources"][names.index("pods/eviction")]
    assert eviction == {
        "name": "pods/eviction",
        "singularName": "",
        "namespaced": True,
        "group": "policy",
        "version": "v1",
        "kind": "Eviction",
        "verbs": ["create"],
    }
    apps = body(get("/apis/apps/v1/"))
    assert (apps["apiVersion"], apps["groupVersion"]) == ("v1", "apps/v1")
    scale = next(r for r in apps["resources"] if r["name"] == "statefulsets/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")


def test_unserved_groups_and_versions_are_not_found() -> None:
    assert get("/apis/apps/v2").code == 404
    assert body(get("/apis/networking.k8s.io"))["reason"] == "NotFound"


def test_version_is_kube_apiserver_1_37() -> None:
    answer = get("/version/")  # the Python client's path
    assert answer.code == 200
    info = body(answer)
    assert (info["major"], info["minor"], info["gitVersion"]) == ("1", "37", "v1.37.1")
    assert (info["emulationMajor"], info["emulationMinor"]) == ("1", "37")
    assert info["platform"] == "linux/amd64"
    assert isinstance(answer.body, bytes) and answer.body.startswith(b'{\n  "major": "1",')
