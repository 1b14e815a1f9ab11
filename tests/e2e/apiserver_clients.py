"""Clients of a running daemon's API server for end-to-end tests: the official Python
client, and plain HTTP for what no client sends. Both are set up here and only here, so
that credentials, when the server asks for them, are added in one place."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from controlplane.apiserver import endpoint


@dataclass(frozen=True)
class Served:
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # sent on every request


def served(home: Path) -> Served:
    """Where the daemon of `home` serves, and what every request must carry."""
    found = endpoint.read(home)
    assert found is not None, "the daemon publishes no API server"
    return Served(found.url)


def python_client(home: Path) -> Any:
    """An `ApiClient` of the official `kubernetes` package (skip the test if it is absent)."""
    kubernetes = pytest.importorskip("kubernetes")
    where = served(home)
    configuration = kubernetes.client.Configuration()
    configuration.host = where.url
    client = kubernetes.client.ApiClient(configuration)
    for name, value in where.headers.items():
        client.set_default_header(name, value)
    return client


@dataclass(frozen=True)
class Answer:
    code: int
    headers: dict[str, str]
    body: Any


def http(home: Path, verb: str, path: str, body: Any = None, content_type: str = "") -> Answer:
    """One request; the JSON answer whatever its status code."""
    where = served(home)
    data = None if body is None else json.dumps(body).encode()
    headers = dict(where.headers)
    if data is not None:
        headers["Content-Type"] = content_type or "application/json"
    request = urllib.request.Request(where.url + path, data, headers, method=verb)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers), json.load(response))
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), json.load(error))
