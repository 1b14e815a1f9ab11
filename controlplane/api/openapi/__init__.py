"""The OpenAPI v3 schemas of the served kinds, for `explain` (and, later, the HTTP API).

`schemas.json` holds `components.schemas` in upstream's shape and names, with upstream's
descriptions: the apps/v1 and meta types verbatim from kubernetes/api/openapi-spec/v3
(apis__apps__v1_openapi.json); the core/v1 types that apps/v1 does not reference (Pod, its
status, Namespace, Node, Event) from Kubernetes 1.37 models, where paragraph breaks inside a
description may be folded into spaces. It is a subset: every kind mkctl serves, the fields a
lesson touches, and every type those fields refer to. Add a kind by adding its schemas with an
`x-kubernetes-group-version-kind` entry on the top-level one.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

Schema = dict[str, Any]


@cache
def schemas() -> dict[str, Schema]:
    text = resources.files(__package__).joinpath("schemas.json").read_text(encoding="utf-8")
    found: dict[str, Schema] = json.loads(text)["components"]["schemas"]
    return found


def root_for(group: str, kind: str, version: str) -> str | None:
    """The name of the schema that describes this group, kind and version, if any."""
    wanted = {"group": group, "kind": kind, "version": version}
    for name, schema in schemas().items():
        if wanted in (schema.get("x-kubernetes-group-version-kind") or []):
            return name
    return None
