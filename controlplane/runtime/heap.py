"""The cyclic garbage collector in a process that runs the controllers: survivors are frozen.

A process that reconciles holds the informer's copy of every object of the cluster (100,000
pods are some three million dicts and lists), and CPython's full collection walks all of it
each time the objects promoted to the oldest generation since the last one reach a quarter
of those that survived it. Creating 100,000 pods promotes each pod's versions, its events
and each pass's batch, so the growing heap was walked again and again: full collections took
1.9 s of a 10,000-replica apply's 32 s of CPU and 13.3 s of a 30,000-replica apply's 109 s:
seven times as much for three times the pods.

So, after each full collection, what survived it is frozen (`gc.freeze`: kept where no
collection looks, as the informer already does with what it lists) and the next full
collection walks only what is newer. Frozen objects are still freed by reference counting
when dropped, as every JSON tree the informer replaces is; only one that ends up in a
reference cycle after being frozen waits. To bound that, the frozen objects are thawed each
time they have doubled since the last thaw, and the next full collection walks them all
once: each object is walked a bounded number of times, as a growing array copies each item.

mkctl's and the daemon's processes install it as they start (`minikubectl.app.main`,
`controlplane.daemon.run`). A program that builds a cluster in its own process (the pytest
fixtures of `minikubectl.testing`) is left as it is: frozen objects are invisible to
`gc.get_referrers`, which such a program's tools may use.
"""

from __future__ import annotations

import gc
from typing import Any


class SurvivorFreezer:
    """The `gc.callbacks` entry: freeze after each full collection, thaw when doubled."""

    def __init__(self) -> None:
        self._frozen_at_thaw = 0  # how many objects were frozen when they last were thawed

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        gc.freeze()
        frozen = gc.get_freeze_count()
        if frozen > 2 * self._frozen_at_thaw:
            if self._frozen_at_thaw:
                gc.unfreeze()  # into the oldest generation: the next full collection walks all
            self._frozen_at_thaw = frozen


def freeze_survivors_of_full_collections() -> None:
    """Install the freezer in this process, once."""
    if not any(isinstance(callback, SurvivorFreezer) for callback in gc.callbacks):
        gc.callbacks.append(SurvivorFreezer())
