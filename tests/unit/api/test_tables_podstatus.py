"""READY / STATUS / RESTARTS of a pod row (printPod), as `kubectl get pods` shows them."""

from __future__ import annotations

from typing import Any

import pytest

from controlplane.api.tables.podstatus import pod_cells, pod_ready, pod_restarts, pod_status
from tests.unit.printers.printers_builders import T0, container_status, pod, ts

WAIT_CREATING = {"waiting": {"reason": "ContainerCreating"}}
CRASHING = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}}
COMPLETED = {"terminated": {"exitCode": 0, "reason": "Completed"}}


def _statuses(*states: dict[str, Any], ready: bool = False) -> list[dict[str, Any]]:
    return [
        container_status(f"c{i}", state=s, ready=ready and "running" in s)
        for i, s in enumerate(states)
    ]


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(pod(), "Running", id="running"),
        pytest.param(
            pod(phase="Pending", statuses=_statuses(WAIT_CREATING)),
            "ContainerCreating",
            id="container-creating",
        ),
        pytest.param(pod(phase="Pending", statuses=[], node=None), "Pending", id="pending"),
        pytest.param(
            pod(statuses=_statuses(CRASHING)), "CrashLoopBackOff", id="crash-loop-back-off"
        ),
        pytest.param(
            pod(
                containers=["c0", "c1"],
                statuses=_statuses(CRASHING, {"waiting": {"reason": "ImagePullBackOff"}}),
            ),
            "CrashLoopBackOff",
            id="first-container-wins",
        ),
        pytest.param(pod(deletion=ts(30)), "Terminating", id="terminating"),
        pytest.param(
            pod(phase="Succeeded", statuses=_statuses(COMPLETED), deletion=ts(30)),
            "Completed",
            id="terminal-phase-not-terminating",
        ),
        pytest.param(
            pod(phase="Succeeded", statuses=_statuses(COMPLETED)), "Completed", id="completed"
        ),
        pytest.param(
            pod(
                containers=["c0", "c1"],
                statuses=_statuses(COMPLETED, {"running": {}}, ready=True),
                conditions={"Ready": "True"},
            ),
            "Running",
            id="completed-but-one-running-ready",
        ),
        pytest.param(
            pod(
                containers=["c0", "c1"],
                statuses=_statuses(COMPLETED, {"running": {}}, ready=True),
                conditions={"Ready": "False"},
            ),
            "NotReady",
            id="completed-but-one-running-not-ready",
        ),
        pytest.param(
            pod(statuses=_statuses({"terminated": {"exitCode": 137}})),
            "ExitCode:137",
            id="exit-code-without-reason",
        ),
        pytest.param(
            pod(statuses=_statuses({"terminated": {"exitCode": 0, "signal": 9}})),
            "Signal:9",
            id="signal-without-reason",
        ),
        pytest.param(pod(phase="Failed", reason="Evicted", statuses=[]), "Evicted", id="evicted"),
        pytest.param(
            pod(reason="NodeLost", deletion=ts(30)), "Unknown", id="node-lost-while-deleting"
        ),
        pytest.param(
            pod(
                phase="Pending",
                statuses=_statuses(WAIT_CREATING),
                init=[{"name": "init", "image": "busybox"}],
                init_statuses=[container_status("init", state={"running": {}}, ready=False)],
            ),
            "Init:0/1",
            id="init-running",
        ),
        pytest.param(
            pod(
                phase="Pending",
                statuses=_statuses(WAIT_CREATING),
                init=[{"name": "init", "image": "busybox"}],
                init_statuses=[container_status("init", state=CRASHING, ready=False)],
            ),
            "Init:CrashLoopBackOff",
            id="init-crash-loop",
        ),
        pytest.param(
            pod(
                phase="Pending",
                statuses=_statuses(WAIT_CREATING),
                init=[{"name": "init", "image": "busybox"}],
                init_statuses=[
                    container_status("init", state={"terminated": {"exitCode": 2}}, ready=False)
                ],
            ),
            "Init:ExitCode:2",
            id="init-failed",
        ),
    ],
)
def test_pod_status(obj: dict[str, Any], expected: str) -> None:
    assert pod_status(obj) == expected


def test_scheduling_gated() -> None:
    obj = pod(phase="Pending", statuses=[], node=None)
    obj["status"]["conditions"] = [
        {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
    ]
    assert pod_status(obj) == "SchedulingGated"


def test_ready_counts_ready_running_containers_and_started_sidecars() -> None:
    obj = pod(
        containers=["c0", "c1"],
        statuses=_statuses({"running": {}}, WAIT_CREATING, ready=True),
        init=[{"name": "proxy", "image": "envoy", "restartPolicy": "Always"}],
        init_statuses=[
            container_status("proxy", state={"running": {}}, ready=True) | {"started": True}
        ],
    )
    assert pod_ready(obj) == "2/3"


def test_restarts_show_age_of_last_restart() -> None:
    obj = pod(statuses=[container_status(restarts=3, last_finished=ts(100))])
    assert pod_restarts(obj, T0 + 145) == "3 (45s ago)"
    obj = pod(statuses=[container_status(restarts=12, last_finished=ts(0))])
    assert pod_restarts(obj, T0 + 125) == "12 (2m5s ago)"


def test_restarts_without_finish_time_are_a_bare_number() -> None:
    assert pod_restarts(pod(statuses=[container_status(restarts=3)]), T0) == "3"
    assert pod_restarts(pod(), T0) == "0"


def test_restarts_sum_all_containers_and_use_latest_finish() -> None:
    obj = pod(
        containers=["a", "b"],
        statuses=[
            container_status("a", restarts=1, last_finished=ts(10)),
            container_status("b", restarts=2, last_finished=ts(50)),
        ],
    )
    assert pod_cells(obj, T0 + 60) == ("2/2", "Running", "3 (10s ago)")
