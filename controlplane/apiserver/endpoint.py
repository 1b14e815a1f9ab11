"""Where a running daemon serves its API: `$MKCTL_HOME/apiserver.json`.

The daemon publishes its URL and the store it serves once it listens, and withdraws them as
it stops. A CLI reads this file (standard library only) to decide whether to ask the daemon
or to open the store itself; a file left by a killed daemon is harmless, since nothing then
answers at that address and the CLI falls back to the store. Nor is a file whose port another
program has taken since: the CLI proves the server knows the daemon's token before it sends
anything (`controlplane.apiserver.auth`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from controlplane.home import write_private

ENDPOINT_FILE = "apiserver.json"


class Endpoint(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    store: str  # the SQLAlchemy URL of the store behind it


def publish(where: Path, endpoint: Endpoint) -> None:
    """Write atomically (a reader never sees half a file), readable by its owner only."""
    write_private(
        where / ENDPOINT_FILE, json.dumps({"url": endpoint.url, "store": endpoint.store}) + "\n"
    )


def withdraw(where: Path) -> None:
    (where / ENDPOINT_FILE).unlink(missing_ok=True)


def read(where: Path) -> Endpoint | None:
    try:
        fields = json.loads((where / ENDPOINT_FILE).read_text())
        return Endpoint(str(fields["url"]), str(fields["store"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
