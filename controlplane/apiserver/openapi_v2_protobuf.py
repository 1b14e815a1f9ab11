"""`/openapi/v2` in gnostic protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+
protobuf`): the form kubectl asks for when it validates a `kind: List` on the client
(staging/src/k8s.io/kubectl/pkg/validation: each item against the v2 definitions) and for
`kubectl explain --output=plaintext-openapiv2`.

The message is gnostic's `openapi.v2.Document` (github.com/google/gnostic-models/openapiv2/
OpenAPIv2.proto), written from the Swagger document `openapi_v2` serves as JSON: its
`swagger`, `info` and `definitions`, which is all kubectl reads from it (kube-openapi's
pkg/util/proto NewOpenAPIData builds its models from the definitions alone, and finds each
kind by its `x-kubernetes-group-version-kind`). Paths are left out. Vendor extensions,
enums and examples are gnostic `Any`s holding YAML text; JSON is YAML, so they hold JSON.
"""

from __future__ import annotations

import json
from typing import Any

from controlplane.apiserver.protobuf.wire import field
from controlplane.models.constants import Obj

MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
# kube-openapi's handler answers the deprecated `@v1.0` name with the current one
# (vendor/k8s.io/kube-openapi/pkg/handler/handler.go subTypeProtobuf)
CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

# openapi.v2.Schema's scalar fields: JSON key -> field number
SCHEMA_STRINGS = {"$ref": 1, "format": 2, "title": 3, "description": 4, "pattern": 13}
SCHEMA_DOUBLES = {"multipleOf": 6, "maximum": 7, "minimum": 9}
SCHEMA_BOOLS = {"exclusiveMaximum": 8, "exclusiveMinimum": 10, "uniqueItems": 16, "readOnly": 27}
SCHEMA_INTS = {
    "maxLength": 11,
    "minLength": 12,
    "maxItems": 14,
    "minItems": 15,
    "maxProperties": 17,
    "minProperties": 18,
}
SCHEMA_ANYS = {"default": 5, "example": 30}


def document(swagger: Obj) -> bytes:
    """openapi.v2.Document: swagger (1), info (2), definitions (9)."""
    info = swagger.get("info", {})
    info_message = field(1, info.get("title", "")) + field(2, info.get("version", ""))
    definitions = b"".join(
        field(1, named_schema(name, schema)) for name, schema in swagger["definitions"].items()
    )
    return field(1, swagger["swagger"]) + field(2, info_message) + field(9, definitions)


def named_schema(name: str, schema: Obj) -> bytes:
    return field(1, name) + field(2, schema_message(schema))


def any_value(value: Any) -> bytes:
    """openapi.v2.Any: its `yaml` (2)."""
    return field(2, json.dumps(value, separators=(",", ":")))


def schema_message(schema: Obj) -> bytes:
    """openapi.v2.Schema, in field-number order as Go's proto.Marshal writes it."""
    parts: list[tuple[int, bytes]] = []
    for key, value in schema.items():
        if key in SCHEMA_STRINGS:
            parts.append((SCHEMA_STRINGS[key], field(SCHEMA_STRINGS[key], value)))
        elif key in SCHEMA_DOUBLES:
            parts.append((SCHEMA_DOUBLES[key], field(SCHEMA_DOUBLES[key], float(value))))
        elif key in SCHEMA_BOOLS and value:
            parts.append((SCHEMA_BOOLS[key], field(SCHEMA_BOOLS[key], True)))
        elif key in SCHEMA_INTS:
            parts.append((SCHEMA_INTS[key], field(SCHEMA_INTS[key], int(value))))
        elif key in SCHEMA_ANYS:
            parts.append((SCHEMA_ANYS[key], field(SCHEMA_ANYS[key], any_value(value))))
        elif key == "required":
            parts += [(19, field(19, name)) for name in value]
        elif key == "enum":
            parts += [(20, field(20, any_value(item))) for item in value]
        elif key == "additionalProperties":  # AdditionalPropertiesItem: schema 1, boolean 2
            item = field(1, schema_message(value)) if isinstance(value, dict) else field(2, value)
            parts.append((21, field(21, item)))
        elif key == "type":  # TypeItem: repeated value 1
            types = value if isinstance(value, list) else [value]
            parts.append((22, field(22, b"".join(field(1, t) for t in types))))
        elif key == "items":  # ItemsItem: repeated schema 1
            items = value if isinstance(value, list) else [value]
            parts.append((23, field(23, b"".join(field(1, schema_message(i)) for i in items))))
        elif key == "allOf":
            parts += [(24, field(24, schema_message(s))) for s in value]
        elif key == "properties":  # Properties: repeated NamedSchema 1
            named = b"".join(field(1, named_schema(n, s)) for n, s in value.items())
            parts.append((25, field(25, named)))
        elif key.startswith("x-"):  # NamedAny: name 1, value 2
            parts.append((31, field(31, field(1, key) + field(2, any_value(value)))))
    parts.sort(key=lambda part: part[0])  # stable: repeated fields keep their order
    return b"".join(encoded for _, encoded in parts)
