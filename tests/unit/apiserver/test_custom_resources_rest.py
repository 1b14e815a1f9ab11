"""Custom resources over REST, as kube-apiserver serves them once a CRD exists: discovery,
OpenAPI, Tables with the CRD's printer columns, the scale subresource, patch types, and
every served version answering with its own apiVersion."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request, Response
from controlplane.apiserver.router import route
from tests.unit.api.crd.widgets import crd, widget

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
WIDGETS = "/apis/example.com/v1/namespaces/default/widgets"


@pytest.fixture
def widgets(api: Api) -> Api:
    api.create(crd())
    api.create(widget(replicas=2))
    return api


def call(api: Api, verb: str, path: str, body: Any = None, **headers: str) -> Response:
    data = json.dumps(body).encode() if body is not None else b""
    sent = {"accept": "application/json", "host": "127.0.0.1", **headers}
    return route(api, threading.Lock(), Request(verb, path, {}, sent, data))


def answer(response: Response) -> Any:
    assert isinstance(response.body, bytes)
    return json.loads(response.body)


def test_discovery_lists_the_kind_with_its_names_and_subresources(widgets: Api) -> None:
    listing = answer(call(widgets, "GET", "/apis/example.com/v1"))
    assert [r["name"] for r in listing["resources"]] == [
        "widgets",
        "widgets/scale",
        "widgets/status",
    ]
    own = listing["resources"][0]
    assert (own["kind"], own["singularName"], own["namespaced"]) == ("Widget", "widget", True)
    assert (own["shortNames"], own["categories"]) == (["wd"], ["all"])
    group = answer(call(widgets, "GET", "/apis/example.com"))
    assert [v["version"] for v in group["versions"]] == ["v1", "v1beta1"]
    assert group["preferredVersion"]["version"] == "v1"
    items = answer(call(widgets, "GET", "/apis", accept=AGGREGATED))["items"]
    (example,) = [g for g in items if g["metadata"].get("name") == "example.com"]
    assert example["versions"][0]["resources"][0]["resource"] == "widgets"


def test_a_crd_created_elsewhere_is_found_on_the_next_request(api: Api, store: Any) -> None:
    from controlplane.clock import FakeClock
    from controlplane.ids import SeededIds

    Api(store, FakeClock(), SeededIds(3)).create(crd())  # another API over the same store
    assert call(api, "GET", WIDGETS).code == 200


def test_openapi_v3_publishes_the_schema_for_explain(widgets: Api) -> None:
    index = answer(call(widgets, "GET", "/openapi/v3"))["paths"]
    assert "apis/example.com/v1" in index
    document = answer(call(widgets, "GET", "/openapi/v3/apis/example.com/v1"))
    schema = document["components"]["schemas"]["com.example.v1.Widget"]
    assert schema["properties"]["spec"]["required"] == ["image"]
    assert schema["x-kubernetes-group-version-kind"] == [
        {"group": "example.com", "kind": "Widget", "version": "v1"}
    ]
    assert "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}" in document["paths"]


def test_the_table_has_the_printer_columns(widgets: Api) -> None:
    table = answer(call(widgets, "GET", WIDGETS, accept=TABLE))
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Replicas", "Phase", "Age"]
    assert table["rows"][0]["cells"] == ["w", 2, None, "0s"]


def test_without_printer_columns_the_table_is_name_and_age(api: Api) -> None:
    plain = crd()
    for version in plain["spec"]["versions"]:
        version.pop("additionalPrinterColumns", None)
    api.create(plain)
    api.create(widget())
    table = answer(call(api, "GET", WIDGETS, accept=TABLE))
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Age"]


def test_scale_reads_and_writes_the_crd_paths(widgets: Api) -> None:
    scale = answer(call(widgets, "GET", f"{WIDGETS}/w/scale"))
    assert (scale["kind"], scale["spec"], scale["status"]) == (
        "Scale",
        {"replicas": 2},
        {"replicas": 0, "selector": ""},
    )
    patch = {"spec": {"replicas": 5}}
    headers = {"content-type": "application/merge-patch+json"}
    assert call(widgets, "PATCH", f"{WIDGETS}/w/scale", patch, **headers).code == 200
    assert widgets.get("Widget", "default", "w")["spec"]["replicas"] == 5


def test_strategic_merge_patch_is_refused_with_415(widgets: Api) -> None:
    patch = {"spec": {"replicas": 3}}
    refused = call(
        widgets,
        "PATCH",
        f"{WIDGETS}/w",
        patch,
        **{"content-type": "application/strategic-merge-patch+json"},
    )
    assert refused.code == 415
    assert answer(refused)["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )
    json_patch = [{"op": "replace", "path": "/spec/replicas", "value": 3}]
    headers = {"content-type": "application/json-patch+json"}
    assert call(widgets, "PATCH", f"{WIDGETS}/w", json_patch, **headers).code == 200


def test_every_served_version_answers_with_its_own_api_version(widgets: Api) -> None:
    beta = "/apis/example.com/v1beta1/namespaces/default/widgets"
    listing = answer(call(widgets, "GET", beta))
    assert (listing["kind"], listing["apiVersion"]) == ("WidgetList", "example.com/v1beta1")
    assert listing["items"][0]["apiVersion"] == "example.com/v1beta1"
    created = call(widgets, "POST", beta, {**widget("b"), "apiVersion": "example.com/v1beta1"})
    assert answer(created)["apiVersion"] == "example.com/v1beta1"
    assert widgets.get("Widget", "default", "b")["apiVersion"] == "example.com/v1"


def test_a_status_put_leaves_the_spec(widgets: Api) -> None:
    live = widgets.get("Widget", "default", "w")
    sent = {**live, "spec": {"image": "other"}, "status": {"phase": "Ready"}}
    written = answer(call(widgets, "PUT", f"{WIDGETS}/w/status", sent))
    assert (written["spec"]["image"], written["status"]) == ("nginx", {"phase": "Ready"})
