"""One REST request to one API verb: what the daemon's HTTP server answers, without sockets.

The shapes are a real API server's (reference/kubectl-wire.md §1, §9): a collection GET is a
`<Kind>List` carrying the store's resourceVersion, a POST answers 201 with the created object,
PATCH takes its type from the Content-Type, DELETE takes DeleteOptions and answers the object
while it still exists (a pod on its grace period, an owner held by a finalizer) or a `Success`
Status once it is gone, and every failure is the `Status` of the `ApiError` behind it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.apiserver.paths import Route
from controlplane.models.constants import Obj

Query = Mapping[str, list[str]]

# staging/src/k8s.io/apimachinery/pkg/types/patch.go
PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
}


def not_served() -> ApiError:
    """The API server's answer for a path it has no handler for."""
    return ApiError("NotFound", 404, "the server could not find the requested resource")


def method_not_allowed(verb: str, route: Route) -> ApiError:
    return ApiError(
        "MethodNotAllowed",
        405,
        f"the server does not allow this method on the requested resource ({verb} "
        f"{route.info.resource})",
    )


def handle(
    api: Api, verb: str, route: Route, query: Query, body: bytes, content_type: str = ""
) -> tuple[int, Obj]:
    """The status code and JSON body a real API server would answer."""
    if route.subresource not in ("", "status"):
        raise not_served()
    dry_run = "All" in query.get("dryRun", [])
    namespace = route.namespace or ""
    kind = route.info.kind
    if verb == "GET" and not route.name:
        return 200, list_of(api, route, query)
    if verb == "GET":
        return 200, api.get(kind, namespace, route.name)
    if verb == "POST" and not route.name:
        return 201, api.create(_addressed(route, decode(body)), dry_run=dry_run)
    if verb == "PUT" and route.name:
        obj = _addressed(route, decode(body))
        if route.subresource == "status":
            return 200, api.update_status(obj)
        return 200, api.update(obj, dry_run=dry_run)
    if verb == "PATCH" and route.name and not route.subresource:
        patch_type = PATCH_TYPES.get(content_type.split(";")[0].strip())
        if patch_type is None:
            raise ApiError(
                "UnsupportedMediaType",
                415,
                "the body of the request was in an unknown format - accepted media types "
                f"include: {', '.join(PATCH_TYPES)}",
            )
        return 200, api.patch(
            kind, namespace, route.name, body.decode(), patch_type, dry_run=dry_run
        )
    if verb == "DELETE" and route.name and not route.subresource:
        return 200, delete(api, route, query, decode(body) if body else {}, dry_run)
    raise method_not_allowed(verb, route)


def list_of(api: Api, route: Route, query: Query) -> Obj:
    """A `<Kind>List` of what the selectors match, and the revision they were read at (one
    snapshot: a watch from that resourceVersion misses nothing and repeats nothing)."""
    with api.snapshot():
        revision = api.current_revision()
        items = api.list(
            route.info.kind,
            route.namespace,
            label_selector=_first(query, "labelSelector"),
            field_selector=_first(query, "fieldSelector"),
        )
    return {
        "kind": f"{route.info.kind}List",
        "apiVersion": route.info.api_version,
        "metadata": {"resourceVersion": str(revision)},
        "items": items,
    }


def delete(api: Api, route: Route, query: Query, options: Obj, dry_run: bool) -> Obj:
    """DeleteOptions from the body (or the query, as kubectl's flags may send them)."""
    if not isinstance(options, dict):
        raise errors.bad_request("the body of the request must be DeleteOptions")
    preconditions = options.get("preconditions") or {}
    grace = options.get("gracePeriodSeconds", _first(query, "gracePeriodSeconds"))
    obj = api.delete(
        route.info.kind,
        route.namespace or "",
        route.name,
        propagation=options.get("propagationPolicy") or _first(query, "propagationPolicy"),
        grace_period_seconds=_grace_period(grace),
        uid=preconditions.get("uid") or "",
        resource_version=preconditions.get("resourceVersion") or "",
        dry_run=dry_run or "All" in (options.get("dryRun") or []),
    )
    if route.info.kind == "Pod" or obj["metadata"].get("deletionTimestamp"):
        return obj
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {
            "name": route.name,
            "group": route.info.group,
            "kind": route.info.plural,
            "uid": obj["metadata"].get("uid", ""),
        },
    }


def _grace_period(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise errors.bad_request(f"gracePeriodSeconds must be an integer, not {value!r}")
    try:
        return int(value)
    except ValueError:
        raise errors.bad_request(f"gracePeriodSeconds must be an integer, not {value!r}") from None


def decode(body: bytes) -> Any:
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"the body of the request could not be decoded: {exc}") from exc


def _addressed(route: Route, obj: Any) -> Obj:
    """The body, checked against the path it was sent to (name and namespace)."""
    if not isinstance(obj, dict):
        raise errors.bad_request("the body of the request must be an object")
    obj.setdefault("kind", route.info.kind)  # the path's kind, as the server's decoder
    obj.setdefault("apiVersion", route.info.api_version)
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise errors.bad_request(
            f'{route.info.kind} in version "{route.info.api_version.rpartition("/")[2]}" '
            f"cannot be handled as a {route.info.kind}: json: cannot unmarshal "
            f"{_json_type(meta)} into Go struct field {route.info.kind}.metadata of type "
            "v1.ObjectMeta"
        )
    if route.info.namespaced:
        given = meta.setdefault("namespace", route.namespace)
        if given != route.namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on "
                "the request"
            )
    if route.name and meta.get("name") != route.name:
        raise errors.bad_request(
            f"the name of the object ({meta.get('name')}) does not match the name on the URL "
            f"({route.name})"
        )
    return obj


def _json_type(value: object) -> str:
    """The JSON type's name as Go's encoding/json words it in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _first(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None
