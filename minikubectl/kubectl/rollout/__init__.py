"""`kubectl rollout` per kind: history, status, undo, pause, resume, restart.

kubectl implements these client-side (staging/src/k8s.io/kubectl/pkg/polymorphichelpers), and
so does mkctl: one module per kind (`deployment`, `statefulset`, `daemonset`), each offering
its helpers as one typed `Rollout`; `rollout_for` finds a kind's, as kubectl's
HistoryViewerFn, RollbackerFn and StatusViewerFn switch on the kind.
"""

from __future__ import annotations

from controlplane.models.constants import Kind
from minikubectl.kubectl.rollout.base import Rollout, RolloutError

__all__ = ["Rollout", "RolloutError", "rollout_for"]


def rollout_for(kind: str) -> Rollout | None:
    """The rollout helpers of `kind`, or None when kubectl has none for it."""
    from minikubectl.kubectl.rollout import daemonset, deployment, statefulset

    rollouts: dict[str, Rollout] = {
        Kind.DEPLOYMENT: deployment.ROLLOUT,
        Kind.STATEFUL_SET: statefulset.ROLLOUT,
        Kind.DAEMON_SET: daemonset.ROLLOUT,
    }
    return rollouts.get(kind)
