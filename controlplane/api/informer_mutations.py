"""The informer's cache mutation detector (client-go tools/cache/mutation_detector.go): with
MKCTL_CACHE_MUTATION_DETECTOR set, as KUBE_CACHE_MUTATION_DETECTOR sets upstream's, each
object the informer hands out is checked against the JSON it was cached as, and a controller
that changed one in place fails. The suite runs with it on.
"""

from __future__ import annotations

import json

from controlplane.models.constants import Obj

DETECTOR_VARIABLE = "MKCTL_CACHE_MUTATION_DETECTOR"


class CacheMutated(AssertionError):
    """An object the informer handed out was changed in place: a controller bug."""


class MutationDetector:
    """The JSON of each object as it was cached, checked against every object handed out
    since the last check."""

    def __init__(self) -> None:
        self._json: dict[int, tuple[Obj, str]] = {}  # id(obj) -> (obj, its cached JSON)
        self._handed: dict[int, Obj] = {}

    def cached(self, obj: Obj) -> None:
        """A new object in the informer: checked at the next `check` as well."""
        self._json[id(obj)] = (obj, json.dumps(obj, sort_keys=True))
        self._handed[id(obj)] = obj

    def handed(self, objects: list[Obj]) -> None:
        for obj in objects:
            self._handed[id(obj)] = obj

    def check(self) -> None:
        handed, self._handed = self._handed, {}
        for ident in handed:
            obj, cached = self._json[ident]
            if json.dumps(obj, sort_keys=True) != cached:
                meta = obj.get("metadata", {})
                raise CacheMutated(
                    f"{obj.get('kind')} {meta.get('namespace', '')}/{meta.get('name')} was "
                    "changed after the informer handed it out; copy it before editing"
                )
