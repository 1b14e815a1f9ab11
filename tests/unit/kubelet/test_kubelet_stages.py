"""Every stage of the table, one at a time: which stage applies, when it is due, what it does.

Delays are distinct small numbers so that each row can check the exact due time: one
moment before it nothing happens, at it the stage fires (and the next one is not due yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from controlplane.kubelet.pod_plan import Plan
from controlplane.kubelet.runs import Exit, Run, RunState
from controlplane.kubelet.stage import Context, run_stages
from controlplane.kubelet.stages import CONTAINER_STAGES, POD_STAGES, PodRun, advance
from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.models.simulation import Outcome

T = 1_700_000_000.0
IMAGE = "nginx:1.14.2"
NOT_FOUND = (
    'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/'
    'nginx:1.14.2": failed to resolve reference "docker.io/library/nginx:1.14.2": '
    "docker.io/library/nginx:1.14.2: not found"
)
POD_DESC = "web-1_default(uid-1)"


def pod(policy: str = "IfNotPresent", restart_policy: str = "Always") -> Obj:
    return {
        "metadata": {"name": "web-1", "namespace": "default", "uid": "uid-1"},
        "spec": {
            "restartPolicy": restart_policy,
            "containers": [{"name": "nginx", "image": IMAGE, "imagePullPolicy": policy}],
        },
    }


def plan(outcome: Outcome = Outcome.OK) -> Plan:
    return Plan(
        {"nginx": outcome},
        pull={"nginx": 2},
        pull_setup=2,  # the same with the layers on the node: see the test of Always
        start=3,
        ready={"nginx": 4},
        crash=5,
        sync=1,
        stop=6,
        timing=Timing(),
        sizes={"nginx": 44_389_233},
        unhealthy={"nginx": "Readiness probe failed: HTTP probe failed with statuscode: 503"},
    )


@dataclass
class FakeImages:
    images: set[str] = field(default_factory=set)

    def present(self, image: str) -> bool:
        return image in self.images

    def add(self, image: str, size: int) -> None:
        self.images.add(image)


def run(state: RunState, **fields: object) -> Run:
    fields.setdefault("started_at", T)  # a running container's state began with its start
    return Run("nginx", IMAGE, str(fields.pop("policy", "IfNotPresent")), state, T, **fields)  # type: ignore[arg-type]


def crashed_exit() -> Exit:
    return Exit(1, "Error", T - 5, T, "containerd://old")


# stage, outcome, the run before, seconds until due, the state after, events (type, reason, message)
CASES = [
    (
        "pull-failed",
        Outcome.PULL_FAILURE,
        run(RunState.CREATING, pulling=True),
        2,
        RunState.ERR_IMAGE_PULL,
        [
            ("Warning", "Failed", f'Failed to pull image "{IMAGE}": {NOT_FOUND}'),
            ("Warning", "Failed", "Error: ErrImagePull"),
        ],
    ),
    (
        "pulled",
        Outcome.OK,
        run(RunState.CREATING, pulling=True),
        2 + 3,
        RunState.RUNNING,
        [
            (
                "Normal",
                "Pulled",
                f'Successfully pulled image "{IMAGE}" in 2s (2s including waiting). '
                "Image size: 44389233 bytes.",
            ),
            ("Normal", "Created", "Created container: nginx"),
            ("Normal", "Started", "Started container nginx"),
        ],
    ),
    (
        "started",
        Outcome.OK,
        run(RunState.CREATING),
        3,
        RunState.RUNNING,
        [
            ("Normal", "Pulled", f'Container image "{IMAGE}" already present on machine'),
            ("Normal", "Created", "Created container: nginx"),
            ("Normal", "Started", "Started container nginx"),
        ],
    ),
    (
        "image-pull-back-off",
        Outcome.PULL_FAILURE,
        run(RunState.ERR_IMAGE_PULL, pull_failures=1),
        1,
        RunState.IMAGE_PULL_BACK_OFF,
        [
            ("Normal", "BackOff", f'Back-off pulling image "{IMAGE}"'),
            ("Warning", "Failed", "Error: ImagePullBackOff"),
        ],
    ),
    (
        "pull-retried",
        Outcome.PULL_FAILURE,
        run(RunState.IMAGE_PULL_BACK_OFF, pull_failures=3),
        40 + 2,
        RunState.ERR_IMAGE_PULL,
        [
            ("Normal", "Pulling", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", f'Failed to pull image "{IMAGE}": {NOT_FOUND}'),
            ("Warning", "Failed", "Error: ErrImagePull"),
        ],
    ),
    ("ready", Outcome.OK, run(RunState.RUNNING), 4, RunState.READY, []),
    (
        "readiness-failed",
        Outcome.NEVER_READY,
        run(RunState.RUNNING),
        4,
        RunState.RUNNING,
        [
            (
                "Warning",
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            )
        ],
    ),
    ("crashed", Outcome.CRASHLOOP, run(RunState.RUNNING, started_at=T), 5, RunState.EXITED, []),
    (
        "restarted",
        Outcome.CRASHLOOP,
        run(RunState.EXITED, exit=crashed_exit()),
        1,
        RunState.RUNNING,
        [
            ("Normal", "Pulled", f'Container image "{IMAGE}" already present on machine'),
            ("Normal", "Created", "Created container: nginx"),
            ("Normal", "Started", "Started container nginx"),
        ],
    ),
    (
        "crash-loop-back-off",
        Outcome.CRASHLOOP,
        run(RunState.EXITED, exit=crashed_exit(), restarts=3),
        1,
        RunState.CRASH_LOOP_BACK_OFF,
        [
            (
                "Warning",
                "BackOff",
                f"Back-off restarting failed container nginx in pod {POD_DESC}",
            )
        ],
    ),
    (
        "back-off-expired",
        Outcome.CRASHLOOP,
        run(RunState.CRASH_LOOP_BACK_OFF, last_exit=crashed_exit(), restarts=3),
        40,
        RunState.RUNNING,
        [
            ("Normal", "Pulled", f'Container image "{IMAGE}" already present on machine'),
            ("Normal", "Created", "Created container: nginx"),
            ("Normal", "Started", "Started container nginx"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("stage", "outcome", "before", "after_seconds", "state", "events"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_each_container_stage_fires_when_due_and_not_before(
    stage: str,
    outcome: Outcome,
    before: Run,
    after_seconds: float,
    state: RunState,
    events: list[tuple[str, str, str]],
) -> None:
    images = FakeImages({IMAGE})
    early = Context(pod(), plan(outcome), T + after_seconds - 0.001, images)
    applicable = next(s for s in CONTAINER_STAGES if s.applies(before, early))
    assert applicable.name == stage
    assert run_stages(before, CONTAINER_STAGES, early) == T + after_seconds
    assert early.events == [] and before.stored is None

    on_time = Context(pod(), plan(outcome), T + after_seconds, images)
    next_due = run_stages(before, CONTAINER_STAGES, on_time)
    assert before.state is state
    assert [(e.type.value, e.reason, e.message) for e in on_time.events] == events
    assert next_due is None or next_due > on_time.now


def test_a_stage_that_is_long_overdue_fires_once_at_the_current_time() -> None:
    """A kubelet that slept (embedded mode between commands) catches up like a real one
    after a pause: what is due happens now, once, and the next wait starts from now."""
    crashing = run(RunState.CRASH_LOOP_BACK_OFF, last_exit=crashed_exit(), restarts=1)
    ctx = Context(pod(), plan(Outcome.CRASHLOOP), T + 3600, FakeImages({IMAGE}))
    due = run_stages(crashing, CONTAINER_STAGES, ctx)
    assert (crashing.state, crashing.restarts, crashing.started_at) == (
        RunState.RUNNING,
        2,
        T + 3600,
    )
    assert due == T + 3600 + 5  # the crash, 5 s into the new run


def test_crash_loop_back_off_message_names_the_wait_container_and_pod() -> None:
    exited = run(RunState.EXITED, exit=crashed_exit(), restarts=3)
    run_stages(
        exited, CONTAINER_STAGES, Context(pod(), plan(Outcome.CRASHLOOP), T + 1, FakeImages())
    )
    status = exited.status()
    assert status["state"] == {
        "waiting": {
            "reason": "CrashLoopBackOff",
            "message": f"back-off 40s restarting failed container=nginx pod={POD_DESC}",
        }
    }
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert (status["ready"], status["started"], status["restartCount"]) == (False, False, 3)


def test_a_container_that_exits_under_restart_policy_never_stays_terminated() -> None:
    exited = run(RunState.EXITED, exit=crashed_exit())
    ctx = Context(pod(restart_policy="Never"), plan(Outcome.CRASHLOOP), T + 600, FakeImages())
    assert run_stages(exited, CONTAINER_STAGES, ctx) is None
    assert exited.state is RunState.EXITED and ctx.events == []


def test_restart_with_pull_policy_always_pulls_again() -> None:
    exited = run(RunState.EXITED, exit=crashed_exit(), policy="Always")
    ctx = Context(pod("Always"), plan(Outcome.CRASHLOOP), T + 1, FakeImages({IMAGE}))
    run_stages(exited, CONTAINER_STAGES, ctx)
    assert [e.reason for e in ctx.events] == ["Pulling", "Pulled", "Created", "Started"]


@pytest.mark.parametrize(
    ("policy", "on_node", "outcome", "pulling", "events"),
    [
        ("IfNotPresent", False, Outcome.OK, True, [("Normal", "Pulling")]),
        ("IfNotPresent", True, Outcome.OK, False, []),
        ("IfNotPresent", True, Outcome.PULL_FAILURE, True, [("Normal", "Pulling")]),
        ("Always", True, Outcome.OK, True, [("Normal", "Pulling")]),
        ("Never", True, Outcome.OK, False, []),
        (
            "Never",
            False,
            Outcome.OK,
            False,
            [("Warning", "ErrImageNeverPull"), ("Warning", "Failed")],
        ),
    ],
)
def test_admit_decides_per_container_whether_to_pull(
    policy: str, on_node: bool, outcome: Outcome, pulling: bool, events: list[tuple[str, str]]
) -> None:
    fresh = PodRun(None)
    ctx = Context(pod(policy), plan(outcome), T, FakeImages({IMAGE} if on_node else set()))
    admit = POD_STAGES[0]
    assert admit.name == "admit" and admit.applies(fresh, ctx)
    admit.effect(fresh, ctx)
    assert fresh.runs is not None
    (admitted,) = fresh.runs
    assert admitted.pulling is pulling
    assert [(e.type.value, e.reason) for e in ctx.events] == events
    if policy == "Never" and not on_node:
        assert admitted.state is RunState.ERR_IMAGE_NEVER_PULL
        assert (
            admitted.message
            == f'Container image "{IMAGE}" is not present with pull policy of Never'
        )


def test_admit_refuses_an_image_name_that_does_not_parse() -> None:
    fresh = PodRun(None)
    bad = pod()
    bad["spec"]["containers"][0]["image"] = "nginx latest"
    ctx = Context(bad, plan(), T, FakeImages())
    POD_STAGES[0].effect(fresh, ctx)
    assert fresh.runs is not None
    (admitted,) = fresh.runs
    assert admitted.state is RunState.INVALID_IMAGE_NAME
    assert admitted.message.endswith('"nginx latest": invalid reference format')
    assert [(e.type.value, e.reason, e.message) for e in ctx.events] == [
        ("Warning", "InspectFailed", admitted.message),
        ("Warning", "Failed", "Error: InvalidImageName"),
    ]
    assert advance(fresh, ctx) is None  # it stays so: nothing is pulled or started


def test_deletion_kills_running_containers_then_removes_after_the_stop_delay() -> None:
    deleting = PodRun([run(RunState.READY)], deleting_since=T, grace=30)
    ctx = Context(pod(), plan(), T, FakeImages())
    assert advance(deleting, ctx) == T + 6
    assert [(e.reason, e.message) for e in ctx.events] == [("Killing", "Stopping container nginx")]
    later = Context(pod(), plan(), T + 6, FakeImages())
    assert advance(deleting, later) is None
    assert deleting.removed and later.events == []  # Killing is sent once


def test_removal_never_waits_longer_than_the_grace_period() -> None:
    deleting = PodRun([run(RunState.READY)], deleting_since=T, grace=2)
    assert advance(deleting, Context(pod(), plan(), T, FakeImages())) == T + 2


def test_a_waiting_container_is_not_killed_but_its_pod_is_removed() -> None:
    deleting = PodRun([run(RunState.IMAGE_PULL_BACK_OFF)], deleting_since=T, grace=30)
    ctx = Context(pod(), plan(), T, FakeImages())
    assert advance(deleting, ctx) == T + 6
    assert ctx.events == []
    assert advance(deleting, Context(pod(), plan(), T + 6, FakeImages())) is None
    assert deleting.removed


def test_with_nothing_to_stop_the_removal_runs_from_the_stored_deletion() -> None:
    """No Killing event records such a kill, so each pass reads the pod back as not killed
    and kills it again: the removal must stay where it was, not move with every pass."""
    for now in (T + 1, T + 3, T + 5.5):
        again = PodRun([run(RunState.IMAGE_PULL_BACK_OFF)], deleting_since=T, grace=30)
        ctx = Context(pod(), plan(), now, FakeImages())
        assert advance(again, ctx) == T + 6
        assert ctx.events == []
    crashed = PodRun([run(RunState.CRASH_LOOP_BACK_OFF)], deleting_since=T, grace=30)
    assert advance(crashed, Context(pod(), plan(), T + 6, FakeImages())) is None
    assert crashed.removed


def test_the_stop_delay_runs_from_the_moment_the_kubelet_kills() -> None:
    """Stored deletion times are whole seconds; the kill happens at an exact moment."""
    deleting = PodRun([run(RunState.READY)], deleting_since=T, grace=30)
    assert advance(deleting, Context(pod(), plan(), T + 0.75, FakeImages())) == T + 6.75


def test_an_always_pull_of_an_image_the_node_holds_only_resolves_it() -> None:
    """imagePullPolicy Always pulls every time, but the node has the layers: the pull takes
    the set-up time, not the download."""
    fast = replace(plan(), pull={"nginx": 20}, pull_setup=1)
    always = run(RunState.CREATING, pulling=True, policy="Always")
    ctx = Context(pod("Always"), fast, T, FakeImages({IMAGE}))
    assert run_stages(always, CONTAINER_STAGES, ctx) == T + 1 + 3
    ctx.now = T + 4
    run_stages(always, CONTAINER_STAGES, ctx)
    assert ctx.events[0].message.startswith(f'Successfully pulled image "{IMAGE}" in 1s (1s ')
    absent = Context(pod("Always"), fast, T, FakeImages())
    assert run_stages(run(RunState.CREATING, pulling=True), CONTAINER_STAGES, absent) == T + 23
