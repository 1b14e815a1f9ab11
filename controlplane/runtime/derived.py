"""What a controller derives from each object it lists, computed once per version of it.

A controller's sync walks every object it lists, as upstream's do: the ReplicaSet's sync
claims and counts each of its pods (pkg/controller/replicaset/replica_set.go
syncReplicaSet, replica_set_utils.go calculateStatus), the scheduler adds up what each bound
pod requests of its node. Over the informer, one pod changes between two syncs of 10,000:
the answers for the other 9,999 are the same as last time. The informer hands out the same
object until the object changes, and never changes one it handed out (`api/informer.py`),
so an answer stays right for as long as the object it was derived from is the one listed.
`PerObject` keeps each answer beside the object it came from, and derives again only for
objects it has not seen: a walk of 10,000 pods is then a dictionary look-up per pod.
`Totals` keeps sums over the objects the same way.

Both can also follow the informer's changes instead (`Informer.follow`: all the objects
once, then each change as the old object and the new), as client-go's event handlers feed
upstream's caches: a sync then costs the changes since the last, not a walk of the list.
What they hold can be saved with the informer's objects and taken back by the next process
(`saved`, `resumed`; api/informer_followers.py), instead of derived from every object again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

from controlplane.models.constants import Obj

C = TypeVar("C")
K = TypeVar("K")
T = TypeVar("T")


class PerObject(Generic[C, T]):
    """`derive(obj, context)` for each object, remembered while the object is the one listed.

    `context` is what the answers also depend on (the owner's selector, say): a walk in a
    context that is not equal to the last one derives everything again. Only the objects of
    the last walk are kept, so an object replaced or deleted is forgotten at the next walk.
    """

    def __init__(self, derive: Callable[[Obj, C], T]) -> None:
        self._derive = derive
        self._context: C | None = None
        # id(obj) -> (obj, answer): holding the object keeps its id from being reused
        self._known: dict[int, tuple[Obj, T]] = {}
        self.derived = 0  # how many answers the last walk had to compute
        self.tally: Counter[T] = Counter()  # how many of the objects have each answer

    @property
    def context(self) -> C | None:
        return self._context

    def of(self, objects: Sequence[Obj], context: C) -> list[T]:
        """The answer for each of `objects`, in order."""
        known = self._known if context == self._context else {}
        derive = self._derive
        kept: dict[int, tuple[Obj, T]] = {}
        answers: list[T] = []
        computed = 0
        for obj in objects:
            entry = known.get(id(obj))
            if entry is None or entry[0] is not obj:
                entry = (obj, derive(obj, context))
                computed += 1
            kept[id(obj)] = entry
            answers.append(entry[1])
        self._known, self._context, self.derived = kept, context, computed
        self.tally = Counter(answers)
        return answers

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        """`old` (if known) replaced by `new` (if any) among the objects, in the last context."""
        if old is not None:
            entry = self._known.pop(id(old), None)
            if entry is not None and entry[0] is old:
                self.tally[entry[1]] -= 1
        if new is not None:
            answer = self._derive(new, self._context)  # type: ignore[arg-type]
            self._known[id(new)] = (new, answer)
            self.tally[answer] += 1

    def saved(self, position: Mapping[int, int]) -> tuple[list[int], list[T], list[int]] | None:
        """What it holds, to take back with `resumed`: the place of each object in
        `position` (by id), the distinct answers, and each object's answer by its index
        among them; None if an object is not in `position`."""
        answers = list(self.tally)
        index = {answer: i for i, answer in enumerate(answers)}
        places: list[int] = []
        which: list[int] = []
        for obj, answer in self._known.values():
            place = position.get(id(obj))
            if place is None:
                return None
            places.append(place)
            which.append(index[answer])
        return places, answers, which

    def resumed(self, context: C, objects: Sequence[Obj], answers: Sequence[T]) -> None:
        """Hold `answers[i]` for `objects[i]`, derived in `context`, as after a walk."""
        known = {id(obj): (obj, answer) for obj, answer in zip(objects, answers, strict=True)}
        self._known, self._context, self.derived = known, context, 0
        self.tally = Counter(answers)

    def objects_where(self, test: Callable[[T], bool]) -> list[Obj]:
        """The objects whose answer passes `test`, in no particular order."""
        return [obj for obj, answer in self._known.values() if test(answer)]


class Totals(Generic[K]):
    """Sums over the objects listed of what each one adds (`share(obj)`: amounts by key),
    kept from walk to walk: an object seen before adds nothing again, one replaced gives
    its old share back and adds its new one, one gone gives its share back. The scheduler
    keeps what the pods on each node request this way, as kube-scheduler's cache keeps
    NodeInfo current from pod events (pkg/scheduler/backend/cache/cache.go AddPod,
    UpdatePod, RemovePod) instead of adding up every pod for each one it places."""

    def __init__(self, share: Callable[[Obj], Mapping[K, Any]], saved_as: str = "") -> None:
        self._share = share
        self._shares: dict[int, tuple[Obj, Mapping[K, Any]]] = {}  # id(obj) -> (obj, share)
        self._totals: dict[K, Any] = {}
        # Objects counted in sums taken back by `resumed`, their shares not yet computed.
        self._unkept: dict[int, Obj] = {}
        self.saved_as = saved_as  # the name its sums are saved under (`saved`), if any

    def over(self, objects: Iterable[Obj]) -> dict[K, Any]:
        """The sums over `objects`, by key (keys whose sum is zero left out); a copy."""
        for obj in self._unkept.values():
            self._shares[id(obj)] = (obj, self._share(obj))
        self._unkept = {}
        old, kept = self._shares, {}
        for obj in objects:
            entry = old.pop(id(obj), None)
            if entry is None or entry[0] is not obj:
                if entry is not None:
                    self._add(entry[1], -1)
                entry = (obj, self._share(obj))
                self._add(entry[1], 1)
            kept[id(obj)] = entry
        for _, share in old.values():
            self._add(share, -1)
        self._shares = kept
        return dict(self._totals)

    def relisted(self, objects: list[Obj]) -> None:
        """`over(objects)`: every object of the kind, as the informer lists it to a follower."""
        self.over(objects)

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        """`old` (if counted) replaced by `new` (if any): one object's share, not a walk."""
        if old is not None:
            entry = self._shares.pop(id(old), None)
            if entry is None and self._unkept.pop(id(old), None) is old:
                entry = (old, self._share(old))  # counted in the sums it resumed from
            if entry is not None and entry[0] is old:
                self._add(entry[1], -1)
        if new is not None:
            share = self._share(new)
            self._shares[id(new)] = (new, share)
            self._add(share, 1)

    def saved(self, position: Mapping[int, int]) -> list[tuple[K, Any]]:
        """The sums (keys of plain data), each amount an int or a Decimal's text: an
        object's share is its own to compute again, so none is saved."""
        return [(k, v if isinstance(v, int) else str(v)) for k, v in self._totals.items()]

    def resumed(self, state: list[tuple[K, Any]], objects: list[Obj]) -> None:
        """Take back the sums `saved` over `objects`, as if `over(objects)` had made them."""
        totals = {k: v if isinstance(v, int) else Decimal(v) for k, v in state}
        self._totals, self._shares = totals, {}
        self._unkept = {id(obj): obj for obj in objects}

    def totals(self) -> dict[K, Any]:
        """The sums as they are, by key; a copy."""
        return dict(self._totals)

    def _add(self, share: Mapping[K, Any], sign: int) -> None:
        totals = self._totals
        for key, amount in share.items():
            total = totals.get(key, 0) + sign * amount
            if total:
                totals[key] = total
            else:
                totals.pop(key, None)
