"""OpenAPI v3 over HTTP: `/openapi/v3`, the index of the group versions' documents by hashed
URL, and each document (`openapi_paths`), which kubectl reads before `apply`, `create -f`,
`replace -f`, `explain` and any write validated by the server.

The documents change only with the CRDs, so each is built once per set of custom kinds and
hashed
(upper-case hex SHA-512, kube-openapi handler3 `computeETag`), then served as
vendor/k8s.io/kube-openapi/pkg/handler3/handler.go serves them: `Etag`, `Vary: Accept`, 304
on a matching `If-None-Match`, `Cache-Control: public, immutable` and a year's `Expires` on a
`?hash=` URL, a 301 to the current hash from a stale one, and 406 to a client that accepts
neither JSON nor anything.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable
from email.utils import formatdate
from functools import lru_cache
from time import time

from controlplane.api.registry import custom_generation
from controlplane.api.verbs import Api
from controlplane.apiserver.discovery import served_api_versions
from controlplane.apiserver.exchange import Request, Response
from controlplane.apiserver.negotiation import accepts_json
from controlplane.apiserver.openapi_paths import group_version_document
from controlplane.apiserver.paths import group_version_prefix


def document_key(api_version: str) -> str:
    """`api/v1`, `apis/apps/v1`: the name of a group version in the index."""
    return group_version_prefix(api_version).lstrip("/")


def served_document(api_version: str) -> tuple[bytes, str]:
    """A group version's document as JSON, and its hash."""
    return _served_document(api_version, custom_generation())


@lru_cache(maxsize=256)
def _served_document(api_version: str, _generation: int) -> tuple[bytes, str]:
    data = json.dumps(group_version_document(api_version), separators=(",", ":")).encode()
    return data, hashlib.sha512(data).hexdigest().upper()


def served_index() -> tuple[bytes, str]:
    """`/openapi/v3`: each group version's document, by its hashed URL."""
    return _served_index(custom_generation())


@lru_cache(maxsize=2)
def _served_index(_generation: int) -> tuple[bytes, str]:
    paths = {
        document_key(gv): {
            "serverRelativeURL": f"/openapi/v3/{document_key(gv)}?hash={served_document(gv)[1]}"
        }
        for gv in sorted(served_api_versions(), key=document_key)
    }
    data = json.dumps({"paths": paths}, separators=(",", ":")).encode()
    return data, hashlib.sha512(data).hexdigest().upper()


# kube-openapi writes a bare 406 when it has none of the accepted media types.
NOT_ACCEPTABLE = Response(406, b"", "text/plain; charset=utf-8")


def conditional(request: Request, data: bytes, etag: str, headers: dict[str, str]) -> Response:
    """http.ServeContent: 304 when the client holds this very ETag."""
    headers["Etag"] = f'"{etag}"'
    if request.header("if-none-match") == headers["Etag"]:
        return Response(304, b"", "application/json", headers)
    return Response(200, data, "application/json", headers)


def index(_api: Api, request: Request) -> Response:
    data, etag = served_index()
    return conditional(request, data, etag, {})


def document_handler(api_version: str) -> Callable[[Api, Request], Response]:
    """`/openapi/v3/<api/v1 | apis/g/v>`: JSON only (406 to a client that wants nothing
    else, as kube-openapi answers one asking only for protobuf)."""

    def answer(_api: Api, request: Request) -> Response:
        if not accepts_json(request.header("accept")):
            return NOT_ACCEPTABLE
        data, etag = served_document(api_version)
        headers = {"Vary": "Accept"}
        wanted = request.first("hash")
        if wanted:
            if wanted != etag:
                location = f"/openapi/v3/{document_key(api_version)}?hash={etag}"
                body = f'<a href="{html.escape(location)}">Moved Permanently</a>.\n\n'.encode()
                return Response(301, body, "text/html; charset=utf-8", {"Location": location})
            headers["Cache-Control"] = "public, immutable"
            headers["Expires"] = formatdate(time() + 365 * 86400, usegmt=True)
        return conditional(request, data, etag, headers)

    return answer
