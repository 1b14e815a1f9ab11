"""Server-side Tables of CRDs and custom resources.

A custom resource's columns are NAME and its version's `additionalPrinterColumns`, or NAME
and AGE when it names none (staging/src/k8s.io/apiextensions-apiserver/pkg/registry/
customresource/tableconvertor/tableconvertor.go, and the crdHandler's default column). A
`date` cell is a human duration, other cells the JSON value at the column's `jsonPath`.
mkctl evaluates the simple paths CRDs use: `.a.b`, `.a[0].b`, `.a[*].b` and the filter
`.a[?(@.type=="Ready")].b`. A CRD itself prints as the default table convertor prints any
kind (staging/src/k8s.io/apiserver/pkg/registry/rest/table.go): NAME, CREATED AT.
"""

from __future__ import annotations

import json
import re
from typing import Any

from controlplane.api.crd.definitions import CustomResource
from controlplane.api.tables.columns import META_CREATION_TIMESTAMP, NAME, ColumnDefinition
from controlplane.clock import parse_rfc3339
from controlplane.models.constants import Obj
from controlplane.models.durations import human_duration

CREATED_AT = ColumnDefinition("Created At", META_CREATION_TIMESTAMP, type="date")
_AGE = {
    "name": "Age",
    "type": "date",
    "jsonPath": ".metadata.creationTimestamp",
    "description": META_CREATION_TIMESTAMP,
}
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\*)\]|\[\?\(@\.([\w.]+)\s*==\s*[\"']([^\"']*)[\"']\)\]")


def definition_cells(crd: Obj, _now: float) -> list[Any]:
    meta = crd.get("metadata") or {}
    return [meta.get("name", ""), meta.get("creationTimestamp", "")]


def printer_columns(resource: CustomResource) -> list[Obj]:
    return list(resource.storage.printer_columns) or [_AGE]


def columns(resource: CustomResource) -> tuple[ColumnDefinition, ...]:
    """NAME, then each printer column: its description, or the one upstream writes."""
    return (
        NAME,
        *(
            ColumnDefinition(
                c.get("name", ""),
                c.get("description")
                or f"Custom resource definition column (in JSONPath format): {c.get('jsonPath')}",
                type=c.get("type", "string"),
                format=c.get("format", ""),
                priority=int(c.get("priority") or 0),
            )
            for c in printer_columns(resource)
        ),
    )


def cells(resource: CustomResource, obj: Obj, now: float) -> list[Any]:
    row: list[Any] = [(obj.get("metadata") or {}).get("name", "")]
    for column in printer_columns(resource):
        found = find(obj, column.get("jsonPath", ""))
        row.append(None if not found else cell(column.get("type", "string"), found[0], now))
    return row


def cell(column_type: str, value: Any, now: float) -> Any:
    """tableconvertor.go cellForJSONValue; a `string` column prints any value as text."""
    if column_type == "date":
        if not isinstance(value, str):
            return None
        try:
            return human_duration(now - parse_rfc3339(value))
        except ValueError:
            return "<invalid>"
    if column_type == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if column_type == "number":
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if column_type == "boolean":
        return value if isinstance(value, bool) else None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def find(obj: Any, path: str) -> list[Any]:
    """The values a simple JSONPath finds in `obj` (`{...}` braces optional)."""
    path = path.strip().removeprefix("{").removesuffix("}")
    values = [obj]
    for match in _STEP.finditer(path):
        field, index, key, wanted = match.groups()
        found: list[Any] = []
        for value in values:
            if field is not None and isinstance(value, dict) and field in value:
                found.append(value[field])
            elif index == "*" and isinstance(value, list):
                found += value
            elif index is not None and index != "*" and isinstance(value, list):
                if int(index) < len(value):
                    found.append(value[int(index)])
            elif key is not None and isinstance(value, list):
                found += [v for v in value if _matches(v, key, wanted)]
        values = found
    return values


def _matches(item: Any, key: str, wanted: str) -> bool:
    found = find(item, "." + key)
    return bool(found) and str(found[0]) == wanted
