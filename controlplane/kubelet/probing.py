"""The container stages' effects of probe results (probes.py has their timing): readiness
that passes or fails, a startup probe that passes, and the kill after a failed liveness or
startup probe (pkg/kubelet/prober, pkg/kubelet/kuberuntime/kuberuntime_manager.go
computePodActions)."""

from __future__ import annotations

from collections.abc import Callable

from controlplane.kubelet import messages
from controlplane.kubelet.runs import Exit, Run, RunState
from controlplane.kubelet.stage import Context
from controlplane.models.constants import EventType

KILLED_EXIT_CODE = 137  # 128 + SIGKILL


def ready(run: Run, ctx: Context) -> None:
    run.move(RunState.READY, ctx.now)


def readiness_failed(run: Run, ctx: Context) -> None:
    run.probe_failed = True
    ctx.emit(EventType.WARNING, messages.UNHEALTHY, ctx.plan.unhealthy[run.name], run.name)


def readiness_lost(run: Run, ctx: Context) -> None:
    """A ready container whose pod's outcome became never-ready: its probe fails now."""
    run.move(RunState.RUNNING, run.started_at)
    readiness_failed(run, ctx)


def startup_passed(run: Run, ctx: Context) -> None:
    run.move(RunState.RUNNING, run.started_at)


def killed_unhealthy(probe: str) -> Callable[[Run, Context], None]:
    """A failed liveness or startup probe: an Unhealthy event per failed probe (recorded
    together, so describe counts them: `(x3 over ...)`), then the kill (SIGKILL's 137 once
    the process ignored SIGTERM, as a shell or `sleep` does), then a restart as after a
    crash."""

    def kill(run: Run, ctx: Context) -> None:
        restart = ctx.pod["spec"].get("restartPolicy", "Always") != "Never"
        for _ in range(ctx.plan.failures.get(run.name, 1)):
            ctx.emit(EventType.WARNING, messages.UNHEALTHY, ctx.plan.unhealthy[run.name], run.name)
        message = messages.killing_unhealthy(run.name, probe, restart)
        ctx.emit(EventType.NORMAL, messages.KILLING, message, run.name)
        run.exit = Exit(KILLED_EXIT_CODE, "Error", run.started_at, ctx.now, run.container_id)
        run.move(RunState.EXITED, ctx.now)

    return kill
