"""One REST request to one API verb: what the daemon's HTTP server answers, without sockets.

The shapes are a real API server's: a collection GET is a `<Kind>List` carrying the store's
resourceVersion, a POST answers 201 with the created object, PATCH takes its type from the
Content-Type, DELETE takes DeleteOptions and answers the object while it still exists (a pod
on its grace period, an owner held by a finalizer) or a `Success` Status once it is gone, a
DELETE of a collection answers the list of what it deleted, and every failure is the
`Status` of the `ApiError` behind it. Every write takes `dryRun=All` and `fieldValidation`
(see `options`); subresources are answered in `subresources`.
"""

from __future__ import annotations

import json
from typing import Any

from controlplane.api import errors, warnings
from controlplane.api.crd.served import list_kind
from controlplane.api.errors import ApiError
from controlplane.api.field_validation import STRICT, admit_body
from controlplane.api.registry import is_custom, kind_info
from controlplane.api.tables.table import as_table, has_table
from controlplane.api.verbs import Api
from controlplane.apiserver import bodies, listing, negotiation, protobuf, subresources
from controlplane.apiserver.exchange import Query
from controlplane.apiserver.options import (
    DeleteOptions,
    WriteOptions,
    delete_options,
    first,
    write_options,
)
from controlplane.apiserver.paths import Route
from controlplane.models.constants import Obj

# staging/src/k8s.io/apimachinery/pkg/types/patch.go; server-side apply's
# application/apply-patch+yaml is served before these are looked at.
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
    accept: str = "",
    user_agent: str = "",
) -> tuple[int, Obj]:
    """The status code and JSON body a real API server would answer."""
    code, answer = _handle(api, verb, route, query, body, content_type, accept, user_agent)
    return code, in_requested_version(route, answer)


def in_requested_version(route: Route, answer: Obj) -> Obj:
    """A custom kind asked for at a version other than its storage version: the same data
    under that version's apiVersion (every served version shares the schema: mkctl runs no
    conversion webhook, as a CRD's `conversion.strategy: None` converts)."""
    served_as, storage = route.info.api_version, kind_info(route.info.kind).api_version
    if served_as == storage:
        return answer
    for obj in [answer, *(answer.get("items") or [])]:
        if isinstance(obj, dict) and obj.get("apiVersion") == storage:
            obj["apiVersion"] = served_as
    return answer


def _handle(
    api: Api,
    verb: str,
    route: Route,
    query: Query,
    body: bytes,
    content_type: str,
    accept: str,
    user_agent: str,
) -> tuple[int, Obj]:
    if route.info.deprecation:
        warnings.warn(route.info.deprecation)
    if protobuf.is_protobuf(content_type):  # typed kubectl commands: read as its JSON twin
        body = json.dumps(protobuf.decode_body(body)).encode()
    if verb == "GET" and not route.subresource:
        table = as_table_if_accepted(api, route, query, accept)
        if table is not None:
            return 200, table
    # managerOrUserAgent (handlers/rest.go): the writer is named, else its binary's name
    field_manager = first(query, "fieldManager") or user_agent.split("/")[0]
    if route.subresource:
        if not subresources.serves(route):
            raise not_served()
        patch_type = patch_type_of(content_type, route.info.kind) if verb == "PATCH" else ""
        if patch_type == "apply":
            raise ApiError(
                "UnsupportedMediaType",
                415,
                f"mkctl serves server-side apply on whole objects, not on /{route.subresource}",
            )
        answer = subresources.handle(api, verb, route, query, body, patch_type, field_manager)
        if answer is None:
            raise method_not_allowed(verb, route)
        return answer
    namespace = route.namespace or ""
    kind = route.info.kind
    if verb == "GET" and not route.name:
        return 200, list_of(api, route, query)
    if verb == "GET":
        return 200, api.get(kind, namespace, route.name)
    if verb == "POST" and not route.name:
        write = write_options(verb, query)
        obj = admitted(route, body, write.field_validation)
        return 201, api.create(obj, dry_run=write.dry_run, field_manager=field_manager)
    if verb == "PUT" and route.name:
        write = write_options(verb, query)
        obj = admitted(route, body, write.field_validation)
        return 200, api.update(obj, dry_run=write.dry_run, field_manager=field_manager)
    if verb == "PATCH" and route.name:
        patch_type = patch_type_of(content_type, kind)  # checked first, as PatchResource does
        check_patch_options(patch_type, query)
        write = write_options(verb, query)
        if patch_type == "apply":
            return server_side_apply(api, route, query, body, write)
        return 200, api.patch(
            kind,
            namespace,
            route.name,
            body.decode(),
            patch_type,
            dry_run=write.dry_run,
            field_validation=write.field_validation,
            field_manager=field_manager,
        )
    if verb == "DELETE" and route.name:
        return 200, delete(api, route, delete_options(query, _options_body(body)))
    if verb == "DELETE" and route.namespace is not None:
        return 200, delete_collection(api, route, query, delete_options(query, _options_body(body)))
    raise method_not_allowed(verb, route)


def patch_type_of(content_type: str, kind: str = "") -> str:
    """The patch type a Content-Type names; 415 for others, in negotiation's words
    (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/errors.go). A custom
    resource takes no strategic merge patch (its handler's supportedTypes, staging/src/
    k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_handler.go)."""
    accepted = PATCH_TYPES
    if is_custom(kind):
        accepted = {t: name for t, name in PATCH_TYPES.items() if name != "strategic"}
    patch_type = accepted.get(content_type.split(";")[0].strip())
    if patch_type is None:
        raise ApiError(
            "UnsupportedMediaType",
            415,
            f"the body of the request was in an unknown format - accepted media types "
            f"include: {', '.join(accepted)}",
        )
    return patch_type


def admitted(route: Route, body: bytes, field_validation: str) -> Obj:
    """A create or update body: decoded, addressed, its unknown fields seen to."""
    decoded, duplicates = bodies.decode_noting_duplicates(body)
    obj = bodies.addressed(route, decoded, route.info.kind, route.info.api_version)
    admit_body(obj, field_validation, duplicates)
    return obj


def as_table_if_accepted(api: Api, route: Route, query: Query, accept: str) -> Obj | None:
    """A GET's answer as a Table (response.go, transformResponseObject), when Accept asks for
    one and the kind has a TableConvertor; None for the plain object or list."""
    version = negotiation.table_version(accept)
    if version is None or not has_table(route.info.kind):
        return None
    kind = route.info.kind
    if route.name:
        result = api.get(kind, route.namespace or "", route.name)
    else:
        result = list_of(api, route, query)
    include = first(query, "includeObject") or ""
    return as_table(kind, result, api.clock.now(), include, version)


def check_patch_options(patch_type: str, query: Query) -> None:
    """apimachinery's ValidatePatchOptions: 422 for PatchOptions, before any lookup."""
    if patch_type == "apply" and not first(query, "fieldManager"):
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
    api: Api, route: Route, query: Query, body: bytes, write: WriteOptions
) -> tuple[int, Obj]:
    """An `application/apply-patch+yaml` PATCH: 201 when it created the object, else 200.
    Its unknown fields are dropped (fieldValidation Ignore, Warn) or refused (Strict).

    The body must be JSON, the subset of YAML that kubectl and the Python client send; other
    YAML is refused with a 400 (the daemon has no YAML parser).
    """
    manager = first(query, "fieldManager") or ""
    try:
        config = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(
            f"error decoding YAML: mkctl's API server reads apply patches written as JSON: {exc}"
        ) from exc
    force = first(query, "force") == "true"
    config = bodies.addressed(route, config, route.info.kind, route.info.api_version)
    if write.field_validation != STRICT:  # Strict: the decoder's 400, as for any body
        admit_body(config, write.field_validation)
    obj, created = api.apply(config, field_manager=manager, force=force, dry_run=write.dry_run)
    return (201 if created else 200), obj


def list_of(api: Api, route: Route, query: Query) -> Obj:
    """A `<Kind>List` of what the selectors match, and the revision they were read at (one
    snapshot: a watch from that resourceVersion misses nothing and repeats nothing)."""
    return listing.list_of(api, route, query)


# Kinds whose REST storage sets ReturnDeletedObject: a deleted Service is answered as itself
# (pkg/registry/core/service/storage/storage.go), as the typed clients decode it.
RETURNS_DELETED_OBJECT = frozenset({"Pod", "Service"})


def delete(api: Api, route: Route, options: DeleteOptions) -> Obj:
    obj = _delete_one(api, route.info.kind, route.namespace or "", route.name, options)
    if route.info.kind in RETURNS_DELETED_OBJECT or obj["metadata"].get("deletionTimestamp"):
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


def delete_collection(api: Api, route: Route, query: Query, options: DeleteOptions) -> Obj:
    """deletecollection: every object the selectors match, deleted with the same options;
    the answer is the list of them as they were found (registry/generic/registry/store.go
    DeleteCollection). All or none are deleted here: the store is one transaction away."""
    with api.batch():
        items = api.list(
            route.info.kind,
            route.namespace,
            label_selector=first(query, "labelSelector"),
            field_selector=first(query, "fieldSelector"),
        )
        for item in items:
            meta = item["metadata"]
            _delete_one(api, route.info.kind, meta.get("namespace", ""), meta["name"], options)
    return {
        "kind": list_kind(route.info.kind),
        "apiVersion": route.info.api_version,
        "metadata": {},
        "items": items,
    }


def _delete_one(api: Api, kind: str, namespace: str, name: str, options: DeleteOptions) -> Obj:
    return api.delete(
        kind,
        namespace,
        name,
        propagation=options.propagation,
        grace_period_seconds=options.grace_period_seconds,
        uid=options.uid,
        resource_version=options.resource_version,
        dry_run=options.dry_run,
    )


def _options_body(body: bytes) -> Any:
    return bodies.decode(body) if body else {}
