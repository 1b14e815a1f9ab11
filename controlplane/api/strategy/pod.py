"""Pods: status on create and graceful deletion (pkg/registry/core/pod/strategy.go)."""

from __future__ import annotations

from controlplane.api.strategy.generic import Strategy
from controlplane.models.constants import Obj, PodPhase

DEFAULT_GRACE_PERIOD_SECONDS = 30


class PodStrategy(Strategy):
    graceful_deletion = True

    def status_on_create(self, obj: Obj) -> None:
        """podStrategy.PrepareForCreate: a new pod is Pending."""
        obj["status"] = {"phase": PodPhase.PENDING.value, "qosClass": "BestEffort"}

    def grace_period(self, obj: Obj, requested: int | None) -> int:
        """Only pods that are on a node and still running wait out a grace period. A negative
        one (requested, or stored before defaulting made it 1) is 1, as upstream's
        CheckGracefulDelete makes it."""
        status = obj.get("status", {})
        if not obj["spec"].get("nodeName") or status.get("phase") in (
            PodPhase.SUCCEEDED,
            PodPhase.FAILED,
        ):
            return 0
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            current = int(meta.get("deletionGracePeriodSeconds", 0))
            period = current if requested is None else min(current, requested)
        elif requested is not None:
            period = requested
        else:
            period = int(
                obj["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD_SECONDS)
            )
        return 1 if period < 0 else period

    def deletion_can_finish(self, obj: Obj) -> bool:
        """A pod goes once its grace period is over (the kubelet sets it to 0)."""
        grace_over = obj["metadata"].get("deletionGracePeriodSeconds", 0) == 0
        return super().deletion_can_finish(obj) and bool(grace_over)
