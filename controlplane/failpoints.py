"""Deterministic crash and fault points, switched on by the environment (after etcd's gofail).

`MKCTL_FAILPOINT=<pattern>[:<n>]` makes the process kill itself with SIGKILL the n-th time (1
by default) it passes a point whose name matches the shell-style `pattern`, exactly as if a
user or the OS had killed it there: no `finally`, no atexit, no commit of an open transaction.
`<pattern>[:<n>]=<fault>` instead raises, at the n-th hit and every later one (a full disk
stays full), the error SQLite would give for the fault: `full` ("database or disk is full"),
`locked` ("database is locked"), `readonly` ("attempt to write a readonly database");
`<pattern>[:<n>]=stop` stops the process (SIGSTOP) at the n-th hit, as a paused VM or a
long GC pause would, until someone sends it SIGCONT.
The crash tests use it to stop the manager right before or after a controller's write
commits (`*.after-commit:7`: after the seventh write step, whichever controller made it),
or a CLI halfway through a multi-document apply, and check that the next process converges.

Points (`hit` callers): `<controller>.before-write` between a pass's plan and its write
transaction, `<controller>.before-commit` and `<controller>.after-commit` around
each pass the manager executes (`deployment`, `replicaset`, `scheduler`, `kubelet` ...),
`apply.after-document` after each document a CLI apply has written (not yet committed), and
`store.commit` as any write transaction of the store (an API write, a lease) commits.
Unset, a point costs one comparison.
"""

from __future__ import annotations

import os
import signal
from fnmatch import fnmatchcase

ENV = "MKCTL_FAILPOINT"
FAULTS = {
    "full": "database or disk is full",
    "locked": "database is locked",
    "readonly": "attempt to write a readonly database",
}


STOP = "stop"


_armed: tuple[str, int, str] | None = None
_hits = 0


def arm(spec: str | None) -> None:
    """Arm `<pattern>[:<n>][=<fault>]` (what the environment variable holds); None disarms."""
    global _armed, _hits
    _hits = 0
    if not spec:
        _armed = None
        return
    point, _, fault = spec.partition("=")
    pattern, _, count = point.partition(":")
    _armed = (pattern, int(count) if count else 1, fault)


def hit(name: str) -> None:
    """Pass the point `name`; die (or fail) here if the environment says this is the hit."""
    global _hits
    if _armed is None or not fnmatchcase(name, _armed[0]):
        return
    _hits += 1
    _, count, fault = _armed
    if fault == STOP:
        if _hits == count:
            os.kill(os.getpid(), signal.SIGSTOP)
        return
    if fault and _hits >= count:
        import sqlite3  # only here: a CLI talking to a daemon passes points but has no store

        raise sqlite3.OperationalError(FAULTS[fault])
    if _hits == count:
        os.kill(os.getpid(), signal.SIGKILL)


arm(os.environ.get(ENV))
