"""Worker processes for the concurrency suite: `python -m tests.robustness.workers ROLE ...`.

Each opens the cluster in `MKCTL_HOME` through the API (as a second mkctl process would),
does its part until its deadline, and prints one JSON line with what it was told succeeded.
Anything unexpected, "database is locked" included, escapes as a traceback on stderr, which
the suite refuses.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.cluster import open_cluster

COUNTER = "mkctl.test/counter"


def increment(api: Api, name: str, deadline: float) -> dict[str, Any]:
    """Read, add one to the counter annotation, update with the read resourceVersion."""
    acked: list[list[int]] = []  # [resourceVersion, counter value] of each acknowledged write
    conflicts = 0
    while time.monotonic() < deadline:
        obj = api.get("Deployment", "default", name)
        annotations = obj["metadata"].setdefault("annotations", {})
        value = int(annotations.get(COUNTER, "0")) + 1
        annotations[COUNTER] = str(value)
        try:
            stored = api.update(obj)
        except ApiError as exc:
            if exc.reason != "Conflict":
                raise
            conflicts += 1
            continue
        acked.append([int(stored["metadata"]["resourceVersion"]), value])
    return {"acked": acked, "conflicts": conflicts}


def pod(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"race": "yes"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


def create(api: Api, names: list[str]) -> dict[str, Any]:
    """Create every name, in a random order; say which ones this process won."""
    won: dict[str, str] = {}
    lost: list[str] = []
    for name in random.sample(names, len(names)):
        try:
            won[name] = api.create(pod(name))["metadata"]["uid"]
        except ApiError as exc:
            if exc.reason != "AlreadyExists":
                raise
            lost.append(name)
    return {"won": won, "lost": lost}


def delete(api: Api, names: list[str]) -> dict[str, Any]:
    """Delete every name with uid and resourceVersion preconditions, re-reading on Conflict."""
    deleted: dict[str, str] = {}
    conflicts = 0
    for name in random.sample(names, len(names)):
        while True:
            try:
                meta = api.get("Pod", "default", name)["metadata"]
                api.delete(
                    "Pod",
                    "default",
                    name,
                    uid=meta["uid"],
                    resource_version=meta["resourceVersion"],
                    grace_period_seconds=0,
                )
            except ApiError as exc:
                if exc.reason == "Conflict":
                    conflicts += 1
                    continue
                if exc.reason != "NotFound":
                    raise
                break
            deleted[name] = meta["uid"]
            break
    return {"deleted": deleted, "conflicts": conflicts}


def race(api: Api, barrier: str, names: list[str]) -> dict[str, Any]:
    """Create every name, wait until every racer has, then delete every name."""
    created = create(api, names)
    mine = Path(barrier) / str(os.getpid())
    mine.touch()
    racers = int(Path(barrier, "racers").read_text())
    while len(list(Path(barrier).glob("[0-9]*"))) < racers:
        time.sleep(0.01)
    return {**created, **delete(api, names)}


def watch(api: Api, stop: Path) -> dict[str, Any]:
    """Follow the change log from the start, as `get -w` does, until the `stop` file appears
    (every writer has been answered by then); report the revisions seen."""
    seen: list[int] = []
    cursor = 0
    while not stop.exists():
        changes = api.changes_after(cursor, 500)
        seen += [c.revision for c in changes]
        cursor = changes[-1].revision if changes else cursor
        if not changes:
            time.sleep(0.01)
    seen += [c.revision for c in api.changes_after(cursor)]
    return {"seen": seen}


def main(argv: list[str]) -> None:
    role, *args = argv
    api = open_cluster().api
    if role == "increment":
        result = increment(api, args[0], time.monotonic() + float(args[1]))
    elif role == "watch":
        result = watch(api, Path(args[0]))
    else:
        result = race(api, args[0], args[1:])
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
