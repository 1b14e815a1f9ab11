"""How server-side apply sees each field of a kind: a struct, a granular map, an atomic value,
or a list that is atomic, a set, or associative (keyed by some of its items' fields).

Upstream reads this from the OpenAPI schema (k8s.io/apiserver/pkg/endpoints/handlers/
fieldmanager, typeconverter.go: `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
`x-kubernetes-map-type`, and the `patchMergeKey`/`patchStrategy` tags of built-in types).
mkctl does the same from its two sources of that knowledge: `api/openapi/schemas.json`
(whose extensions win) and, where a field has no schema there, the strategic-merge metadata
of `api/patch.py` (a merge key makes an associative list keyed by it, `merge` with no key a
set). Any other list is atomic, any other object a struct whose fields are tracked one by one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from controlplane.api import openapi
from controlplane.api.managedfields import fieldpath
from controlplane.api.patch import NO_METADATA, Field, schema_for

ATOMIC = "atomic"
MAP = "map"  # associative list (keyed) or granular map of values
SET = "set"
STRUCT = "struct"
_REF = "#/components/schemas/"


def _resolve(schema: dict[str, Any] | None) -> dict[str, Any] | None:
    if schema is None:
        return None
    if "$ref" in schema:  # a bare reference, as items of the types without defaults have
        schema = {"allOf": [{"$ref": schema["$ref"]}]}
    for part in schema.get("allOf") or []:
        ref = part.get("$ref", "")
        if ref.startswith(_REF):
            target = openapi.schemas().get(ref.removeprefix(_REF))
            return (
                {**target, **{k: v for k, v in schema.items() if k != "allOf"}} if target else None
            )
    return schema


class Shape:
    """One field's (or item's) type, with its children's shapes made on first use."""

    __slots__ = (
        "_children",
        "_item",
        "_patch",
        "_schema",
        "key_defaults",
        "keys",
        "list_form",
        "map_form",
        "required",
    )

    def __init__(self, schema: dict[str, Any] | None, patch: Field) -> None:
        self._schema = _resolve(schema)
        self._patch = patch
        self._children: dict[str, Shape] = {}
        self._item: Shape | None = None
        s = self._schema or {}
        self.required = frozenset(s.get("required") or ())
        list_type = s.get("x-kubernetes-list-type")
        keys = s.get("x-kubernetes-list-map-keys")
        if list_type == "map" and keys:
            self.list_form, self.keys = MAP, tuple(keys)
        elif list_type in (SET, ATOMIC):
            self.list_form, self.keys = list_type, ()
        elif patch.merge_key:
            self.list_form, self.keys = MAP, (patch.merge_key,)
        elif patch.merge:
            self.list_form, self.keys = SET, ()
        else:
            self.list_form, self.keys = ATOMIC, ()
        self.map_form = (
            ATOMIC
            if s.get("x-kubernetes-map-type") == ATOMIC
            else MAP
            if isinstance(s.get("additionalProperties"), dict)
            else STRUCT
        )
        item = self.item() if self.list_form == MAP else None
        props = ((item._schema or {}).get("properties") or {}) if item else {}
        self.key_defaults = {
            k: props[k]["default"] for k in self.keys if "default" in props.get(k, {})
        }

    def field(self, name: str) -> Shape:
        """The shape of a struct's field, or of a granular map's values."""
        found = self._children.get(name)
        if found is None:
            s = self._schema or {}
            if self.map_form == MAP:
                schema = s.get("additionalProperties")
            else:
                schema = (s.get("properties") or {}).get(name)
            found = Shape(schema, self._patch.fields.get(name, NO_METADATA))
            self._children[name] = found
        return found

    def declares_fields(self) -> bool:
        """Are this object's keys declared fields (a struct), rather than a map's keys?"""
        return self.map_form != MAP

    def item(self) -> Shape:
        """The shape of a list's items; they carry the list's patch metadata for fields."""
        if self._item is None:
            items = (self._schema or {}).get("items")
            self._item = Shape(items, Field(fields=self._patch.fields))
        return self._item

    def item_element(self, item: Any) -> str:
        """The path element naming one item of this list."""
        if self.list_form == SET or not isinstance(item, dict):
            return fieldpath.value(item)
        return fieldpath.key({k: item.get(k, self.key_defaults.get(k)) for k in self.keys})


@cache
def shape_of(kind: str) -> Shape:
    """The root shape of a kind's objects."""
    from controlplane.api.registry import kind_info

    info = kind_info(kind)
    group, _, version = info.api_version.rpartition("/")
    root = openapi.root_for(group, kind, version)
    schema = openapi.schemas().get(root) if root else None
    return Shape(schema, Field(fields=schema_for(kind)))
