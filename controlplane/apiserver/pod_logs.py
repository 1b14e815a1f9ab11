"""`GET /api/v1/namespaces/N/pods/P/log`: a container's log as text/plain, so `kubectl logs`
works against the daemon.

The query is PodLogOptions (staging/src/k8s.io/api/core/v1/types.go): `container`,
`previous`, `timestamps`, `tailLines`, `sinceSeconds`, `limitBytes` and `follow`. Without
`follow` the answer is the log so far; with it, the response stays open and each line is sent
as the simulated container writes it, until the run ends or the client goes away
(pkg/kubelet/kuberuntime/logs/logs.go ReadLogs follows the file the same way). The lines and
the refusals are `controlplane.kubelet.logs`'.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from controlplane.api import errors
from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Query, Response
from controlplane.apiserver.options import first
from controlplane.apiserver.paths import Route
from controlplane.kubelet import logs
from controlplane.models.constants import Kind

FOLLOW_POLL_SECONDS = 0.5
TRUE = ("true", "1")


def serves(verb: str, route: Route) -> bool:
    return verb == "GET" and route.subresource == "log" and route.info.kind == Kind.POD


def _integer(query: Query, key: str) -> int | None:
    value = first(query, key)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise errors.bad_request(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
    if number < (1 if key != "tailLines" else 0):
        least = 1 if key != "tailLines" else 0
        raise errors.bad_request(f"{key}: Invalid value: {number}: must be at least {least}")
    return number


def log_options(query: Query) -> logs.LogOptions:
    return logs.LogOptions(
        container=first(query, "container") or "",
        previous=(first(query, "previous") or "").lower() in TRUE,
        timestamps=(first(query, "timestamps") or "").lower() in TRUE,
        tail_lines=_integer(query, "tailLines"),
        since_seconds=_integer(query, "sinceSeconds"),
        limit_bytes=_integer(query, "limitBytes"),
    )


def response(api: Api, lock: threading.Lock, route: Route, query: Query) -> Response:
    """The log so far, or (with `follow=true`) a stream of it."""
    options = log_options(query)
    namespace, name = route.namespace or "", route.name
    follow = (first(query, "follow") or "").lower() in TRUE
    with lock:
        if not follow:
            return Response(
                200,
                logs.pod_log(api, namespace, name, options, api.clock.now()).encode(),
                "text/plain",
            )
        stream = logs.LogStream(api, namespace, name, options)
        first_text = stream.start(api.clock.now())
    return Response(200, _follow(api, lock, stream, first_text), "text/plain")


def _follow(
    api: Api, lock: threading.Lock, stream: logs.LogStream, first_text: str
) -> Iterator[bytes]:
    """The lines so far, then each new one; an empty chunk while idle (see http.py)."""
    yield first_text.encode()
    while True:
        time.sleep(FOLLOW_POLL_SECONDS)
        with lock:
            text, more = stream.next(api.clock.now())
        yield text.encode()
        if not more:
            return
