"""Which part of the API server answers a request: a fixed non-resource path (health,
version, discovery, OpenAPI), or a resource path handed to the verbs in `handlers`.

As kube-apiserver's handler chain (staging/src/k8s.io/apiserver/pkg/server/handler.go), the
non-resource paths are matched exactly first, then the REST paths of the served kinds.
Requests reach this module only once `auth.guarded` has admitted them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

from controlplane.api import errors, warnings
from controlplane.api.errors import ApiError
from controlplane.api.registry import custom_generation
from controlplane.api.verbs import Api
from controlplane.apiserver import discovery, handlers, openapi_v2, openapi_v3, pod_logs, watch
from controlplane.apiserver.exchange import (
    Request,
    Response,
    error_response,
    json_response,
    text_response,
    with_warnings,
)
from controlplane.apiserver.paths import group_version_prefix, parse_path
from controlplane.apiserver.version import version

NonResource = Callable[[Api, Request], Response]


def healthy(_api: Api, _request: Request) -> Response:
    """`/healthz`, `/livez`, `/readyz`: plain `ok`, as kube-apiserver's healthz handler."""
    return text_response(200, "ok")


def non_resource() -> dict[str, NonResource]:
    return _non_resource(custom_generation())


@lru_cache(maxsize=2)
def _non_resource(_generation: int) -> dict[str, NonResource]:
    """The fixed paths, those of the custom kinds' group versions included."""
    return {
        "/healthz": healthy,
        "/livez": healthy,
        "/readyz": healthy,
        "/version": version,
        "/api": discovery.core_root,
        "/apis": discovery.groups_root,
        **{f"/apis/{g}": discovery.group_handler(g) for g in discovery.group_versions() if g},
        **{
            group_version_prefix(gv): discovery.version_handler(gv)
            for gv in discovery.served_api_versions()
        },
        "/openapi/v2": openapi_v2.swagger,
        "/openapi/v3": openapi_v3.index,
        **{
            f"/openapi/v3/{openapi_v3.document_key(gv)}": openapi_v3.document_handler(gv)
            for gv in discovery.served_api_versions()
        },
    }


def _discovers(path: str) -> bool:
    """Discovery and OpenAPI paths: what they list may have changed with any CRD."""
    segments = [s for s in path.split("/") if s]
    return segments[:1] == ["openapi"] or (segments[:1] == ["apis"] and len(segments) <= 3)


def route(api: Api, lock: threading.Lock, request: Request) -> Response:
    """The response to one request. `lock` serialises use of `api`, which owns one store
    connection and is shared by the server's connection threads."""
    try:
        # go-restful serves `/api/` as `/api`: the Python client asks for `/version/`.
        path = request.path.rstrip("/") or "/"
        if _discovers(path):
            with lock:
                api.reload_custom_kinds()
        answer = non_resource().get(path)
        if answer is not None:
            with lock:
                return answer(api, request)
        found = parse_path(request.path)
        if found is None:  # a custom kind another process has just defined?
            with lock:
                api.reload_custom_kinds()
            found = parse_path(request.path)
        if found is None:
            raise handlers.not_served()
        if pod_logs.serves(request.verb, found):
            return pod_logs.response(api, lock, found, request.query)
        if request.verb == "GET" and not found.name and watch.is_watch(request.query):
            options = watch.watch_options(request.query)
            with lock:
                watcher = watch.open_watch(api, found.info, found.namespace, options)
            return watch.response(watcher, lock, watch.wire_form(api, found.info, request))
        with lock, warnings.recorded() as said:
            code, body = handlers.handle(
                api,
                request.verb,
                found,
                request.query,
                request.body,
                request.header("content-type"),
                request.header("accept"),
                request.header("user-agent"),
            )
        return with_warnings(json_response(code, body), said)
    except ApiError as exc:
        return error_response(exc)
    except RecursionError:  # JSON nested deeper than a decoder or a walk over it can go
        return error_response(errors.bad_request("the body of the request is nested too deeply"))
