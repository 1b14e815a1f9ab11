"""The informer's followers, and the states a follower saves with the informer's objects.

A follower keeps sums or indexes over every object of a kind, as client-go's event handlers
do (tools/cache/shared_informer.go ResourceEventHandler OnAdd, OnUpdate, OnDelete): the
scheduler what the pods on each node request and how many pods of each owner each node
holds, the ReplicaSet controller the facts of each of its pods. In a long process it walks
the objects once, when the informer lists them, and then follows the changes. Each
embedded mkctl command is a new process, and its followers would walk every object again:
among 10,000 pods, as much as the rest of a one-pod command costs.

So a follower that can (`Resumable`) saves its state beside the informer's objects
(`api/informer_snapshot.py`), at their revision, naming each object by its place in its
kind's list. The next process's informer resumes from that snapshot and keeps the states
(`SavedStates`) until their followers register; a follower then starts from its state and
is told every change the informer has applied to the kind since it resumed, in order, as
a follower registered from the start would have been. Nothing is skipped: the state is what
the follower derived from those very objects, and the changes are all of them. A state the
follower cannot take (of another shape), and one whose changes to tell have grown past the
objects it covers (a walk then costs less), are dropped, and the follower walks the
objects as it always has; so are all of them when the informer lists the kind again. A
process whose follower walked saves anew (`Informer.worth_saving`), for the next not to. A
state no follower took (its controller had nothing to do in that process) goes into the
next snapshot only while its kind has not changed: its places are then still right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from controlplane.models.constants import Obj

# What a follower's `resumed` raises on a state it cannot take.
UNTAKEN = (TypeError, ValueError, ArithmeticError, IndexError, KeyError, AttributeError)


class Follower(Protocol):
    """Told about every object of a kind: all of them when the kind is (re)listed, then each
    change (`old` None: added; `new` None: deleted). It must not change the objects."""

    def relisted(self, objects: list[Obj]) -> None: ...

    def changed(self, old: Obj | None, new: Obj | None) -> None: ...


@runtime_checkable
class Resumable(Follower, Protocol):
    """A follower whose state the informer saves for the next process."""

    saved_as: str  # names the state in the snapshot, the same in every process; "": unsaved

    def saved(self, position: Mapping[int, int]) -> Any:
        """The state as plain data (`marshal`'s types: no tuples of a class of their own,
        no Decimals), naming each object by `position[id(obj)]`; None to save none."""
        ...

    def resumed(self, state: Any, objects: list[Obj]) -> None:
        """Start from a `saved` state, whose positions are places in `objects`; raise one of
        `UNTAKEN`, unchanged, on a state it cannot take."""
        ...


Change = tuple[Obj | None, Obj | None]


class SavedStates:
    """The follower states a snapshot held, by kind and name, each waiting for its follower
    to register, with the changes the informer has applied to its kind since."""

    def __init__(
        self, states: Mapping[str, Mapping[str, Any]], kinds: Mapping[str, list[Obj]]
    ) -> None:
        self._states = {
            kind: dict(named) for kind, named in states.items() if named and kind in kinds
        }
        self._objects = {kind: kinds[kind] for kind in self._states}
        self._changes: dict[str, list[Change]] = {kind: [] for kind in self._states}

    def applied(self, kind: str, old: Obj | None, new: Obj | None) -> None:
        """The informer has applied a change to a kind's objects."""
        changes = self._changes.get(kind)
        if changes is None:
            return
        changes.append((old, new))
        if len(changes) > len(self._objects[kind]):
            self.drop(kind)

    def resume(self, kind: str, follower: Follower) -> list[Obj] | None:
        """Start `follower` from its saved state and tell it the changes since: the objects
        its state named, or None if there is no state it can take (it must walk the kind)."""
        if not isinstance(follower, Resumable) or not follower.saved_as:
            return None
        state = self._states.get(kind, {}).pop(follower.saved_as, None)
        if state is None:
            return None
        objects = self._objects[kind]
        try:
            follower.resumed(state, objects)
        except UNTAKEN:
            return None
        for old, new in self._changes[kind]:
            follower.changed(old, new)
        if not self._states[kind]:
            self.drop(kind)
        return objects

    def unchanged(self) -> dict[str, dict[str, Any]]:
        """The states not taken, of kinds with no change since: still right for the next
        snapshot, whose objects of such a kind are in the same places."""
        return {
            kind: dict(named) for kind, named in self._states.items() if not self._changes[kind]
        }

    def drop(self, kind: str | None = None) -> None:
        """Forget the states of `kind`, or of every kind (the informer lists them again)."""
        for dropped in [kind] if kind is not None else list(self._states):
            self._states.pop(dropped, None)
            self._objects.pop(dropped, None)
            self._changes.pop(dropped, None)


def saved_states(
    kinds: Mapping[str, list[Obj]], followers: Mapping[str, list[Follower]]
) -> dict[str, dict[str, Any]]:
    """The states of the followers of each kind that save theirs, naming `kinds[kind]`'s
    objects by their places."""
    states: dict[str, dict[str, Any]] = {}
    for kind, objects in kinds.items():
        resumable = [f for f in followers.get(kind, ()) if isinstance(f, Resumable) and f.saved_as]
        if not resumable:
            continue
        position = {id(obj): place for place, obj in enumerate(objects)}
        for follower in resumable:
            state = follower.saved(position)
            if state is not None:
                states.setdefault(kind, {})[follower.saved_as] = state
    return states
