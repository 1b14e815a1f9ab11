"""`/openapi/v2`: the whole API as one Swagger 2.0 document, derived from the OpenAPI v3
documents (`openapi_paths`), as kube-apiserver 1.37 still serves it beside v3 for older
clients and tools.

kube-apiserver builds both from the same Go types (staging/src/k8s.io/kube-openapi/pkg/
builder builds v2, builder3 v3); the shapes differ only in form, which `swagger_schema` and
`swagger_operation` undo: a v3 `allOf: [$ref]` beside a description is v2's `$ref` beside it,
`#/components/schemas/` is `#/definitions/`, v3's int-or-string `oneOf` is v2's
`type: string, format: int-or-string`, v2 has no `default` values, a request body is a
`body` parameter and content types are an operation's `consumes` and `produces`.

Served as vendor/k8s.io/kube-openapi/pkg/handler/handler.go serves it: JSON or gnostic
protobuf (`openapi_v2_protobuf`, the only form kubectl 1.37 asks for), whichever the Accept
header prefers, each with its own `Etag`, and `Vary: Accept`, 304 on a matching
`If-None-Match`; 406 for a media type it lacks.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from controlplane.api.registry import custom_generation
from controlplane.api.verbs import Api
from controlplane.apiserver import openapi_v2_protobuf
from controlplane.apiserver.discovery import served_api_versions
from controlplane.apiserver.exchange import Request, Response
from controlplane.apiserver.negotiation import accepts_json, clauses
from controlplane.apiserver.openapi_paths import group_version_document
from controlplane.apiserver.openapi_v3 import NOT_ACCEPTABLE, conditional
from controlplane.models.constants import Obj

V3_REF = "#/components/schemas/"
V2_REF = "#/definitions/"


def swagger_schema(node: Any) -> Any:
    """A v3 schema (or any part of one) in v2's form."""
    if isinstance(node, list):
        return [swagger_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: Obj = {}
    for key, value in node.items():
        if key == "properties":  # names, not keywords (JSONSchemaProps has `default`, `$ref`)
            out[key] = {name: swagger_schema(prop) for name, prop in value.items()}
        elif key == "default":
            continue
        elif key == "allOf" and len(value) == 1 and "$ref" in value[0]:
            out["$ref"] = value[0]["$ref"].replace(V3_REF, V2_REF)
        elif key == "oneOf" and all(set(v) == {"type"} for v in value):
            out["type"] = "string"  # int-or-string and Quantity: strings to Swagger 2.0
        elif key == "$ref":
            out[key] = value.replace(V3_REF, V2_REF)
        else:
            out[key] = swagger_schema(value)
    return dict(sorted(out.items()))


def swagger_parameter(param: Obj) -> Obj:
    """`schema: {type, uniqueItems}` of v3 inlined into the parameter, as v2 writes it."""
    inlined = {k: v for k, v in param.items() if k != "schema"}
    return dict(sorted((inlined | param.get("schema", {})).items()))


def swagger_operation(op: Obj) -> Obj:
    out: Obj = {k: v for k, v in op.items() if k not in ("parameters", "requestBody")}
    params = [swagger_parameter(p) for p in op.get("parameters", [])]
    body = op.get("requestBody")
    if body is not None:
        (schema, *_) = (c["schema"] for c in body["content"].values())
        params.insert(0, {"in": "body", "name": "body", "required": True, "schema": schema})
    out["consumes"] = list(body["content"]) if body is not None else ["*/*"]
    if params:
        out["parameters"] = swagger_schema(params)
    produced: list[str] = []
    responses: Obj = {}
    for code, response in op["responses"].items():
        content = response.get("content", {})
        produced += [t for t in content if t not in produced]
        answer: Obj = {"description": response["description"]}
        if content:
            answer["schema"] = swagger_schema(next(iter(content.values()))["schema"])
        responses[code] = answer
    out["produces"] = produced
    out["responses"] = responses
    out["schemes"] = ["https"]
    return dict(sorted(out.items()))


def swagger_document() -> Obj:
    documents = [group_version_document(gv) for gv in served_api_versions()]
    paths: Obj = {}
    definitions: Obj = {}
    for document in documents:
        definitions |= swagger_schema(document["components"]["schemas"])
        for path, item in document["paths"].items():
            paths[path] = {
                key: [swagger_parameter(p) for p in value]
                if key == "parameters"
                else swagger_operation(value)
                for key, value in item.items()
            }
    first = documents[0]
    return {
        "definitions": dict(sorted(definitions.items())),
        "info": first["info"],
        "paths": dict(sorted(paths.items())),
        "security": first["security"],
        "securityDefinitions": first["components"]["securitySchemes"],
        "swagger": "2.0",
    }


def served_swagger(protobuf: bool = False) -> tuple[bytes, str]:
    """The document as JSON, or as gnostic protobuf, and its ETag."""
    return _served_swagger(custom_generation(), protobuf)


@lru_cache(maxsize=4)
def _served_swagger(_generation: int, protobuf: bool) -> tuple[bytes, str]:
    swagger = swagger_document()
    if protobuf:
        data = openapi_v2_protobuf.document(swagger)
    else:
        data = json.dumps(swagger, separators=(",", ":")).encode()
    return data, hashlib.sha512(data).hexdigest().upper()


def swagger(_api: Api, request: Request) -> Response:
    """The first media range of the Accept header mkctl writes (handler.go ServeHTTP)."""
    for media, _params in clauses(request.header("accept") or "*/*"):
        if media == openapi_v2_protobuf.MEDIA_TYPE:
            data, etag = served_swagger(protobuf=True)
            answer = conditional(request, data, etag, {"Vary": "Accept"})
            answer.content_type = openapi_v2_protobuf.CONTENT_TYPE
            return answer
        if accepts_json(media):
            data, etag = served_swagger()
            return conditional(request, data, etag, {"Vary": "Accept"})
    return NOT_ACCEPTABLE
