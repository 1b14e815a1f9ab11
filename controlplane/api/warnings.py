"""Warnings a verb has for the client, beside its answer.

As the API server's `warning.AddWarning(ctx, "", text)`
(staging/src/k8s.io/apiserver/pkg/warning/context.go), a verb records a warning wherever it
finds one, and whoever serves the request sends what was recorded (the HTTP server as
`Warning: 299 - "..."` headers, mkctl's CLI in process on stderr). Outside `recorded()` a
warning goes nowhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_said: ContextVar[list[str] | None] = ContextVar("warnings", default=None)


def warn(text: str) -> None:
    """Record `text` for the request being served; repeats are sent once, as upstream."""
    said = _said.get()
    if said is not None and text not in said:
        said.append(text)


@contextmanager
def recorded() -> Iterator[list[str]]:
    """The warnings recorded inside, in order."""
    said: list[str] = []
    token = _said.set(said)
    try:
        yield said
    finally:
        _said.reset(token)
