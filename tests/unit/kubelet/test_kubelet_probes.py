"""Probe timing after the kubelet's probe workers, and the stages a failed probe drives."""

from __future__ import annotations

import pytest

from controlplane.kubelet.pod_plan import plan_for
from controlplane.kubelet.probes import ProbeTiming, ProbeType, failure_output, probe_schedule
from controlplane.kubelet.runs import Memory, Run, RunState
from controlplane.kubelet.stage import Context, run_stages
from controlplane.kubelet.stages import CONTAINER_STAGES
from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.models.simulation import Outcome

T = 1_700_000_000.0
HTTP = {"httpGet": {"path": "/healthz", "port": 8080}}


@pytest.mark.parametrize(
    ("probe", "passes", "fails"),
    [
        ({}, 10, 30),  # the defaults: period 10, success 1, failure 3
        ({"initialDelaySeconds": 5, "periodSeconds": 5}, 5, 15),  # the docs' liveness example
        ({"initialDelaySeconds": 15, "periodSeconds": 10}, 20, 40),  # ticks before 15 skipped
        ({"periodSeconds": 3, "successThreshold": 2, "failureThreshold": 1}, 6, 3),
    ],
)
def test_a_probe_passes_or_fails_on_its_ticks(probe: Obj, passes: float, fails: float) -> None:
    timing = ProbeTiming.of(probe)
    assert (timing.passes_at(), timing.fails_at()) == (passes, fails)


def test_probes_held_back_by_a_startup_probe_count_from_the_first_tick_after_it() -> None:
    timing = ProbeTiming.of({"periodSeconds": 10})
    assert timing.first_tick(after=10) == 20  # the tick at 10 still saw the container unstarted
    assert timing.first_tick(after=25) == 30


def container(**probes: Obj) -> Obj:
    return {"name": "app", "image": "nginx:1.14.2", **probes}


def test_a_startup_probe_gates_readiness_and_liveness() -> None:
    spec = container(
        startupProbe={**HTTP, "periodSeconds": 10, "failureThreshold": 30},
        readinessProbe={**HTTP, "periodSeconds": 5},
        livenessProbe={**HTTP, "periodSeconds": 10},
    )
    ok = probe_schedule(spec, Outcome.OK, "10.244.0.7", ready_delay=0, probe_timed=True)
    assert (ok.started, ok.ready, ok.killed) == (10, 15, None)
    failing = probe_schedule(
        spec, Outcome.LIVENESS_FAILURE, "10.244.0.7", ready_delay=0, probe_timed=True
    )
    assert (failing.started, failing.ready, failing.killed) == (10, 15, 40)
    assert failing.unhealthy == "Liveness probe failed: HTTP probe failed with statuscode: 500"
    never = probe_schedule(
        spec, Outcome.STARTUP_FAILURE, "10.244.0.7", ready_delay=0, probe_timed=True
    )
    assert (never.started, never.killed) == (300, 300)
    assert never.unhealthy == "Startup probe failed: HTTP probe failed with statuscode: 500"


def test_without_probes_a_container_is_ready_when_it_runs_and_never_killed() -> None:
    for outcome in (Outcome.OK, Outcome.LIVENESS_FAILURE, Outcome.STARTUP_FAILURE):
        plain = probe_schedule(container(), outcome, "", ready_delay=0, probe_timed=True)
        assert (plain.started, plain.ready, plain.killed) == (None, 0, None)


@pytest.mark.parametrize(
    ("probe", "output"),
    [
        ({"httpGet": {"port": 80}}, "HTTP probe failed with statuscode: 500"),
        ({"tcpSocket": {"port": "web"}}, "dial tcp 10.244.0.7:8080: connect: connection refused"),
        (
            {"exec": {"command": ["cat", "/tmp/healthy"]}},
            "cat: can't open '/tmp/healthy': No such file or directory",
        ),
        (
            {"grpc": {"port": 9000}},
            'timeout: failed to connect service "10.244.0.7:9000" within 1s',
        ),
    ],
)
def test_a_failed_probe_reports_what_its_handler_saw(probe: Obj, output: str) -> None:
    spec = {**container(livenessProbe=probe), "ports": [{"name": "web", "containerPort": 8080}]}
    assert failure_output(spec, ProbeType.LIVENESS, "10.244.0.7") == output


def pod(restart_policy: str = "Always", outcome: str = "liveness-failure", **probes: Obj) -> Obj:
    return {
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "uid-1",
            "annotations": {"mkctl.dev/outcome": outcome},
        },
        "spec": {"restartPolicy": restart_policy, "containers": [container(**probes)]},
    }


class OnNode:
    """A node that holds every image."""

    def present(self, image: str) -> bool:
        return True

    def add(self, image: str, size: int) -> None:
        pass


def running(state: RunState = RunState.READY) -> Run:
    return Run("app", "nginx:1.14.2", "IfNotPresent", state, T, started_at=T, container_id="c1")


@pytest.mark.parametrize(
    ("restart_policy", "killing"),
    [
        ("Always", "Container app failed liveness probe, will be restarted"),
        ("Never", "Container app failed liveness probe"),
    ],
)
def test_a_failed_liveness_probe_kills_the_container_once_due(
    restart_policy: str, killing: str
) -> None:
    spec = pod(restart_policy, livenessProbe={**HTTP, "periodSeconds": 5})
    plan = plan_for(spec, Timing())
    run = running()
    early = Context(spec, plan, T + 14.9, OnNode())
    assert run_stages(run, CONTAINER_STAGES, early) == T + 15
    assert run.state is RunState.READY and early.events == []
    due = Context(spec, plan, T + 15, OnNode())
    run_stages(run, CONTAINER_STAGES, due)
    assert [(e.reason, e.message) for e in due.events][:4] == [
        *[("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500")] * 3,
        ("Killing", killing),  # after its failureThreshold (3) of failed probes
    ]
    exited = run.last_exit or run.exit
    assert exited is not None and (exited.exit_code, exited.reason) == (137, "Error")


def test_a_container_with_a_startup_probe_runs_unstarted_until_it_passes() -> None:
    spec = pod(outcome="ok", startupProbe={**HTTP, "periodSeconds": 10})
    plan = plan_for(spec, Timing())
    run = running(RunState.STARTING)
    assert run.status()["started"] is False and "running" in run.status()["state"]
    ctx = Context(spec, plan, T + 9, OnNode())
    assert run_stages(run, CONTAINER_STAGES, ctx) == T + 10
    ctx.now = T + 10
    assert run_stages(run, CONTAINER_STAGES, ctx) is None
    assert run.state is RunState.READY and run.status()["started"] is True


def test_a_startup_probe_that_never_passes_kills_the_container() -> None:
    spec = pod(outcome="startup-failure", startupProbe={**HTTP, "failureThreshold": 2})
    plan = plan_for(spec, Timing())
    run = running(RunState.STARTING)
    ctx = Context(spec, plan, T + 20, OnNode())
    run_stages(run, CONTAINER_STAGES, ctx)
    assert [(e.reason, e.message) for e in ctx.events][:3] == [
        *[("Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 500")] * 2,
        ("Killing", "Container app failed startup probe, will be restarted"),
    ]
    assert run.restarts == 1  # the first restart does not wait


def test_the_stored_status_of_an_unstarted_container_reads_back_as_starting() -> None:
    run = running(RunState.STARTING)
    again = Run.from_status(run.status(), container(), Memory(), T)
    assert again.state is RunState.STARTING
