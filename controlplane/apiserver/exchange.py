"""One HTTP exchange as the API server sees it: the request read off the socket, and the
response to write back, which is either a whole body or a stream of chunks (a watch).

Keeping these plain values lets every feature of the server (discovery, resources, watch,
authentication) be a function from a `Request` to a `Response`, tested without sockets;
`http.py` alone moves the bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from controlplane.api.errors import ApiError
from controlplane.models.constants import Obj

Query = Mapping[str, list[str]]


@dataclass(frozen=True)
class Request:
    verb: str  # GET, POST, PUT, PATCH, DELETE
    path: str  # without the query string
    query: Query
    headers: Mapping[str, str]  # names in lower case
    body: bytes = b""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def first(self, key: str) -> str | None:
        """The first value of a query parameter, as Go's `url.Values.Get`."""
        values = self.query.get(key)
        return values[0] if values else None


@dataclass
class Response:
    code: int
    body: bytes | Iterator[bytes]  # an iterator is sent chunked, one write per chunk
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(code: int, obj: Obj, content_type: str = "application/json") -> Response:
    data = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(code, data, content_type)


def error_response(exc: ApiError) -> Response:
    return json_response(exc.code, exc.status())


def text_response(code: int, text: str) -> Response:
    return Response(code, text.encode(), "text/plain; charset=utf-8")


def with_warnings(response: Response, said: list[str]) -> Response:
    """`Warning: 299 - "text"` for each warning, as the API server's warning recorder writes
    them (staging/src/k8s.io/apiserver/pkg/endpoints/filters/warning.go), folded into one
    header line as HTTP allows (client-go's ParseWarningHeaders reads either form)."""
    if said:
        response.headers["Warning"] = ", ".join(
            "299 - " + json.dumps(text, ensure_ascii=False) for text in said
        )
    return response
