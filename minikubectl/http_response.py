"""HTTP/1.1 responses read off a socket's stream, as the daemon's `http.server` sends them.

`http_connection.Connection` speaks HTTP by hand (`http.client` costs the CLI ~40 ms of
imports); these read what comes back: a head, a Content-Length body, or a watch's chunked
stream of events.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from controlplane.models.constants import Obj


def read_head(stream: BinaryIO) -> tuple[int, dict[str, str]]:
    """The status code and headers (names in lower case) of one HTTP/1.1 response;
    ValueError if it is not one."""
    status_line = stream.readline(65537).decode("latin-1")
    version, _, rest = status_line.partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP response: {status_line!r}")
    headers: dict[str, str] = {}
    while (line := stream.readline(65537)) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip()
        # a repeated header (`Warning`) is one list, as RFC 9110 section 5.3 joins it
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return int(rest.split(" ", 1)[0]), headers


def read_body(stream: BinaryIO, headers: dict[str, str]) -> bytes:
    """A body sent with Content-Length (the daemon's answers to every request but a watch)."""
    if "content-length" not in headers:
        raise ValueError("a response without Content-Length")
    length = int(headers["content-length"])
    body = stream.read(length)
    if len(body) != length:
        raise ValueError("the connection closed mid-response")
    return body


def read_response(stream: BinaryIO) -> tuple[int, bytes]:
    """The status code and body of one HTTP/1.1 response; ValueError if it is not one."""
    status, headers = read_head(stream)
    return status, read_body(stream, headers)


def read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The chunks of a `Transfer-Encoding: chunked` body, each as soon as it arrives."""
    while True:
        size = int(stream.readline(65537).split(b";")[0].strip() or b"x", 16)
        if size == 0:
            stream.readline(65537)  # the blank line after the last chunk
            return
        chunk = stream.read(size)
        if len(chunk) != size or stream.readline(65537) not in (b"\r\n", b"\n"):
            raise ValueError("the connection closed mid-chunk")
        yield chunk


def read_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, Obj]]:
    """Watch events, one JSON document per line, wherever the chunks split them."""
    pending = b""
    for chunk in chunks:
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            if line.strip():
                event = json.loads(line)
                yield event["type"], event["object"]
