"""The controller protocol the manager drives.

A controller is level-triggered: `reconcile(key)` reads the current state through the API,
and returns the writes that would bring it closer to the desired state. Reconciling a
settled object returns no actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from controlplane.models.meta import Change, Key
from controlplane.runtime.actions import Action


class Controller(Protocol):
    name: str

    def keys_for(self, change: Change) -> Iterable[Key]:
        """The keys this controller must reconcile because of one change-log entry."""
        ...

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        """Plan the writes for a batch of keys; the executor applies them in one transaction."""
        ...
