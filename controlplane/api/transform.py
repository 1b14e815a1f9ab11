"""What the informer keeps of each object it caches: less than the store holds, shared.

client-go lets an informer transform each object before it is stored
(k8s.io/client-go/tools/cache: `SharedInformer.SetTransform`, `informers.WithTransform`), and
Kubernetes' own components use it to keep their caches small: kube-controller-manager's
shared informers and kube-scheduler's pod informer drop `metadata.managedFields`
(cmd/kube-controller-manager/app/controllermanager.go `CreateControllerContext`,
pkg/scheduler/scheduler.go `newPodInformer`: "Dropping `.metadata.managedFields` to improve
memory usage"). Controllers never read it, and every write they make goes through the API,
which keeps the stored object's managedFields when the request carries none (update,
status, binding and patch all start from the object in the store, `api/verbs.py`). That is
40% of a pod's JSON.

The rest is shared: pods of one ReplicaSet carry equal labels, ownerReferences, containers
and tolerations, and many carry equal conditions and host IPs. Go's structs share nothing of
the kind, but a Python dict costs two to four times its JSON, and the informer never changes
an object it holds, nor lets controllers change one (its mutation detector): a part equal to
one kept before can be that same object. `SharedParts` keeps each string once, and each
part below an object's top-level fields once while an equal part is among the last few seen
at the same place. The object and its top-level fields (metadata, spec, status) are its
own, rebuilt with shared keys: they almost never equal another object's, and comparing them
would cost more than it saves.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj

# How many distinct parts each place remembers (a rollout's two templates, a node's pods
# interleaved with others'), and how many places and strings in all before starting afresh:
# the tables never hold more than a few MiB, whatever the store.
RECENT_PER_PLACE = 8
MOST_PLACES = 4096
MOST_STRINGS = 1 << 16
# Kinds whose schema leaves values untyped (a CRD's schema holds `default: 1` as well as
# `default: 1.0`): Python's equality does not tell those apart (1 == 1.0 == True), so
# their parts are not shared. Custom resources are left whole for the same reason.
UNTYPED_KINDS = frozenset({"CustomResourceDefinition"})

Place = tuple[Any, ...]
# What JSON decodes to, besides str, dict and list: an object written by this process is
# kept as it was written only when made of these alone (see `NotJson`).
_SCALARS = frozenset({int, float, bool, type(None)})


class NotJson(ValueError):
    """An object holds something JSON would not give back as it is (a tuple, an enum, a
    key that is not a string): the informer reads it back from the store instead."""


def without_managed_fields(obj: Obj) -> Obj:
    """`obj` without metadata.managedFields; `obj` itself is left as it was."""
    meta = obj.get("metadata")
    if not meta or "managedFields" not in meta:
        return obj
    return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}


class SharedParts:
    """Turns each decoded object into the one the informer keeps (see the module's doc)."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._recent: dict[Place, list[Any]] = {}

    def kept(self, obj: Obj, typed: bool = True) -> Obj:
        """`obj` as the informer keeps it: without managedFields and, for a kind whose
        fields are `typed` (built in), sharing equal parts with the objects kept before.
        The result must never be changed."""
        obj = without_managed_fields(obj)
        if not typed or obj.get("kind") in UNTYPED_KINDS:
            return obj
        if len(self._strings) >= MOST_STRINGS:
            self._strings.clear()
        if len(self._recent) >= MOST_PLACES:
            self._recent.clear()
        intern = self._strings.setdefault
        kept: Obj = {}
        for key, value in obj.items():
            if type(key) is not str:
                raise NotJson(key)
            key = intern(key, key)
            kind = type(value)
            if kind is dict:
                value = self._fields(value, (key,))
            elif kind is str:
                value = intern(value, value)
            elif kind is list:
                value = self._part(value, (key,))
            elif kind not in _SCALARS:
                raise NotJson(key)
            kept[key] = value
        return kept

    def _fields(self, fields: dict[str, Any], place: Place) -> dict[str, Any]:
        """A copy of `fields` whose keys, strings and parts are shared."""
        intern = self._strings.setdefault
        part = self._part
        new = {}
        for key, value in fields.items():
            if type(key) is not str:
                raise NotJson(key)
            key = intern(key, key)
            kind = type(value)
            if kind is str:
                value = intern(value, value)
            elif kind is dict or kind is list:
                value = part(value, (*place, key))
            elif kind not in _SCALARS:
                raise NotJson(key)
            new[key] = value
        return new

    def _part(self, value: dict[str, Any] | list[Any], place: Place) -> Any:
        """`value`, or an equal part among the last seen at `place`; a new part is kept
        with its own parts shared."""
        recent = self._recent.get(place)
        if recent is None:
            recent = self._recent[place] = []
        else:
            for candidate in recent:
                if candidate == value:
                    return candidate
        new: dict[str, Any] | list[Any]
        if type(value) is dict:
            new = self._fields(value, place)
        else:
            intern = self._strings.setdefault
            item = (*place, 0)
            new = []
            each: Any
            for each in value:
                kind = type(each)
                if kind is str:
                    each = intern(each, each)
                elif kind is dict or kind is list:
                    each = self._part(each, item)
                elif kind not in _SCALARS:
                    raise NotJson(each)
                new.append(each)
        if len(recent) >= RECENT_PER_PLACE:
            recent.pop()
        recent.insert(0, new)
        return new
