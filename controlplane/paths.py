"""Where a cluster lives on disk: `MKCTL_HOME` (default `~/.mkctl`) and the store URL.

Kept apart from `controlplane.cluster` so that the CLI can find its config file without
importing the store.
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("MKCTL_HOME") or Path.home() / ".mkctl")


def store_url() -> str:
    """`MKCTL_STORE` (any SQLAlchemy URL), else the SQLite file in `MKCTL_HOME`."""
    url = os.environ.get("MKCTL_STORE")
    if url:
        return url
    path = home()
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / 'cluster.db'}"
