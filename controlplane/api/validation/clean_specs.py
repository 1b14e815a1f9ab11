"""Specs found clean before, by their JSON text: the pods of one ReplicaSet carry its
template's spec, which the decoder's checks and the pod validation walked for each of
10,000 pods to find the same nothing.

A check whose result for a spec depends on the spec alone may skip a spec whose text it has
found clean: the text, not `==`, tells values apart (`1 == 1.0 == True` in Python, not for
the decoder). Only clean specs are remembered; any other is checked again, so that its
errors are reported as before. Bounded: the set starts afresh when full.
"""

from __future__ import annotations

import json
from typing import Any

MOST_REMEMBERED = 256


def spec_text(spec: Any) -> str:
    return json.dumps(spec, separators=(",", ":"))


class CleanSpecs:
    def __init__(self) -> None:
        self._texts: set[tuple[str, str]] = set()

    def __contains__(self, kind_and_text: tuple[str, str]) -> bool:
        return kind_and_text in self._texts

    def add(self, kind_and_text: tuple[str, str]) -> None:
        if len(self._texts) >= MOST_REMEMBERED:
            self._texts.clear()
        self._texts.add(kind_and_text)
