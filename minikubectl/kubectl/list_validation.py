"""kubectl's client-side check of a `kind: List`'s items (staging/src/k8s.io/kubectl/pkg/
validation/schema.go validateList): under `--validate=strict`, before anything is sent, each
item whose kind the OpenAPI v2 definitions describe is walked against its definition by
kube-openapi's validator (k8s.io/kube-openapi/pkg/util/proto/validation/types.go): unknown
fields, missing required fields and values of the wrong JSON type, each reported at the path
of the value, `ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.
v1.DeploymentSpec.replicas: got "string", expected "integer"`.

The definitions are mkctl's OpenAPI schemas (`controlplane/api/openapi`), read as kube-openapi
parses their v2 form (pkg/util/proto/document.go ParseSchema): a `$ref` (v3's `allOf:
[$ref]`) is its definition; an object with properties a kind, one without a map; a type
that may be one of several (int-or-string, Quantity) a string in v2, which takes any value
but a map or an array; no type and no properties, anything.
"""

from __future__ import annotations

from typing import Any

from controlplane.api import openapi
from controlplane.api.openapi import REF_PREFIX, Schema


def validate_list_items(items: list[Any]) -> list[str]:
    """The errors of every item of a List, in kubectl's words and order."""
    errors: list[str] = []
    for item in items:
        kind_errors = _object_kind_errors(item)
        if kind_errors:
            errors += kind_errors
            continue
        group, _, version = item["apiVersion"].rpartition("/")
        kind = item["kind"]
        name = openapi.root_for(group, kind, version)
        if name is not None:  # a kind without a definition is not checked
            errors += _validate(item, _ref(name), kind)
    return list(dict.fromkeys(errors))  # utilerrors.NewAggregate drops repeated messages


def _object_kind_errors(item: Any) -> list[str]:
    """getObjectKind: an item with no usable apiVersion or kind."""
    if not isinstance(item, dict):
        return ["invalid object to validate"]
    errors = []
    api_version, kind = item.get("apiVersion"), item.get("kind")
    if api_version is None:
        errors.append("apiVersion not set")
    elif not isinstance(api_version, str):
        errors.append("apiVersion isn't string type")
    elif api_version.count("/") > 1:  # schema.ParseGroupVersion
        errors.append(f"unexpected GroupVersion string: {api_version}")
    if kind is None:
        errors.append("kind not set")
    elif not isinstance(kind, str):
        errors.append("kind isn't string type")
    return errors


def _ref(name: str) -> Schema:
    return {"$ref": REF_PREFIX + name}


def _kind_of(value: Any) -> str:
    """The JSON type kube-openapi's itemFactory names."""
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def _invalid_type(at: str, schema_path: str, expected: str, actual: str) -> str:
    return (
        f'ValidationError({at}): invalid type for {schema_path}: got "{actual}", '
        f'expected "{expected}"'
    )


def _validate(value: Any, schema: Schema, at: str, schema_path: str = "") -> list[str]:
    """`value` (found at `at`) against `schema` (named `schema_path`)."""
    ref = schema.get("$ref")
    if ref is None and len(schema.get("allOf") or []) == 1:
        ref = schema["allOf"][0].get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix(REF_PREFIX)
        return _validate(value, openapi.schemas()[name], at, name)
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if not types and "oneOf" in schema:
        types = ["string"]  # v2 writes int-or-string and Quantity as strings
    if not types:
        return _validate_kind(value, schema, at, schema_path) if "properties" in schema else []
    if len(types) > 1:
        return []
    if types == ["object"]:
        if "properties" in schema:
            return _validate_kind(value, schema, at, schema_path)
        return _validate_map(value, schema, at, schema_path)
    actual = _kind_of(value)
    if types == ["array"]:
        if actual != "array":
            return [_invalid_type(at, schema_path, "array", actual)]
        sub = schema.get("items") or {}
        return [
            e
            for i, v in enumerate(value)
            for e in _validate_value(v, sub, f"{at}[{i}]", schema_path)
        ]
    return _validate_primitive(types[0], actual, at, schema_path)


def _validate_value(value: Any, schema: Schema, at: str, schema_path: str) -> list[str]:
    """A member of a map or an array: a null one is no JSON type kube-openapi knows."""
    if value is None:
        return [f'unknown object type "nil" in {at}']
    return _validate(value, schema, at, schema_path)


def _validate_primitive(expected: str, actual: str, at: str, schema_path: str) -> list[str]:
    """primitiveItem.VisitPrimitive: a string takes any value but a map or an array, a number
    or an integer any number."""
    if actual == expected or (expected == "string" and actual not in ("map", "array")):
        return []
    if expected in ("integer", "number") and actual in ("integer", "number"):
        return []
    return [_invalid_type(at, schema_path, expected, actual)]


def _validate_kind(value: Any, schema: Schema, at: str, schema_path: str) -> list[str]:
    """mapItem.VisitKind: every field (by name; nulls skipped) known and valid, then every
    required field present."""
    if not isinstance(value, dict):
        return [_invalid_type(at, schema_path, "map", _kind_of(value))]
    fields: dict[str, Schema] = schema["properties"]
    errors: list[str] = []
    for key in sorted(value):
        if value[key] is None:
            continue
        if key not in fields:
            errors.append(f'ValidationError({at}): unknown field "{key}" in {schema_path}')
            continue
        errors += _validate(value[key], fields[key], f"{at}.{key}", f"{schema_path}.{key}")
    for required in schema.get("required") or []:
        if value.get(required) is None:
            errors.append(
                f'ValidationError({at}): missing required field "{required}" in {schema_path}'
            )
    return errors


def _validate_map(value: Any, schema: Schema, at: str, schema_path: str) -> list[str]:
    """mapItem.VisitMap: each value against `additionalProperties` (anything without it)."""
    if not isinstance(value, dict):
        return [_invalid_type(at, schema_path, "map", _kind_of(value))]
    sub = schema.get("additionalProperties")
    sub = sub if isinstance(sub, dict) else {}
    return [
        e
        for key in sorted(value)
        for e in _validate_value(value[key], sub, f"{at}.{key}", schema_path)
    ]
