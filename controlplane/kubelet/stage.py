"""The stage machinery: a stage applies to a subject in some state, is due at some time, and
changes it, recording events; `run_stages` applies what is due, in order (stages.py holds the
kubelet's tables, after kwok's pod stages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from controlplane.kubelet.pod_plan import Plan
from controlplane.models.constants import EventType, Obj

MAX_STEPS = 100  # a chain longer than this is a bug: every loop passes through a back-off


class Images(Protocol):
    """The images on the pod's node."""

    def present(self, image: str) -> bool: ...

    def add(self, image: str, size: int) -> None: ...


@dataclass(frozen=True)
class Emit:
    """An event to record about the pod (on one container when `container` is set)."""

    type: EventType
    reason: str
    message: str
    container: str = ""


@dataclass
class Context:
    pod: Obj
    plan: Plan
    now: float
    images: Images
    events: list[Emit] = field(default_factory=list)

    def emit(self, type: EventType, reason: str, message: str, container: str = "") -> None:
        self.events.append(Emit(type, reason, message, container))


T = TypeVar("T")


@dataclass(frozen=True)
class Stage(Generic[T]):
    name: str
    applies: Callable[[T, Context], bool]
    due: Callable[[T, Context], float]
    effect: Callable[[T, Context], None]


def run_stages(subject: T, table: tuple[Stage[T], ...], ctx: Context) -> float | None:
    """Apply each due stage in turn; return when the next stage is due (None: settled)."""
    for _ in range(MAX_STEPS):
        stage = next((s for s in table if s.applies(subject, ctx)), None)
        if stage is None:
            return None
        due = stage.due(subject, ctx)
        if due > ctx.now:
            return due
        stage.effect(subject, ctx)
    raise RuntimeError(f"kubelet stages did not settle in {MAX_STEPS} steps: {subject!r}")
