"""The daemon's REST API, spoken with the standard library: the CLI's reads without the store.

When a daemon serves the store this CLI would open (see `controlplane.apiserver.endpoint`),
reads go to it over loopback HTTP, as kubectl's do, and the CLI never imports SQLAlchemy or
the controllers. Answers and errors are decoded into exactly what `controlplane.api.Api`
returns and raises, so the commands cannot tell the two apart.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.apiserver import endpoint
from controlplane.apiserver.paths import resource_path
from controlplane.models.constants import Obj
from controlplane.paths import home, store_url
from minikubectl.errors import CliError

CONNECT_TIMEOUT_SECONDS = 2.0
REQUEST_TIMEOUT_SECONDS = 60.0


class RemoteApi:
    """The read verbs of `controlplane.api.Api` (get, list) over one keep-alive connection."""

    def __init__(self, url: str) -> None:
        import http.client  # ~20 ms: only once a daemon has published its address

        parts = urlsplit(url)
        self.address = f"{parts.hostname}:{parts.port}"
        self._connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=CONNECT_TIMEOUT_SECONDS
        )

    def connect(self) -> None:
        """Open the connection now: OSError when nothing listens (a daemon that is gone)."""
        self._connection.connect()
        assert self._connection.sock is not None
        self._connection.sock.settimeout(REQUEST_TIMEOUT_SECONDS)

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        return self._request(resource_path(kind_info(kind), namespace, name))

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> list[Obj]:
        query = urlencode(
            [
                (key, value)
                for key, value in (
                    ("labelSelector", label_selector),
                    ("fieldSelector", field_selector),
                )
                if value
            ]
        )
        path = resource_path(kind_info(kind), namespace)
        items: list[Obj] = self._request(f"{path}?{query}" if query else path)["items"]
        return items

    def _request(self, path: str) -> Obj:
        from http.client import HTTPException

        try:
            self._connection.request("GET", path, headers={"Accept": "application/json"})
            response = self._connection.getresponse()
            answer: Obj = json.loads(response.read())
        except (OSError, HTTPException) as exc:
            # kubectl's words when its server goes away (client-go's rest client)
            raise CliError(
                f"The connection to the server {self.address} was refused - did you specify "
                "the right host or port?"
            ) from exc
        if response.status >= 400:
            raise ApiError.from_status(answer, response.status)
        return answer


def daemon_api() -> RemoteApi | None:
    """The daemon's API if a live daemon serves this CLI's store, else None."""
    served = endpoint.read(home())
    if served is None or served.store != store_url():
        return None
    api = RemoteApi(served.url)
    try:
        api.connect()
    except OSError:
        return None
    return api
