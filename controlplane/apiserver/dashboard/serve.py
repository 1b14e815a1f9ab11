"""The answers to the dashboard's public paths: its files, with headers that keep the page
to its own origin, the redirect from `/dashboard`, and the exchange of a login code for
the token (`login.py`).

Every answer carries a Content-Security-Policy that lets the page load from and connect to
its own origin only, and forbids framing, so another site cannot embed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from controlplane.api.errors import ApiError
from controlplane.apiserver.dashboard import PREFIX, PUBLIC_PATHS, SESSION, STATIC
from controlplane.apiserver.dashboard.login import LoginCodes
from controlplane.apiserver.exchange import Request, Response, error_response, json_response

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
FOLDER = Path(__file__).parent / "static"
MAX_CODE_BYTES = 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def serves(path: str) -> bool:
    return path in PUBLIC_PATHS


def _method_not_allowed(verb: str) -> Response:
    return error_response(
        ApiError(
            "MethodNotAllowed",
            405,
            f"the server does not allow this method on the requested resource ({verb})",
        )
    )


def asset(name: str) -> bytes:
    return (FOLDER / name).read_bytes()


def respond(codes: LoginCodes, request: Request) -> Response:
    """The page's files, a redirect from `/dashboard`, or the token for a login code."""
    response: Response | None = None
    if request.path == SESSION:
        response = _session(codes, request) if request.verb == "POST" else None
    elif request.verb not in ("GET", "HEAD"):
        response = None
    elif request.path in STATIC:
        name = STATIC[request.path]
        response = Response(200, asset(name), TYPES[Path(name).suffix])
    else:  # /dashboard, keeping the query (namespace, workloads) for the page
        query = urlencode(request.query, doseq=True)
        response = Response(301, b"", "text/plain; charset=utf-8")
        response.headers["Location"] = PREFIX + (f"?{query}" if query else "")
    if response is None:
        response = _method_not_allowed(request.verb)
    response.headers.update(SECURITY_HEADERS)
    return response


def _session(codes: LoginCodes, request: Request) -> Response:
    try:
        code = json.loads(request.body[:MAX_CODE_BYTES]).get("code")
    except (ValueError, AttributeError):
        code = None
    token = codes.redeem(code) if isinstance(code, str) else None
    if token is None:
        return error_response(
            ApiError(
                "Unauthorized",
                401,
                "this dashboard link has expired or was used already: "
                "run 'mkctl dashboard' again for a new one",
            )
        )
    return json_response(200, {"token": token})
