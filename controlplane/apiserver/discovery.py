"""Discovery: what kubectl, client-go and the official Python client learn from `/api` and
`/apis` before anything else (the resource names, short names, verbs and subresources).

Two forms, as kube-apiserver 1.37 serves them:
- aggregated (apidiscovery.k8s.io/v2, staging/src/k8s.io/api/apidiscovery/v2/types.go): all
  groups, versions and resources in one `APIGroupDiscoveryList`, answered on `/api` and
  `/apis` when the Accept header asks for it, with an `ETag` over the document, `Vary:
  Accept` and `Cache-Control: public`, and 304 on a matching `If-None-Match`
  (staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated/handler.go, etag.go);
- legacy: `APIVersions` on `/api`, `APIGroupList` on `/apis`, `APIGroup` on `/apis/<g>` and
  an `APIResourceList` per group version (staging/src/k8s.io/apiserver/pkg/endpoints/
  discovery/{legacy,root,group,version}.go), subresources listed as `pods/status`.
Both are built from the kind registry, custom kinds included (the CRDs are read again on
every discovery request: `router`), resources sorted by name as the installer sorts
their paths (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go `Install`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from functools import lru_cache

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo, Subresource, custom_generation, served_kinds
from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Request, Response, json_response
from controlplane.apiserver.negotiation import Choice, negotiate_discovery
from controlplane.models.constants import Obj

# staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/errors.go: the media
# types kube-apiserver writes, as its 406 lists them.
ACCEPTED = "application/json, application/yaml, application/vnd.kubernetes.protobuf"


def group_versions() -> dict[str, list[str]]:
    """Each served group ("" is the core group) and its versions, preferred first."""
    found: dict[str, list[str]] = {}
    for info in served_kinds():
        versions = found.setdefault(info.group, [])
        if info.version not in versions:
            versions.append(info.version)
    return found


def served_api_versions() -> list[str]:
    """`v1`, `apps/v1`: every group version, as `kubectl api-versions` lists them."""
    return [f"{g}/{v}" if g else v for g, versions in group_versions().items() for v in versions]


def resources_of(api_version: str) -> list[KindInfo]:
    return sorted(
        (i for i in served_kinds() if i.api_version == api_version), key=lambda i: i.plural
    )


def storage_version_hash(info: KindInfo) -> str:
    """staging/src/k8s.io/apiserver/pkg/endpoints/discovery/storageversionhash.go:
    the first 8 bytes of sha256("<group>/<version>/<kind>"), base64."""
    digest = hashlib.sha256(f"{info.group}/{info.version}/{info.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _response_kind(info: KindInfo, sub: Subresource | None = None) -> dict[str, str]:
    api_version = (sub and sub.response_api_version) or info.api_version
    group, _, version = api_version.rpartition("/")
    return {"group": group, "version": version, "kind": (sub and sub.response_kind) or info.kind}


# --- aggregated (apidiscovery.k8s.io/v2) ---------------------------------------------------


def resource_discovery(info: KindInfo) -> Obj:
    """One `APIResourceDiscovery`, in its Go field order; empty lists are omitted."""
    entry: Obj = {
        "resource": info.plural,
        "responseKind": _response_kind(info),
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular,
        "verbs": sorted(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    if info.subresources:
        entry["subresources"] = [
            {
                "subresource": sub.name,
                "responseKind": _response_kind(info, sub),
                "verbs": sorted(sub.verbs),
            }
            for sub in sorted(info.subresources, key=lambda s: s.name)
        ]
    return entry


def group_discovery(group: str) -> Obj:
    metadata = {"name": group} if group else {}
    return {
        "metadata": metadata,
        "versions": [
            {
                "version": version,
                "resources": [
                    resource_discovery(i)
                    for i in resources_of(f"{group}/{version}" if group else version)
                ],
                "freshness": "Current",
            }
            for version in group_versions()[group]
        ],
    }


def aggregated_items(legacy: bool) -> tuple[bytes, str]:
    return _aggregated_items(legacy, custom_generation())


@lru_cache(maxsize=4)
def _aggregated_items(legacy: bool, _generation: int) -> tuple[bytes, str]:
    """The items of `/api` (legacy=True, the core group) or `/apis` (every named group,
    sorted by name: they share the built-in priority) as JSON, and the document's ETag: the
    upper-case hex SHA-512 of the JSON, as etag.go `calculateETag`."""
    groups = [g for g in sorted(group_versions()) if (g == "") == legacy]
    items = json.dumps([group_discovery(g) for g in groups], separators=(",", ":"))
    document = '{"metadata":{},"items":' + items + "}"
    return items.encode(), hashlib.sha512(document.encode()).hexdigest().upper()


def aggregated(request: Request, choice: Choice, legacy: bool) -> Response:
    items, etag = aggregated_items(legacy)
    quoted = f'"{etag}"'
    headers = {"ETag": quoted, "Vary": "Accept", "Cache-Control": "public"}
    if request.header("if-none-match") == quoted:
        return Response(304, b"", choice.content_type, headers)
    body = (
        b'{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/'
        + choice.aggregated.encode()
        + b'","metadata":{},"items":'
        + items
        + b"}"
    )
    return Response(200, body, choice.content_type, headers)


# --- legacy -------------------------------------------------------------------------------


def api_resources(info: KindInfo) -> list[Obj]:
    """The `APIResource` entries of a kind: itself, then `<plural>/<subresource>`."""
    entries: list[Obj] = [
        {
            "name": info.plural,
            "singularName": info.singular,
            "namespaced": info.namespaced,
            "kind": info.kind,
            "verbs": sorted(info.verbs),
        }
    ]
    if info.short_names:
        entries[0]["shortNames"] = list(info.short_names)
    if info.categories:
        entries[0]["categories"] = list(info.categories)
    entries[0]["storageVersionHash"] = storage_version_hash(info)
    for sub in sorted(info.subresources, key=lambda s: s.name):
        entry: Obj = {"name": f"{info.plural}/{sub.name}", "singularName": ""}
        entry["namespaced"] = info.namespaced
        if sub.response_api_version and sub.response_api_version != info.api_version:
            kind = _response_kind(info, sub)
            entry["group"], entry["version"] = kind["group"], kind["version"]
        entry["kind"] = sub.response_kind or info.kind
        entry["verbs"] = sorted(sub.verbs)
        entries.append(entry)
    return entries


def resource_list(api_version: str) -> Obj:
    """`/api/v1` and `/apis/<g>/<v>`; the core group's list carries no apiVersion."""
    listing: Obj = {"kind": "APIResourceList"}
    if "/" in api_version:
        listing["apiVersion"] = "v1"
    listing["groupVersion"] = api_version
    listing["resources"] = [e for i in resources_of(api_version) for e in api_resources(i)]
    return listing


def api_group(group: str) -> Obj:
    versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in group_versions()[group]]
    return {"name": group, "versions": versions, "preferredVersion": versions[0]}


def api_versions(request: Request) -> Obj:
    """`/api`: kube-apiserver names the address it serves on for every client."""
    return {
        "kind": "APIVersions",
        "versions": group_versions()[""],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": request.header("host")}
        ],
    }


def api_group_list() -> Obj:
    named = sorted(g for g in group_versions() if g)
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [api_group(g) for g in named]}


# --- handlers -----------------------------------------------------------------------------


def _negotiated(request: Request) -> Choice:
    choice = negotiate_discovery(request.header("accept"))
    if choice is None:
        raise ApiError(
            "NotAcceptable", 406, f"only the following media types are accepted: {ACCEPTED}"
        )
    return choice


def core_root(_api: Api, request: Request) -> Response:
    """`/api`."""
    choice = _negotiated(request)
    if choice.aggregated:
        return aggregated(request, choice, legacy=True)
    return json_response(200, api_versions(request))


def groups_root(_api: Api, request: Request) -> Response:
    """`/apis`."""
    choice = _negotiated(request)
    if choice.aggregated:
        return aggregated(request, choice, legacy=False)
    return json_response(200, api_group_list())


def group_handler(group: str) -> Callable[[Api, Request], Response]:
    """`/apis/<group>`: one `APIGroup`."""

    def answer(_api: Api, _request: Request) -> Response:
        return json_response(200, {"kind": "APIGroup", "apiVersion": "v1", **api_group(group)})

    return answer


def version_handler(api_version: str) -> Callable[[Api, Request], Response]:
    """`/api/v1`, `/apis/<group>/<version>`: one `APIResourceList`."""

    def answer(_api: Api, _request: Request) -> Response:
        return json_response(200, resource_list(api_version))

    return answer
