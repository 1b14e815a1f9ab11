"""Clients of a running daemon's API server for end-to-end tests: real kubectl, the official
Python client, and plain HTTP for what no client sends. All are set up here and only here,
so that credentials, when the server asks for them, are added in one place (`served`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.apiclient import call, daemon_address
from tests.e2e import real_clients
from tests.e2e.conftest import Result


def kubectl(home: Path, *args: str) -> Result:
    """Real kubectl 1.37 against the daemon of `home`, through its kubeconfig."""
    return real_clients.kubectl(home, *args)


def python_client(home: Path) -> Any:
    return real_clients.python_client(home)


@dataclass(frozen=True)
class Answer:
    code: int
    headers: dict[str, str]  # names in lower case
    body: Any


def http(home: Path, verb: str, path: str, body: Any = None, content_type: str = "") -> Answer:
    """One request with the daemon's token; the JSON answer whatever its status code."""
    url, token = daemon_address(home)
    data = b"" if body is None else json.dumps(body).encode()
    headers = {"Content-Type": content_type} if content_type and data else None
    answer = call(url, verb, path, data, token=token, headers=headers, timeout=30)
    return Answer(answer.code, answer.headers, answer.json())
