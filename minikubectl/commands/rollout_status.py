"""`rollout status`: one line per watch event, as kubectl prints them.

staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go `Run` lists and watches the
one object (`watchtools.UntilWithSync` on a `metadata.name` field selector) and, for every
ADDED or MODIFIED event, prints the status viewer's message
(staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): the same line again
when a status write changed nothing the message shows, as a learner sees
`Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`
repeat. It stops when the rollout is done, after the first event with `--watch=false`, with
`object has been deleted` on a DELETED event, and with `timed out waiting for the condition`
when `--timeout` passes. A watch the server ends is resumed from the last resourceVersion.
"""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from minikubectl.kubectl.rollout.base import Rollout

TIMED_OUT = "timed out waiting for the condition"


def watch_rollout_status(
    client: Client,
    info: KindInfo,
    obj: Obj,
    helpers: Rollout,
    *,
    revision: int,
    watch: bool,
    timeout_seconds: float,
) -> None:
    """Print the status message of each event on `obj` until the rollout is done."""
    from minikubectl.kubectl.rollout import RolloutError

    name = obj["metadata"]["name"]
    namespace = obj["metadata"].get("namespace") or None
    deadline = time.monotonic() + timeout_seconds if timeout_seconds > 0 else None
    resource_version = ""
    while True:
        remaining = None
        if deadline is not None:
            if time.monotonic() >= deadline:
                raise CliError(TIMED_OUT)
            remaining = max(1, math.ceil(deadline - time.monotonic()))
        events = client.watch(
            info,
            namespace,
            None,
            initial=not resource_version,
            resource_version=resource_version,
            timeout_seconds=remaining,
        )
        for kind, event_obj in events:
            meta = event_obj.get("metadata") or {}
            if kind == "ERROR":  # expired: list again, as a reflector does
                resource_version = ""
                break
            resource_version = meta.get("resourceVersion", resource_version)
            if kind == "BOOKMARK" or meta.get("name") != name:
                continue
            if kind == "DELETED":
                raise CliError("object has been deleted")
            try:
                message, done = helpers.status(event_obj, revision)
            except RolloutError as exc:
                raise CliError(str(exc)) from exc
            out(message)
            sys.stdout.flush()
            if done or not watch:
                return
