"""The OpenAPI v3 schemas of the served kinds, for `explain` and the API server's documents.

`schemas.json` holds `components.schemas` in upstream's shape and names, with upstream's
descriptions and extensions (`x-kubernetes-patch-merge-key`, list types, group-version-kinds):
every type reachable from the served kinds, their lists, the subresource kinds (autoscaling/v1
Scale, policy/v1 Eviction, v1 Binding) and the meta types the operations name (DeleteOptions,
Status, WatchEvent, Patch, APIResourceList). The types come from Kubernetes 1.37's published
definitions (api/openapi-spec/swagger.json, as the kubernetes-validate 1.37.0 wheel ships
them in `_definitions.json`), put back in kube-openapi's v3 form: nullable types made plain,
the `apiVersion`/`kind` enums that wheel adds removed, `#/components/schemas/` references, a
`$ref` beside other keys wrapped in `allOf`. Where mkctl already held upstream's v3 text of a
type (the apps/v1 and meta types, from api/openapi-spec/v3), its top-level keys (`required`),
descriptions and `default` values are kept; other types carry no `default`.
`parameters.json` holds the descriptions of the query and path parameters the operations
take, as staging/src/k8s.io/apiserver/pkg/endpoints/installer.go documents them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from controlplane.api.registry import custom_generation

Schema = dict[str, Any]
REF_PREFIX = "#/components/schemas/"


def _load(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def schemas() -> dict[str, Schema]:
    """Every schema: the built-in types', then the custom kinds' (`api/crd/openapi.py`)."""
    return _schemas(custom_generation())


@cache
def _builtin_schemas() -> dict[str, Schema]:
    found: dict[str, Schema] = _load("schemas.json")["components"]["schemas"]
    return found


@lru_cache(maxsize=2)
def _schemas(_generation: int) -> dict[str, Schema]:
    from controlplane.api.crd.openapi import custom_schemas

    custom = custom_schemas()
    return {**_builtin_schemas(), **custom} if custom else _builtin_schemas()


@cache
def parameters() -> dict[str, Schema]:
    """Parameter name to its `type` and `description`."""
    found: dict[str, Schema] = _load("parameters.json")
    return found


def root_for(group: str, kind: str, version: str) -> str | None:
    """The name of the schema that describes this group, kind and version, if any."""
    wanted = {"group": group, "kind": kind, "version": version}
    for name, schema in schemas().items():
        if wanted in (schema.get("x-kubernetes-group-version-kind") or []):
            return name
    return None


def referenced(roots: Iterable[str]) -> list[str]:
    """The roots and every schema they refer to, transitively, sorted by name."""
    found: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending += _refs(schemas()[name])
    return sorted(found)


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        names = [ref.removeprefix(REF_PREFIX)] if isinstance(ref, str) else []
        return names + [n for key, v in node.items() if key != "$ref" for n in _refs(v)]
    if isinstance(node, list):
        return [n for item in node for n in _refs(item)]
    return []
