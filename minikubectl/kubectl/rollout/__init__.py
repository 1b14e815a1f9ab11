"""`kubectl rollout` per kind: history, status, undo, pause, resume, restart.

kubectl implements these client-side (staging/src/k8s.io/kubectl/pkg/polymorphichelpers), and
so does mkctl: one module per kind (`deployment`, `statefulset`, `daemonset`), each offering
its helpers as one typed `Rollout`; `rollout_for` finds a kind's, as kubectl's
HistoryViewerFn, RollbackerFn and StatusViewerFn switch on the kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlplane.models.constants import Kind, Obj

if TYPE_CHECKING:
    from controlplane.api.clusterapi import ClusterApi

# Verbs that change the object and print nothing of their own (pause, resume, restart).
Action = Callable[["ClusterApi", Obj], None]


class RolloutError(Exception):
    """A rollout command failed; the message is kubectl's, without the `error: ` prefix."""


@dataclass(frozen=True)
class Rollout:
    """One kind's rollout helpers. `pause` and `resume` are None where kubectl refuses them
    (StatefulSets and DaemonSets: objectpauser.go knows only Deployments)."""

    history: Callable[[ClusterApi, Obj], list[tuple[int, str]]]
    revision_template: Callable[[ClusterApi, Obj, int], Obj]
    undo: Callable[[ClusterApi, Obj, int], str]
    status: Callable[[Obj, int], tuple[str, bool]]
    restart: Action
    pause: Action | None = None
    resume: Action | None = None


def rollout_for(kind: str) -> Rollout | None:
    """The rollout helpers of `kind`, or None when kubectl has none for it."""
    from minikubectl.kubectl.rollout import daemonset, deployment, statefulset

    rollouts: dict[str, Rollout] = {
        Kind.DEPLOYMENT: deployment.ROLLOUT,
        Kind.STATEFUL_SET: statefulset.ROLLOUT,
        Kind.DAEMON_SET: daemonset.ROLLOUT,
    }
    return rollouts.get(kind)
