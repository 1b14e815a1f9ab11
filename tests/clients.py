"""Raw HTTP to an API server under test, with the bearer token: one helper for every test
that talks to a daemon or an `ApiServer`, so that each sends exactly the headers it means."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TEST_TOKEN = "test-token-for-the-api-server"


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
