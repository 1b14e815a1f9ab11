"""What kubectl 1.37 puts on the wire beside a verb's body: the Accept of a human-readable
get, each patch type's Content-Type, and a write's query (dryRun, fieldManager,
fieldValidation, force)."""

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

# A write that names no fieldManager is recorded under the request's User-Agent up to its
# first "/" (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go managerOrUserAgent,
# prefixFromUserAgent): kubectl's is "kubectl/v1.37.1 (linux/amd64) kubernetes/<commit>", so
# `scale` and `rollout undo` show the manager "kubectl". mkctl's requests carry the same product
# name, and its own release in the version, as `mkctl version` prints it.
USER_AGENT_PRODUCT = "kubectl"


def user_agent() -> str:
    from controlplane.models.version import GIT_VERSION
    from minikubectl import __version__

    return f"{USER_AGENT_PRODUCT}/{GIT_VERSION}+mkctl.{__version__} kubernetes/mkctl"


# staging/src/k8s.io/apimachinery/pkg/types/patch.go: the Content-Type of each patch type
PATCH_CONTENT_TYPES = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}
APPLY_PATCH = "application/apply-patch+yaml"


def write_query(
    dry_run: bool, field_manager: str, *, force: bool | None = None, field_validation: str = ""
) -> str:
    """A write's query as kubectl sends it: `dryRun=All`, `fieldManager` when the writer names
    one, `fieldValidation` only for the commands that take `--validate` (apply, create,
    replace, edit: the others send none, and the server's default, Warn, applies), and an
    apply's `force` (false too). Keys sorted, as Go's url.Values.Encode writes them."""
    query = {
        "dryRun": "All" if dry_run else "",
        "fieldManager": field_manager,
        "fieldValidation": field_validation,
        "force": "" if force is None else ("true" if force else "false"),
    }
    sent = [(key, value) for key, value in sorted(query.items()) if value]
    return "?" + urlencode(sent) if sent else ""


def object_path(obj: Obj, subresource: str = "") -> str:
    """The path of the object a PUT body names."""
    info: KindInfo = kind_info(obj.get("kind", ""))
    meta = obj.get("metadata") or {}
    return resource_path(
        info, meta.get("namespace") or "default", meta.get("name", ""), subresource
    )
