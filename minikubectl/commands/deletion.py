"""`delete --wait`: return only when every deleted object is gone.

A pod being deleted stays, terminating, for its grace period; an owner deleted with
`--cascade=foreground` stays until its dependents are gone. kubectl's `DeleteResult` waits
for each in turn with `cmdwait.IsDeleted` (staging/src/k8s.io/kubectl/pkg/cmd/wait/delete.go)
against one deadline: gone means not found, or found with another uid (deleted and made
again). The first object still there at the deadline fails the command with `timed out
waiting for the condition on <resource>/<name>`. kubectl watches; mkctl polls, settling the
cluster first in embedded mode.
"""

from __future__ import annotations

import time

from minikubectl.client import Client
from minikubectl.commands.builder import Target
from minikubectl.errors import CliError
from minikubectl.waits import Wait

POLL_SECONDS = 0.2
GONE = Wait("delete")


def wait_until_deleted(client: Client, deleted: list[tuple[Target, str]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for (info, namespace, name), uid in deleted:
        while not GONE.met(client.fetch(info, namespace, name), uid or None):
            if time.monotonic() >= deadline:
                raise CliError(f"timed out waiting for the condition on {info.plural}/{name}")
            time.sleep(POLL_SECONDS)
            client.settle()
