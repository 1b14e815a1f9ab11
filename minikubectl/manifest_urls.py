"""`-f https://...`: manifests read over HTTP, as kubectl's resource builder reads them.

staging/src/k8s.io/cli-runtime/pkg/resource/builder.go `FilenameParam` takes any argument
starting `http://` or `https://` as a URL (`the URL passed to filename "..." is not valid`
when it does not parse), and visitor.go `readHttpWithRetries` GETs it up to three times, a
second apart, retrying connection errors and 5xx answers; any other answer but 200 is
`unable to read URL "...", server reported 404 Not Found, status code=404`. A failure to
connect reads as kubectl's helpers.go `StandardErrorMessage` renders it (`The connection to
the server HOST:PORT was refused ...`, `Unable to connect to the server: ...`). Unlike Go's
`http.Get`, each attempt is bounded by `TIMEOUT_SECONDS`, so an unreachable host fails
instead of hanging.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from minikubectl.errors import CliError

URL_PREFIXES = ("http://", "https://")
ATTEMPTS = 3  # builder.go defaultHttpGetAttempts
RETRY_SECONDS = 1.0
TIMEOUT_SECONDS = 10.0


def is_url(path: str) -> bool:
    return path.startswith(URL_PREFIXES)


def read_url(url: str) -> bytes:
    """The body of `url`, or kubectl's error for why it could not be read."""
    import urllib.error
    import urllib.request

    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError as exc:
        raise CliError(f'the URL passed to filename "{url}" is not valid: {exc}') from None
    port = port or (443 if parts.scheme == "https" else 80)
    failure: CliError | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(RETRY_SECONDS)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
                body: bytes = answer.read()
                return body
        except urllib.error.HTTPError as exc:
            failure = CliError(
                f'unable to read URL "{url}", server reported {exc.code} {exc.reason}, '
                f"status code={exc.code}"
            )
            if not 500 <= exc.code < 600:
                break
        except (urllib.error.URLError, OSError) as exc:
            failure = _unreachable(getattr(exc, "reason", exc), host, port)
    assert failure is not None
    raise failure


def _unreachable(reason: object, host: str, port: int) -> CliError:
    import socket

    if isinstance(reason, ConnectionRefusedError):
        return CliError(
            f"The connection to the server {host}:{port} was refused - did you specify the "
            "right host or port?",
            prefixed=False,
        )
    if isinstance(reason, socket.gaierror):
        why = f"dial tcp: lookup {host}: no such host"
    elif isinstance(reason, TimeoutError | socket.timeout):
        why = f"dial tcp {host}:{port}: i/o timeout"
    else:
        why = str(reason)
    return CliError(f"Unable to connect to the server: {why}", prefixed=False)
