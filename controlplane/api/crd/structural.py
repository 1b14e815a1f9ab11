"""A custom resource against its version's structural schema: pruning, defaulting and
validation, in kube-apiserver's order and words.

- Pruning (staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/
  algorithm.go): fields the schema does not specify are dropped, except under
  `x-kubernetes-preserve-unknown-fields: true`; with `fieldValidation=Strict` they are
  refused instead, as unknown fields (`unknown_fields`). A null where the schema is not
  `nullable` is dropped too (schema/defaulting/prunenulls.go).
- Defaulting (schema/defaulting/algorithm.go): a missing field with a `default` gets it,
  objects first, then their properties.
- Validation (k8s.io/kube-openapi/pkg/validation/validate and apiextensions-apiserver's
  pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors): types, required,
  enum, minimum/maximum (exclusive too), multipleOf, minLength/maxLength, pattern,
  minItems/maxItems, minProperties/maxProperties, formats, `x-kubernetes-int-or-string`.
  Messages are kube-openapi's (`spec.replicas in body must be of type integer: "string"`)
  inside the field errors apiextensions makes of them.

Not evaluated: `x-kubernetes-validations` (CEL), `allOf`/`anyOf`/`oneOf`/`not`,
`x-kubernetes-list-type` uniqueness and `uniqueItems`.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from controlplane.api.crd.formats import format_fits
from controlplane.api.errors import FieldError, invalid_value, required, too_many, unsupported
from controlplane.models.constants import Obj

Schema = dict[str, Any]
# The root's fields that ObjectMeta and TypeMeta own: never pruned, defaulted or validated
# by the schema (metadata is checked as every kind's is).
_META_FIELDS = ("apiVersion", "kind", "metadata")


def prune(obj: Obj, schema: Schema) -> list[str]:
    """Drop what the schema does not specify; the paths dropped, in sorted-key order."""
    dropped: list[str] = []
    root = {k: v for k, v in (schema.get("properties") or {}).items() if k not in _META_FIELDS}
    _prune_object(obj, {**schema, "properties": root}, "", dropped, skip=_META_FIELDS)
    return dropped


def _prune_object(
    value: Obj, schema: Schema, path: str, dropped: list[str], skip: tuple[str, ...] = ()
) -> None:
    if schema.get("x-kubernetes-preserve-unknown-fields") and not schema.get("properties"):
        return
    properties = schema.get("properties")
    additional = schema.get("additionalProperties")
    for key in sorted(value):
        if key in skip:
            continue
        where = f"{path}.{key}" if path else key
        if properties is not None and key in properties:
            sub = properties[key]
        elif isinstance(additional, dict):
            sub = additional
        elif additional is True or schema.get("x-kubernetes-preserve-unknown-fields"):
            continue
        else:
            dropped.append(where)
            del value[key]
            continue
        if value[key] is None and not sub.get("nullable"):
            del value[key]
            continue
        _prune_value(value[key], sub, where, dropped)


def _prune_value(value: Any, schema: Schema, path: str, dropped: list[str]) -> None:
    if isinstance(value, dict) and (schema.get("type") == "object" or "properties" in schema):
        if schema.get("x-kubernetes-embedded-resource"):
            _prune_object(value, schema, path, dropped, skip=_META_FIELDS)
        else:
            _prune_object(value, schema, path, dropped)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _prune_value(item, schema["items"], f"{path}[{i}]", dropped)


def default(obj: Obj, schema: Schema) -> None:
    """Fill in every missing field that has a `default` (a deep copy of it)."""
    _default_value(obj, schema, root=True)


def _default_value(value: Any, schema: Schema, root: bool = False) -> None:
    if isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if root and key in _META_FIELDS:
                continue
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            if key in value:
                _default_value(value[key], sub)
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict):
            for item in value.values():
                _default_value(item, additional)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _default_value(item, schema["items"])


def validate(obj: Obj, schema: Schema) -> list[FieldError]:
    """Every schema violation of `obj` (its metadata aside), as field errors."""
    errs: list[FieldError] = []
    body = {k: v for k, v in obj.items() if k not in _META_FIELDS}
    root = {
        **schema,
        "properties": {
            k: v for k, v in (schema.get("properties") or {}).items() if k not in _META_FIELDS
        },
    }
    root["required"] = [r for r in schema.get("required") or [] if r not in _META_FIELDS]
    _validate(body, root, "", errs)
    return errs


def _type_of(value: Any) -> str:
    """kube-openapi's name of a JSON value's type (validate/type.go, schemaType)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_fits(value: Any, schema: Schema) -> bool:
    expected = schema.get("type")
    actual = _type_of(value)
    if schema.get("x-kubernetes-int-or-string"):
        return actual in ("integer", "string")
    if value is None:
        return bool(schema.get("nullable")) or not expected
    if not expected:
        return True
    return actual == expected or (expected == "number" and actual == "integer")


def _name(path: str) -> str:
    return path or "."


def _validate(value: Any, schema: Schema, path: str, errs: list[FieldError]) -> None:
    where = path or "<root>"
    if not _type_fits(value, schema):
        expected = "integer,string" if schema.get("x-kubernetes-int-or-string") else schema["type"]
        actual = _type_of(value)
        errs.append(
            FieldError(
                where,
                "Invalid value",
                actual,
                f"{_name(path)} in body must be of type {expected}: {json.dumps(actual)}",
            )
        )
        return
    if value is None:
        return
    if "enum" in schema and value not in schema["enum"]:
        values = [v if isinstance(v, str) else json.dumps(v) for v in schema["enum"]]
        errs.append(unsupported(where, value, values))
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        errs += _number_errors(value, schema, path, where)
    elif isinstance(value, str):
        errs += _string_errors(value, schema, path, where)
    elif isinstance(value, list):
        _array(value, schema, path, where, errs)
    elif isinstance(value, dict):
        _object(value, schema, path, where, errs)


def _go_number(n: Any) -> str:
    """Go's %v of a float64 bound: 10 not 10.0."""
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


def _number_errors(value: float, schema: Schema, path: str, where: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = f"{_name(path)} in body"
    if "maximum" in schema:
        top, exclusive = schema["maximum"], schema.get("exclusiveMaximum")
        if value > top or (exclusive and value == top):
            words = "less than" if exclusive else "less than or equal to"
            errs.append(invalid_value(where, value, f"{name} should be {words} {_go_number(top)}"))
    if "minimum" in schema:
        bottom, exclusive = schema["minimum"], schema.get("exclusiveMinimum")
        if value < bottom or (exclusive and value == bottom):
            words = "greater than" if exclusive else "greater than or equal to"
            errs.append(
                invalid_value(where, value, f"{name} should be {words} {_go_number(bottom)}")
            )
    factor = schema.get("multipleOf")
    if factor and (value / factor) != int(value / factor):
        errs.append(
            invalid_value(where, value, f"{name} should be a multiple of {_go_number(factor)}")
        )
    return errs


def _string_errors(value: str, schema: Schema, path: str, where: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = f"{_name(path)} in body"
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        # kubeOpenAPIResultToFieldErrors: TooLongFailCode is field.TooLongMaxLength
        errs.append(
            FieldError(
                where, "Too long", detail=f"may not be more than {schema['maxLength']} bytes"
            )
        )
    if "minLength" in schema and len(value) < schema["minLength"]:
        errs.append(
            invalid_value(
                where, value, f"{name} should be at least {schema['minLength']} chars long"
            )
        )
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, value):
        errs.append(invalid_value(where, value, f"{name} should match '{pattern}'"))
    fmt = schema.get("format")
    if fmt and not format_fits(fmt, value):
        errs.append(
            FieldError(
                where, "Invalid value", value, f"{name} must be of type {fmt}: {json.dumps(value)}"
            )
        )
    return errs


def _array(value: list[Any], schema: Schema, path: str, where: str, errs: list[FieldError]) -> None:
    name = f"{_name(path)} in body"
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errs.append(too_many(where, len(value), schema["maxItems"]))
    if "minItems" in schema and len(value) < schema["minItems"]:
        errs.append(
            invalid_value(where, value, f"{name} should have at least {schema['minItems']} items")
        )
    items = schema.get("items")
    if isinstance(items, dict):
        for i, item in enumerate(value):
            _validate(item, items, f"{path}[{i}]", errs)


def _object(value: Obj, schema: Schema, path: str, where: str, errs: list[FieldError]) -> None:
    name = f"{_name(path)} in body"
    for key in schema.get("required") or []:
        if key not in value:
            errs.append(required(f"{path}.{key}" if path else key))
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        errs.append(too_many(where, len(value), schema["maxProperties"]))
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        errs.append(
            invalid_value(
                where, value, f"{name} should have at least {schema['minProperties']} properties"
            )
        )
    properties = schema.get("properties") or {}
    additional = schema.get("additionalProperties")
    for key in sorted(value):
        sub = properties.get(key)
        if sub is None and isinstance(additional, dict):
            sub = additional
        if sub is not None:
            _validate(value[key], sub, f"{path}.{key}" if path else key, errs)


def unknown_fields(obj: Obj, schema: Schema) -> list[str]:
    """What pruning would drop: `fieldValidation=Strict` refuses these."""
    return prune(copy.deepcopy(obj), schema)
