"""What kubectl 1.37 puts on the wire beside a verb's body: the Accept of a human-readable
get, each patch type's Content-Type, and a write's query (dryRun, fieldManager, force,
fieldValidation)."""

from __future__ import annotations

from urllib.parse import urlencode

from controlplane.api.registry import KindInfo, kind_info
from controlplane.apiserver.paths import resource_path
from controlplane.models.constants import Obj

# What kubectl's human-readable get accepts (pkg/cmd/get/get.go, transformRequests).
TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)

# staging/src/k8s.io/apimachinery/pkg/types/patch.go: the Content-Type of each patch type
PATCH_CONTENT_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}
APPLY_PATCH = "application/apply-patch+yaml"


def write_query(dry_run: bool, field_manager: str, *, force: bool = False) -> str:
    """A write's query: `dryRun=All`, `fieldManager` when the writer names one, `force` for
    an apply, and always `fieldValidation=Strict`, kubectl's default `--validate=strict`."""
    query = [("dryRun", "All")] if dry_run else []
    if field_manager:
        query.append(("fieldManager", field_manager))
    if force:
        query.append(("force", "true"))
    query.append(("fieldValidation", "Strict"))
    return "?" + urlencode(query)


def object_path(obj: Obj, subresource: str = "") -> str:
    """The path of the object a PUT body names."""
    info: KindInfo = kind_info(obj.get("kind", ""))
    meta = obj.get("metadata") or {}
    return resource_path(
        info, meta.get("namespace") or "default", meta.get("name", ""), subresource
    )
