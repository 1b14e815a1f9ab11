"""Deterministic crash points, switched on by the environment (after etcd's gofail).

`MKCTL_FAILPOINT=<name>[:<n>]` makes the process kill itself with SIGKILL the n-th time (1 by
default) it passes the point `name`, exactly as if a user or the OS had killed it there: no
`finally`, no atexit, no commit of an open transaction. The crash tests use it to stop the
manager right before or after a controller's write commits, or a CLI halfway through a
multi-document apply, and then check that the next process converges.

Points (`hit` callers): `<controller>.before-commit` and `<controller>.after-commit` around
each pass the manager executes (`deployment`, `replicaset`, `scheduler`, `kubelet` ...), and
`apply.after-document` after each document a CLI apply has written (not yet committed).
Unset, a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "MKCTL_FAILPOINT"


def _parse(spec: str) -> tuple[str, int]:
    name, _, count = spec.partition(":")
    return name, int(count) if count else 1


_armed: tuple[str, int] | None = _parse(os.environ[ENV]) if os.environ.get(ENV) else None
_hits: dict[str, int] = {}


def hit(name: str) -> None:
    """Pass the point `name`; die here if the environment says this is the hit to die on."""
    if _armed is None or _armed[0] != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] == _armed[1]:
        os.kill(os.getpid(), signal.SIGKILL)
