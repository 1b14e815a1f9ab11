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
    """`MKCTL_STORE` (any SQLAlchemy URL), else the SQLite file in `MKCTL_HOME`.

    An in-memory SQLite URL is refused: each mkctl command, and the daemon, would get a
    cluster of its own that is lost when it exits (tests open one in-process instead).
    """
    url = os.environ.get("MKCTL_STORE")
    if url:
        if url.startswith("sqlite") and url.partition("?")[0].endswith((":memory:", "://")):
            raise _unusable(
                f"MKCTL_STORE={url} is a database in memory, lost when each mkctl command "
                "exits: set MKCTL_STORE to a file (sqlite:////path/to/cluster.db), or unset it"
            )
        return url
    path = home()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _unusable(
            f"MKCTL_HOME {path} is not a directory: point MKCTL_HOME at a directory mkctl may "
            "create and write"
        ) from None
    except OSError as exc:
        raise _unusable(
            f"MKCTL_HOME {path} cannot be created ({exc.strerror}): point MKCTL_HOME at a "
            "directory mkctl may create and write"
        ) from None
    return f"sqlite:///{path / 'cluster.db'}"


def _unusable(message: str) -> Exception:
    from controlplane.store.errors import StoreError  # only now: it imports the store

    return StoreError(message)
