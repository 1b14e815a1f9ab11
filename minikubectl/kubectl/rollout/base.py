"""What every kind's rollout helpers are: one typed `Rollout`, and the error they raise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from controlplane.models.constants import Obj

if TYPE_CHECKING:
    from controlplane.api.clusterapi import ClusterApi

# The writer kubectl names for pause, resume and restart (staging/src/k8s.io/kubectl/pkg/cmd/
# rollout/rollout_pause.go and rollout_restart.go, `fieldManager` "kubectl-rollout"); undo
# names none (polymorphichelpers/rollback.go).
FIELD_MANAGER = "kubectl-rollout"

# Verbs that change the object and print nothing of their own (pause, resume, restart).
Action = Callable[["ClusterApi", Obj], None]


class Undo(Protocol):
    """rollback.go's Rollback: what it did, in kubectl's words (`rolled back`, `skipped
    rollback (...)`); with dry_run, asks the server to check it without writing."""

    def __call__(
        self, api: ClusterApi, obj: Obj, to_revision: int = 0, /, *, dry_run: bool = False
    ) -> str: ...


class RolloutError(Exception):
    """A rollout command failed; the message is kubectl's, without the `error: ` prefix."""


@dataclass(frozen=True)
class Rollout:
    """One kind's rollout helpers. `pause` and `resume` are None where kubectl refuses them
    (StatefulSets and DaemonSets: objectpauser.go knows only Deployments)."""

    history: Callable[[ClusterApi, Obj], list[tuple[int, str]]]
    revision_template: Callable[[ClusterApi, Obj, int], Obj]
    # the template `undo` would go back to, as --dry-run=client prints it
    rollback_template: Callable[[ClusterApi, Obj, int], Obj]
    undo: Undo
    status: Callable[[Obj, int], tuple[str, bool]]
    restart: Action
    pause: Action | None = None
    resume: Action | None = None
