"""What survives a full collection is frozen after the pass it ran in, and thawed once the
frozen objects double, so a cycle that formed among frozen objects is still collected
(runtime/heap.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from controlplane.runtime.heap import SurvivorFreezer


class Node:
    """An object that can take part in a reference cycle and be watched by a weakref."""

    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def freezer() -> Iterator[SurvivorFreezer]:
    gc.unfreeze()
    try:
        yield SurvivorFreezer()
    finally:
        gc.unfreeze()


def full_collection(freezer: SurvivorFreezer) -> None:
    gc.collect()
    freezer.after_pass()


def test_survivors_of_a_full_collection_are_frozen_not_those_of_a_young_one(
    freezer: SurvivorFreezer,
) -> None:
    gc.collect(1)
    freezer.after_pass()
    assert gc.get_freeze_count() == 0
    kept = [Node() for _ in range(1000)]
    full_collection(freezer)
    assert gc.get_freeze_count() >= len(kept)
    assert not any(o is kept[0] for o in gc.get_objects(generation=2))  # out of its sight


def test_a_cycle_among_frozen_objects_is_collected_once_they_have_doubled(
    freezer: SurvivorFreezer,
) -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    full_collection(freezer)
    first = gc.get_freeze_count()
    watched = weakref.ref(a)
    del a, b  # now a cycle of frozen objects: no collection looks at it
    gc.collect()
    assert watched() is not None
    grown = [Node() for _ in range(2 * first)]  # the frozen objects more than double
    full_collection(freezer)
    assert gc.get_freeze_count() == 0  # thawed: the next full collection walks them all
    full_collection(freezer)
    assert watched() is None
    assert gc.get_freeze_count() >= len(grown)  # frozen again, not thawed until it doubles
