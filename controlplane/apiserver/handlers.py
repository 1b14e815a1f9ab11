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
    "application/apply-patch+yaml": "apply",
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
    api: Api,
    verb: str,
    route: Route,
    query: Query,
    body: bytes,
    content_type: str = "",
    user_agent: str = "",
) -> tuple[int, Obj]:
    """The status code and JSON body a real API server would answer."""
    if route.subresource not in ("", "status"):
        raise not_served()
    dry_run = "All" in query.get("dryRun", [])
    # managerOrUserAgent (handlers/rest.go): the writer is named, else its binary's name
    field_manager = _first(query, "fieldManager") or user_agent.split("/")[0]
    namespace = route.namespace or ""
    kind = route.info.kind
    if verb == "GET" and not route.name:
        return 200, list_of(api, route, query)
    if verb == "GET":
        return 200, api.get(kind, namespace, route.name)
    if verb == "POST" and not route.name:
        obj = _addressed(route, decode(body))
        return 201, api.create(obj, dry_run=dry_run, field_manager=field_manager)
    if verb == "PUT" and route.name:
        obj = _addressed(route, decode(body))
        if route.subresource == "status":
            return 200, api.update_status(obj, field_manager=field_manager)
        return 200, api.update(obj, dry_run=dry_run, field_manager=field_manager)
    if verb == "PATCH" and route.name and not route.subresource:
        patch_type = PATCH_TYPES.get(content_type.split(";")[0].strip())
        if patch_type is None:
            raise ApiError(
                "UnsupportedMediaType",
                415,
                "the body of the request was in an unknown format - accepted media types "
                f"include: {', '.join(PATCH_TYPES)}",
            )
        check_patch_options(patch_type, query)
        if patch_type == "apply":
            return server_side_apply(api, route, query, body, dry_run)
        return 200, api.patch(
            kind,
            namespace,
            route.name,
            body.decode(),
            patch_type,
            dry_run=dry_run,
            field_manager=field_manager,
        )
    if verb == "DELETE" and route.name and not route.subresource:
        return 200, delete(api, route, query, decode(body) if body else {}, dry_run)
    raise method_not_allowed(verb, route)


def check_patch_options(patch_type: str, query: Query) -> None:
    """apimachinery's ValidatePatchOptions: 422 for PatchOptions, before any lookup."""
    if patch_type == "apply" and not _first(query, "fieldManager"):
        problem = errors.required("fieldManager", "is required for apply patch")
    elif patch_type != "apply" and "force" in query:
        problem = errors.forbidden("force", "may not be specified for non-apply patch")
    else:
        return
    raise ApiError(
        "Invalid",
        422,
        f'PatchOptions.meta.k8s.io "" is invalid: {problem}',
        kind="PatchOptions",
        causes=(problem,),
    )


def server_side_apply(
    api: Api, route: Route, query: Query, body: bytes, dry_run: bool
) -> tuple[int, Obj]:
    """An `application/apply-patch+yaml` PATCH: 201 when it created the object, else 200.

    The body must be JSON, the subset of YAML that kubectl and the Python client send; other
    YAML is refused with a 400 (the daemon has no YAML parser).
    """
    manager = _first(query, "fieldManager") or ""
    try:
        config = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(
            f"error decoding YAML: mkctl's API server reads apply patches written as JSON: {exc}"
        ) from exc
    force = _first(query, "force") == "true"
    config = _addressed(route, config)
    obj, created = api.apply(config, field_manager=manager, force=force, dry_run=dry_run)
    return (201 if created else 200), obj


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
    preconditions = options.get("preconditions") or {}
    grace = options.get("gracePeriodSeconds", _first(query, "gracePeriodSeconds"))
    obj = api.delete(
        route.info.kind,
        route.namespace or "",
        route.name,
        propagation=options.get("propagationPolicy") or _first(query, "propagationPolicy"),
        grace_period_seconds=None if grace is None else int(grace),
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


def _first(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None
