"""`kubectl rollout` per kind: history, status, undo, pause, resume, restart.

kubectl implements these client-side (its polymorphichelpers); mkctl keeps them beside the
API so that the CLI stays a thin layer and the daemon's HTTP API can reuse them.
"""

from __future__ import annotations


class RolloutError(Exception):
    """A rollout command failed; the message is kubectl's, without the `error: ` prefix."""
