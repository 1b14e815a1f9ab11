"""The OpenAPI v3 schemas of the custom kinds, as kube-apiserver publishes them
(staging/src/k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder/builder.go,
BuildOpenAPIV3): each served version's schema under its REST-friendly name
(`com.example.v1.Widget`), `metadata` a reference to ObjectMeta, `apiVersion` and `kind`
described as for every kind, and the list kind beside it.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.api.crd.served import all_custom
from controlplane.models.constants import Obj

REF_PREFIX = "#/components/schemas/"
META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_API_VERSION = (
    "APIVersion defines the versioned schema of this representation of an object. Servers "
    "should convert recognized schemas to the latest internal value, and may reject "
    "unrecognized values. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#resources"
)
_KIND = (
    "Kind is a string value representing the REST resource this object represents. Servers "
    "may infer this from the endpoint the client submits requests to. Cannot be updated. In "
    "CamelCase. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#types-kinds"
)
_METADATA = (
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#metadata"
)


def schema_name(group: str, version: str, kind: str) -> str:
    """builder.go's name: the group reversed, then the version and the kind."""
    return ".".join([*reversed(group.split(".")), version, kind])


def custom_schemas() -> dict[str, Obj]:
    """Every served version's kind and list schema, by name."""
    found: dict[str, Obj] = {}
    for resource in all_custom():
        group, kind = resource.info.group, resource.info.kind
        for version in resource.versions:
            if not version.served:
                continue
            name = schema_name(group, version.name, kind)
            found[name] = _kind_schema(version.schema, group, version.name, kind)
            found[schema_name(group, version.name, resource.list_kind)] = _list_schema(
                name, group, version.name, kind, resource.list_kind
            )
    return found


def _gvk(group: str, version: str, kind: str) -> list[dict[str, str]]:
    return [{"group": group, "kind": kind, "version": version}]


def _kind_schema(schema: dict[str, Any], group: str, version: str, kind: str) -> Obj:
    published: Obj = copy.deepcopy(schema)
    properties = published.setdefault("properties", {})
    properties["apiVersion"] = {"description": _API_VERSION, "type": "string"}
    properties["kind"] = {"description": _KIND, "type": "string"}
    properties["metadata"] = {
        "allOf": [{"$ref": f"{REF_PREFIX}{META}ObjectMeta"}],
        "description": _METADATA,
    }
    published["properties"] = dict(sorted(properties.items()))
    published["type"] = "object"
    published["x-kubernetes-group-version-kind"] = _gvk(group, version, kind)
    return published


def _list_schema(item: str, group: str, version: str, kind: str, list_kind: str) -> Obj:
    return {
        "description": f"{list_kind} is a list of {kind}",
        "properties": {
            "apiVersion": {"description": _API_VERSION, "type": "string"},
            "items": {
                "description": f"List of {kind.lower()}s. More info: "
                "https://git.k8s.io/community/contributors/devel/sig-architecture/"
                "api-conventions.md",
                "items": {"$ref": f"{REF_PREFIX}{item}"},
                "type": "array",
            },
            "kind": {"description": _KIND, "type": "string"},
            "metadata": {
                "allOf": [{"$ref": f"{REF_PREFIX}{META}ListMeta"}],
                "description": "Standard list metadata. More info: https://git.k8s.io/"
                "community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            },
        },
        "required": ["items"],
        "type": "object",
        "x-kubernetes-group-version-kind": _gvk(group, version, list_kind),
    }
