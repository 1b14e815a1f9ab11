"""Which part of the API server answers a request: a fixed non-resource path (health, and
later discovery, version, OpenAPI), or a resource path handed to the verbs in `handlers`.

As kube-apiserver's handler chain (staging/src/k8s.io/apiserver/pkg/server/handler.go), the
non-resource paths are matched exactly first, then the REST paths of the served kinds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.apiserver import handlers
from controlplane.apiserver.exchange import (
    Request,
    Response,
    error_response,
    json_response,
    text_response,
)
from controlplane.apiserver.paths import parse_path

NonResource = Callable[[Api, Request], Response]


def healthy(_api: Api, _request: Request) -> Response:
    """`/healthz`, `/livez`, `/readyz`: plain `ok`, as kube-apiserver's healthz handler."""
    return text_response(200, "ok")


NON_RESOURCE: dict[str, NonResource] = {
    "/healthz": healthy,
    "/livez": healthy,
    "/readyz": healthy,
}


def route(api: Api, lock: threading.Lock, request: Request) -> Response:
    """The response to one request. `lock` serialises use of `api`, which owns one store
    connection and is shared by the server's connection threads."""
    try:
        answer = NON_RESOURCE.get(request.path)
        if answer is not None:
            with lock:
                return answer(api, request)
        found = parse_path(request.path)
        if found is None:
            raise handlers.not_served()
        with lock:
            code, body = handlers.handle(
                api,
                request.verb,
                found,
                request.query,
                request.body,
                request.header("content-type"),
                request.header("user-agent"),
            )
        return json_response(code, body)
    except ApiError as exc:
        return error_response(exc)
