"""Shared checks: names, metadata, labels, annotations, label selectors, numbers.

Ported from apimachinery `pkg/api/validation/{objectmeta,generic}.go`,
`pkg/api/validation/path/name.go` and `pkg/apis/meta/v1/validation/validation.go`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from controlplane.api.errors import NO_VALUE, FieldError, forbidden, invalid_value, required
from controlplane.models.constants import Obj
from controlplane.models.identifiers import (
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_key_errors,
    label_value_errors,
)

Errors = list[FieldError]
NameCheck = Callable[[str, bool], list[str]]

IS_NEGATIVE = "must be greater than or equal to 0"
FIELD_IMMUTABLE = "field is immutable"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def obj_or_empty(value: Any) -> dict[str, Any]:
    """A nested object, {} when absent (Go's zero struct)."""
    return value if isinstance(value, dict) else {}


# --- names (apimachinery api/validation/generic.go and path/name.go) ---


def _mask_trailing_dash(name: str) -> str:
    """maskTrailingDash: a generateName prefix may end in '-' (Go drops two characters)."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    return dns1123_subdomain_errors(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    return dns1123_label_errors(_mask_trailing_dash(name) if prefix else name)


def path_segment_name(name: str, prefix: bool) -> list[str]:
    """ValidatePathSegmentName: what every name must be, the only rule for Event names."""
    if not prefix and name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


# --- metadata ---


def meta_errors(obj: Obj, name_check: NameCheck, *, namespaced: bool, update: bool) -> Errors:
    """ValidateObjectMeta (create) or the label/annotation part of ValidateObjectMetaUpdate."""
    meta = obj_or_empty(obj.get("metadata"))
    errs: Errors = []
    if not update:
        generate_name = meta.get("generateName") or ""
        if generate_name:
            for msg in name_check(generate_name, True):
                errs.append(invalid_value("metadata.generateName", generate_name, msg))
        name = meta.get("name") or ""
        if name:
            errs += [invalid_value("metadata.name", name, m) for m in name_check(name, False)]
        elif not generate_name:
            errs.append(required("metadata.name", "name or generateName is required"))
    namespace = meta.get("namespace") or ""
    if namespaced and namespace:
        errs += [
            invalid_value("metadata.namespace", namespace, m)
            for m in name_is_dns_label(namespace, False)
        ]
    errs += label_errors(meta.get("labels"), "metadata.labels")
    errs += annotation_errors(meta.get("annotations"), "metadata.annotations")
    return errs


def label_errors(labels: Mapping[str, str] | None, path: str) -> Errors:
    """ValidateLabels: bad keys and bad values, both reported at the map's path."""
    errs: Errors = []
    for key, value in (labels or {}).items():
        errs += [invalid_value(path, key, m) for m in label_key_errors(key)]
        errs += [invalid_value(path, value or "", m) for m in label_value_errors(value or "")]
    return errs


def annotation_errors(annotations: Mapping[str, str] | None, path: str) -> Errors:
    """ValidateAnnotations: keys are qualified names (case-insensitive), 256 KiB in total."""
    annotations = annotations or {}
    errs: Errors = []
    for key in annotations:
        errs += [invalid_value(path, key, m) for m in label_key_errors(key.lower())]
    size = sum(len(k.encode()) + len((v or "").encode()) for k, v in annotations.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(
            FieldError(
                path,
                "Too long",
                NO_VALUE,
                f"may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes",
            )
        )
    return errs


# --- selectors ---


def selector_json(selector: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A LabelSelector as Go marshals it (omitempty): the bad value in selector errors, and the
    form compared for immutability (Go's semantic equality treats nil and empty alike)."""
    if selector is None:
        return None
    out: dict[str, Any] = {}
    if selector.get("matchLabels"):
        out["matchLabels"] = dict(selector["matchLabels"])
    expressions = [obj_or_empty(e) for e in selector.get("matchExpressions") or []]
    if expressions:
        out["matchExpressions"] = [
            {"key": e.get("key") or "", "operator": e.get("operator") or ""}
            | ({"values": list(e["values"])} if e.get("values") else {})
            for e in expressions
        ]
    return out


def label_selector_errors(selector: Mapping[str, Any], path: str) -> Errors:
    """ValidateLabelSelector, label values in expressions checked strictly (apps kinds)."""
    errs = label_errors(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        expr, at = obj_or_empty(expr), f"{path}.matchExpressions[{i}]"
        operator, values = expr.get("operator") or "", expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                errs.append(
                    required(f"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'")
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errs.append(
                    forbidden(
                        f"{at}.values",
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errs.append(invalid_value(f"{at}.operator", operator, "not a valid selector operator"))
        key = expr.get("key") or ""
        errs += [invalid_value(f"{at}.key", key, m) for m in label_key_errors(key)]
        for j, value in enumerate(values):
            errs += [
                invalid_value(f"{at}.values[{j}]", value, m) for m in label_value_errors(value)
            ]
    return errs


def nonnegative(value: Any, path: str) -> Errors:
    """ValidateNonnegativeField; None (an unset pointer) is fine."""
    return [invalid_value(path, value, IS_NEGATIVE)] if value is not None and value < 0 else []
