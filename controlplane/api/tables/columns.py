"""Table column definitions, and the field documentation their descriptions quote.

A `meta.k8s.io/v1` TableColumnDefinition carries a name (kubectl upper-cases it for the
header), an OpenAPI type (`string`, `integer`), a format (`name` marks the cell that gets the
`kind.group/` prefix when several kinds print), a description and a priority (0 always shown,
1 only with `-o wide`). Upstream writes most descriptions as the swagger doc of the field the
column shows (`metav1.ObjectMeta{}.SwaggerDoc()["name"]`), so the same text is quoted here
(staging/src/k8s.io/api/*/types_swagger_doc_generated.go); where upstream wrote its own words,
they are copied as written (pkg/printers/internalversion/printers.go, AddHandlers). NAME and
AGE, which every kind shows, come with their cells (`name_and_age`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from controlplane.models.constants import Obj
from controlplane.models.durations import age

WIDE = 1
Cell = str | int


@dataclass(frozen=True, slots=True)
class ColumnDefinition:
    name: str
    description: str
    type: str = "string"
    format: str = ""
    priority: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": self.description,
            "priority": self.priority,
        }


# metav1.ObjectMeta
META_NAME = (
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
)
META_CREATION_TIMESTAMP = (
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)

NAME = ColumnDefinition("Name", META_NAME, format="name")
AGE = ColumnDefinition("Age", META_CREATION_TIMESTAMP)


def name_and_age(obj: Obj, now: float) -> tuple[str, str]:
    """The cells of NAME and AGE: the object's name and the time since its creation
    (printers.go's `obj.Name` and `translateTimestampSince(obj.CreationTimestamp)`)."""
    meta = obj.get("metadata") or {}
    return str(meta.get("name") or ""), age(meta.get("creationTimestamp"), now)


CONTAINERS = ColumnDefinition(
    "Containers", "Names of each container in the template.", priority=WIDE
)
IMAGES = ColumnDefinition(
    "Images", "Images referenced by each container in the template.", priority=WIDE
)
