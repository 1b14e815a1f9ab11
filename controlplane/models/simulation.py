"""Failure simulation as documented data: which pods fail, and how (docs/failure-simulation.md).

A lesson needs failures it can rely on, so they are conventions, not chance:

- an image reference containing `doesnotexist` or `nonexistent` cannot be pulled
  (ErrImagePull, then ImagePullBackOff with the kubelet's back-off);
- one containing `crashloop` is pulled and starts, then exits with code 1 every time
  (CrashLoopBackOff, RESTARTS counting);
- one containing `neverready` runs but its readiness never passes (READY 0/1, Running);
- everything else pulls if the simulated registry has it (controlplane/kubelet/registry.py:
  a known repository with an unknown tag does not pull), then starts and becomes ready; in a
  pod that does not restart its containers (`restartPolicy: OnFailure` or `Never`, a Job's
  pods) it then runs to completion, exit code 0 (`Completed`), while a `crashloop` one exits
  with code 1 (`Error`): restarted with back-off under `OnFailure`, the pod `Failed` under
  `Never`.

A pod's annotations override the image: `mkctl.dev/outcome` (`ok`, `pull-failure`,
`crashloop`, `never-ready`, and for containers with those probes `liveness-failure` and
`startup-failure`) for all its containers, and `mkctl.dev/<stage>-delay` with a Go
duration for one stage's delay (`complete-delay`: how long a container that runs to completion
runs). The API validates these annotations on pods and pod
templates, so a typo is refused by `apply` with its field path; the kubelet reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from controlplane.models.durations import parse_go_duration

OUTCOME_ANNOTATION = "mkctl.dev/outcome"
PULL_DELAY_ANNOTATION = "mkctl.dev/pull-delay"
START_DELAY_ANNOTATION = "mkctl.dev/start-delay"
READY_DELAY_ANNOTATION = "mkctl.dev/ready-delay"
CRASH_DELAY_ANNOTATION = "mkctl.dev/crash-delay"
STOP_DELAY_ANNOTATION = "mkctl.dev/stop-delay"
COMPLETE_DELAY_ANNOTATION = "mkctl.dev/complete-delay"
DELAY_ANNOTATIONS = (
    PULL_DELAY_ANNOTATION,
    START_DELAY_ANNOTATION,
    READY_DELAY_ANNOTATION,
    CRASH_DELAY_ANNOTATION,
    STOP_DELAY_ANNOTATION,
    COMPLETE_DELAY_ANNOTATION,
)


class Outcome(StrEnum):
    OK = "ok"
    PULL_FAILURE = "pull-failure"
    CRASHLOOP = "crashloop"
    NEVER_READY = "never-ready"
    LIVENESS_FAILURE = "liveness-failure"  # its livenessProbe fails: killed and restarted
    STARTUP_FAILURE = "startup-failure"  # its startupProbe never passes: killed and restarted


OUTCOMES = frozenset(Outcome)

# Substrings of an image reference (compared in lower case) and what they make happen.
IMAGE_MARKERS: tuple[tuple[str, Outcome], ...] = (
    ("doesnotexist", Outcome.PULL_FAILURE),
    ("nonexistent", Outcome.PULL_FAILURE),
    ("crashloop", Outcome.CRASHLOOP),
    ("neverready", Outcome.NEVER_READY),
)


def image_outcome(image: str) -> Outcome | None:
    lowered = image.lower()
    for marker, outcome in IMAGE_MARKERS:
        if marker in lowered:
            return outcome
    return None


def outcome_for(annotations: Mapping[str, str], image: str) -> Outcome | None:
    """The pod's `mkctl.dev/outcome` if set (validated on write), else the image's marker,
    else None: nothing chose, and the simulated registry says whether the image pulls."""
    chosen = annotations.get(OUTCOME_ANNOTATION)
    return Outcome(chosen) if chosen in OUTCOMES else image_outcome(image)


def delay_override(annotations: Mapping[str, str], key: str) -> float | None:
    """Seconds from a `mkctl.dev/<stage>-delay` annotation, or None when absent."""
    value = annotations.get(key)
    seconds = parse_go_duration(value) if value is not None else None
    return seconds if seconds is not None and seconds >= 0 else None


@dataclass(frozen=True)
class AnnotationProblem:
    key: str
    value: str
    supported: tuple[str, ...]  # non-empty: an unsupported value among these
    detail: str = ""  # otherwise: why the value is invalid


def annotation_problems(annotations: Mapping[str, str] | None) -> list[AnnotationProblem]:
    """What is wrong with a pod's simulation annotations, in key order; [] when all is well."""
    problems = []
    for key, value in sorted((annotations or {}).items()):
        if key == OUTCOME_ANNOTATION and value not in set(Outcome):
            problems.append(AnnotationProblem(key, value, tuple(sorted(Outcome))))
        elif key in DELAY_ANNOTATIONS:
            seconds = parse_go_duration(value)
            if seconds is None or seconds < 0:
                detail = 'must be a duration of zero or more, such as "500ms", "5s" or "1m30s"'
                problems.append(AnnotationProblem(key, value, (), detail))
    return problems
