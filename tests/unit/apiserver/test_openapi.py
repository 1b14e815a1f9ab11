"""OpenAPI v3 as kube-apiserver serves it: an index of hashed URLs, and per group version
the operations kubectl checks (PATCH with fieldValidation, strategic merge patch bodies) and
the full schemas, with kube-openapi's caching headers."""

from __future__ import annotations

import json
import threading

from controlplane.api.registry import KINDS
from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request, Response
from controlplane.apiserver.protobuf import wire
from controlplane.apiserver.router import route
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store

# Discovery reads the store's CRDs: an empty store serves the built-in kinds only.
EMPTY = Api(Store("sqlite://"), FakeClock(), SeededIds(1))


def get(path: str, query: dict[str, list[str]] | None = None, **headers: str) -> Response:
    request = Request("GET", path, query or {}, {"accept": "application/json", **headers})
    return route(EMPTY, threading.Lock(), request)


def body(response: Response) -> dict:
    assert isinstance(response.body, bytes)
    return json.loads(response.body)


def document(key: str) -> dict:
    return body(get(f"/openapi/v3/{key}"))


def test_the_index_names_each_group_version_by_its_hashed_url() -> None:
    index = get("/openapi/v3")
    paths = body(index)["paths"]
    assert sorted(paths) == [
        "api/v1",
        "apis/apiextensions.k8s.io/v1",
        "apis/apps/v1",
        "apis/batch/v1",
        "apis/coordination.k8s.io/v1",
        "apis/discovery.k8s.io/v1",
        "apis/storage.k8s.io/v1",
    ]
    url = paths["apis/apps/v1"]["serverRelativeURL"]
    path, _, hash_ = url.partition("?hash=")
    assert path == "/openapi/v3/apis/apps/v1" and len(hash_) == 128
    hashed = get(path, {"hash": [hash_]})
    assert hashed.code == 200
    assert hashed.headers["Etag"] == f'"{hash_}"'
    assert hashed.headers["Cache-Control"] == "public, immutable"
    assert hashed.headers["Vary"] == "Accept"
    assert "Expires" in hashed.headers
    assert "Cache-Control" not in get(path).headers
    stale = get(path, {"hash": ["0"]})
    assert (stale.code, stale.headers["Location"]) == (301, url)
    unchanged = get(path, **{"if-none-match": f'"{hash_}"'})
    assert (unchanged.code, unchanged.body) == (304, b"")
    assert get("/openapi/v3", **{"if-none-match": index.headers["Etag"]}).code == 304


def test_a_client_asking_only_for_protobuf_gets_406() -> None:
    refused = get(
        "/openapi/v3/api/v1", accept="application/com.github.proto-openapi.spec.v3@v1.0+protobuf"
    )
    assert refused.code == 406


def patch_operation(doc: dict, kind: str) -> dict:
    """What query_param_verifier_v3.go looks for: the PATCH operation of the kind."""
    for item in doc["paths"].values():
        op = item.get("patch")
        if op and op["x-kubernetes-group-version-kind"]["kind"] == kind:
            return op
    raise AssertionError(f"no PATCH operation for {kind}")


def test_every_kind_has_a_patch_operation_that_takes_field_validation() -> None:
    docs = {
        "v1": document("api/v1"),
        "apps/v1": document("apis/apps/v1"),
        "batch/v1": document("apis/batch/v1"),
        "coordination.k8s.io/v1": document("apis/coordination.k8s.io/v1"),
        "discovery.k8s.io/v1": document("apis/discovery.k8s.io/v1"),
        "storage.k8s.io/v1": document("apis/storage.k8s.io/v1"),
        "apiextensions.k8s.io/v1": document("apis/apiextensions.k8s.io/v1"),
    }
    for info in KINDS:
        op = patch_operation(docs[info.api_version], info.kind)
        assert "fieldValidation" in [p["name"] for p in op["parameters"] if p["in"] == "query"]
        assert "application/strategic-merge-patch+json" in op["requestBody"]["content"]
        assert op["x-kubernetes-action"] == "patch"


def test_deployment_paths_and_operations_are_kube_apiservers() -> None:
    doc = document("apis/apps/v1")
    assert (doc["openapi"], doc["info"]) == ("3.0.0", {"title": "Kubernetes", "version": "v1.37.1"})
    item = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    assert sorted(item) == ["delete", "get", "parameters", "patch", "put"]
    assert item["patch"]["operationId"] == "patchAppsV1NamespacedDeployment"
    assert item["put"]["operationId"] == "replaceAppsV1NamespacedDeployment"
    scale = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]
    assert scale["get"]["x-kubernetes-group-version-kind"] == {
        "group": "autoscaling",
        "kind": "Scale",
        "version": "v1",
    }
    assert scale["get"]["operationId"] == "readAppsV1NamespacedDeploymentScale"
    everywhere = doc["paths"]["/apis/apps/v1/deployments"]["get"]
    assert everywhere["operationId"] == "listAppsV1DeploymentForAllNamespaces"
    core = document("api/v1")
    eviction = core["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]["post"]
    assert eviction["operationId"] == "createCoreV1NamespacedPodEviction"
    namespaces = core["paths"]["/api/v1/namespaces"]
    assert "delete" not in namespaces  # no deletecollection for namespaces


def test_documents_carry_the_full_schemas_with_their_merge_keys() -> None:
    schemas = document("apis/apps/v1")["components"]["schemas"]
    containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert "volumes" in schemas["io.k8s.api.core.v1.PodSpec"]["properties"]
    assert "io.k8s.api.autoscaling.v1.Scale" in schemas
    assert "io.k8s.api.policy.v1.Eviction" not in schemas  # only in api/v1
    refs = json.dumps(schemas)
    missing = {
        ref.split('"')[0]
        for ref in refs.split('"$ref": "#/components/schemas/')[1:]
        if ref.split('"')[0] not in schemas
    }
    assert missing == set()


def test_openapi_v2_is_the_same_api_in_swagger_form() -> None:
    served = get("/openapi/v2")
    assert (served.code, served.headers["Vary"]) == (200, "Accept")
    swagger = body(served)
    assert (swagger["swagger"], swagger["info"]["version"]) == ("2.0", "v1.37.1")
    patch = swagger["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["parameters"][0] == {
        "in": "body",
        "name": "body",
        "required": True,
        "schema": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"},
    }
    validation = next(p for p in patch["parameters"] if p["name"] == "fieldValidation")
    assert (validation["in"], validation["type"]) == ("query", "string")
    assert "application/strategic-merge-patch+json" in patch["consumes"]
    assert patch["responses"]["200"]["schema"] == {
        "$ref": "#/definitions/io.k8s.api.apps.v1.Deployment"
    }
    definitions = swagger["definitions"]
    strategy = definitions["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["strategy"]
    assert strategy["$ref"] == "#/definitions/io.k8s.api.apps.v1.DeploymentStrategy"
    assert "allOf" not in strategy and "default" not in strategy
    int_or_string = definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert (int_or_string["type"], int_or_string["format"]) == ("string", "int-or-string")
    text = json.dumps(swagger)
    assert "#/components/" not in text
    dangling = {
        ref.split('"')[0]
        for ref in text.split('"$ref": "#/definitions/')[1:]
        if ref.split('"')[0] not in definitions
    }
    assert dangling == set()
    again = get("/openapi/v2", **{"if-none-match": served.headers["Etag"]})
    assert again.code == 304


def message(data: bytes) -> dict[int, list[bytes]]:
    """A protobuf message's length-delimited fields, by number."""
    out: dict[int, list[bytes]] = {}
    for number, _wire_type, value in wire.fields(data):
        assert isinstance(value, bytes)
        out.setdefault(number, []).append(value)
    return out


def test_openapi_v2_in_gnostic_protobuf_holds_the_definitions_kubectl_validates_with() -> None:
    """kubectl asks for this form only (a `kind: List`'s client-side validation, `explain
    --output=plaintext-openapiv2`): an openapi.v2.Document whose definitions are the JSON
    document's, each kind found by its x-kubernetes-group-version-kind."""
    protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    served = get("/openapi/v2", accept=protobuf)
    assert (served.code, served.content_type, served.headers["Vary"]) == (
        200,
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
        "Accept",
    )
    assert isinstance(served.body, bytes)
    doc = message(served.body)
    assert doc[1] == [b"2.0"]
    assert message(doc[2][0])[2] == [b"v1.37.1"]
    named = {message(n)[1][0].decode(): message(message(n)[2][0]) for n in message(doc[9][0])[1]}
    assert set(named) == set(body(get("/openapi/v2"))["definitions"])
    config_map = named["io.k8s.api.core.v1.ConfigMap"]
    properties = [message(p)[1][0] for p in message(config_map[25][0])[1]]
    assert b"data" in properties and b"metadata" in properties
    extensions = {message(e)[1][0]: message(message(e)[2][0])[2][0] for e in config_map[31]}
    kinds = json.loads(extensions[b"x-kubernetes-group-version-kind"])
    assert kinds == [{"group": "", "kind": "ConfigMap", "version": "v1"}]
    assert message(config_map[22][0])[1] == [b"object"]
    again = get("/openapi/v2", accept=protobuf, **{"if-none-match": served.headers["Etag"]})
    assert again.code == 304
    assert served.headers["Etag"] != get("/openapi/v2").headers["Etag"]


def test_openapi_v2_in_a_form_mkctl_lacks_is_not_acceptable() -> None:
    assert get("/openapi/v2", accept="application/yaml").code == 406
