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

The freeze happens after the controllers' pass during which the collection ran, not in a
`gc.callbacks` entry: a collection can start at the bottom of a deep recursion (a body nested
to the limit, which the API then refuses in words), where no Python code can be called and
the callback's RecursionError would be printed on stderr. mkctl's and the daemon's processes
turn it on as they build their cluster (`controlplane.cluster` `process_cluster`,
`open_cluster`); a program that builds a cluster in its own process (the pytest fixtures of
`minikubectl.testing`) keeps Python's usual collector, since frozen objects are invisible to
`gc.get_referrers`.
"""

from __future__ import annotations

import gc


def full_collections() -> int:
    """How many times the oldest generation has been collected in this process."""
    return int(gc.get_stats()[2]["collections"])


class SurvivorFreezer:
    """After a full collection: freeze what is alive; thaw each time the frozen doubled."""

    def __init__(self) -> None:
        self._frozen_at_thaw = 0  # how many objects were frozen when they last were thawed
        self._seen = full_collections()

    def after_pass(self) -> None:
        """Freeze, if a full collection ran since the last pass."""
        if (done := full_collections()) == self._seen:
            return
        self._seen = done
        gc.freeze()
        frozen = gc.get_freeze_count()
        if frozen > 2 * self._frozen_at_thaw:
            if self._frozen_at_thaw:
                gc.unfreeze()  # into the oldest generation: the next full collection walks all
            self._frozen_at_thaw = frozen


_FREEZERS: list[SurvivorFreezer] = []  # this process's, once turned on


def freeze_survivors_of_full_collections() -> None:
    """Turn the freezer on in this process, once."""
    if not _FREEZERS:
        _FREEZERS.append(SurvivorFreezer())


def after_pass() -> None:
    """The controllers ran a pass: freeze what survived a full collection during it, if the
    freezer is on."""
    for freezer in _FREEZERS:
        freezer.after_pass()
