"""Kubernetes' back-off (10 s doubling to 300 s) in embedded mode, and what it does to rollouts.

Embedded mode has no delays of its own, so every transition here is a back-off expiring and
being acted on when the manager next runs, as the next mkctl command does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from itertools import pairwise

from kubelet_sim import Sim

from controlplane.api.tables.podstatus import summarize_pod
from controlplane.clock import rfc3339
from controlplane.kubelet.kubelet import Kubelet
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, key_of
from controlplane.models.node_conditions import KUBELET_STOPPED_ANNOTATION
from controlplane.models.pods import is_pod_ready


def pod_status(pod: Obj) -> str:
    summary = summarize_pod(pod)
    return f"{summary.ready}/{summary.total} {summary.status}"


def _times_it_grew(sim: Sim, count: Callable[[], int], until: int) -> list[int]:
    """The moments at which `count()` grew, with an embedded command every 10 seconds up to
    `until`. Each is a new process: one long-lived kubelet would stop recording events about
    the pod after 25 (client-go's spam filter, see test_event_correlator)."""
    times, seen = [], 0
    for t in range(0, until + 1, 10):
        sim.restart()
        sim.at(t)
        if count() > seen:
            times.append(t)
            seen = count()
    return times


def test_image_pull_back_off_schedule_is_10_20_40_80_160_300_300() -> None:
    sim = Sim()
    sim.pod(image="nginx:1.99-doesnotexist")
    times = _times_it_grew(sim, lambda: sim.count("Failed", "Error: ErrImagePull"), until=1000)
    assert times == [0, 10, 30, 70, 150, 310, 610, 910]
    assert [b - a for a, b in pairwise(times)] == [10, 20, 40, 80, 160, 300, 300]
    assert sim.columns() == "0/1 ImagePullBackOff 0"


def test_crash_loop_back_off_schedule_and_messages() -> None:
    sim = Sim()
    sim.pod(image="busybox:crashloop")
    uid = sim.get()["metadata"]["uid"]
    messages = []
    restarts = []
    for t in range(0, 1000, 10):
        sim.at(t)
        container = sim.get()["status"]["containerStatuses"][0]
        if not restarts or container["restartCount"] != restarts[-1][1]:
            restarts.append((t, container["restartCount"]))
            messages.append(container["state"]["waiting"]["message"])
    # the first crash restarts at once; each later restart waits out a doubling back-off
    assert restarts == [(0, 1), (10, 2), (30, 3), (70, 4), (150, 5), (310, 6), (610, 7), (910, 8)]
    waits = [m.split()[1] for m in messages]
    assert waits == ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"]
    assert messages[0] == f"back-off 10s restarting failed container=nginx pod=web_default({uid})"
    assert sim.columns() == "0/1 CrashLoopBackOff 8"


def test_a_command_long_after_the_back_off_acts_once_as_a_paused_kubelet_would() -> None:
    sim = Sim()
    sim.pod(image="busybox:crashloop")
    sim.at(3600)
    assert sim.columns() == "0/1 CrashLoopBackOff 2"
    assert sim.get()["status"]["containerStatuses"][0]["state"]["waiting"]["message"].startswith(
        "back-off 20s"
    )


def test_a_new_process_continues_the_crash_loop_from_what_is_stored() -> None:
    sim = Sim()
    sim.pod(image="busybox:crashloop")
    sim.restart()  # the next mkctl command: new manager, new kubelet, no memory
    sim.at(9)
    assert sim.columns() == "0/1 CrashLoopBackOff 1"
    sim.restart()
    sim.at(10)
    assert sim.columns() == "0/1 CrashLoopBackOff 2"
    assert sim.count("Created", "Created container: nginx") == 3


def test_a_new_process_continues_the_pull_back_off_from_the_kubelet_events() -> None:
    sim = Sim()
    sim.pod(image="nginx:nonexistent")
    for t in (10, 30):
        sim.restart()
        sim.at(t - 1)
        assert sim.count("Failed", "Error: ErrImagePull") == (1 if t == 10 else 2)
        sim.at(t)
    assert sim.count("Failed", "Error: ErrImagePull") == 3


def test_a_kubelet_without_a_timer_for_an_unsettled_pod_takes_it_from_the_change_log() -> None:
    sim = Sim()
    sim.pod(image="busybox:crashloop")
    pod = sim.get()
    fresh = Kubelet(sim.api)
    change = Change(1, ChangeType.MODIFIED, pod)
    assert list(fresh.keys_for(change)) == [key_of(pod)]
    actions = fresh.reconcile([key_of(pod)])
    assert [type(a).__name__ for a in actions] == ["RequeueAfter"]  # nothing due: just a timer
    assert list(fresh.keys_for(change)) == []  # its own timer will wake it


def test_a_settled_ready_pod_is_left_alone() -> None:
    sim = Sim()
    sim.pod()
    pod = sim.get()
    kubelet = Kubelet(sim.api)
    assert list(kubelet.keys_for(Change(1, ChangeType.MODIFIED, pod))) == []
    assert kubelet.reconcile([key_of(pod)]) == []


def test_a_bad_image_stalls_the_rollout_while_the_old_pods_keep_serving() -> None:
    sim = Sim()
    sim.deployment(replicas=3)
    sim.set_image("nginx:1.99-doesnotexist")
    sim.at(60)
    statuses = sorted(pod_status(p) for p in sim.pods())
    assert statuses == ["0/1 ImagePullBackOff", "1/1 Running", "1/1 Running", "1/1 Running"]
    status = sim.api.get("Deployment", "default", "web")["status"]
    assert (status["updatedReplicas"], status["availableReplicas"]) == (1, 3)
    assert status.get("unavailableReplicas") == 1
    sim.set_image("nginx:1.14.2")  # what `rollout undo` writes
    assert sorted(pod_status(p) for p in sim.pods()) == ["1/1 Running"] * 3


def test_a_crash_looping_image_never_counts_as_available() -> None:
    sim = Sim()
    sim.deployment(image="busybox:crashloop", replicas=2)
    sim.at(100)
    status = sim.api.get("Deployment", "default", "web")["status"]
    assert status.get("readyReplicas", 0) == 0 and status.get("availableReplicas", 0) == 0
    assert {pod_status(p) for p in sim.pods()} == {"0/1 CrashLoopBackOff"}


def _set_kubelet_stopped(sim: Sim, node_name: str, stopped: bool) -> None:
    node = copy.deepcopy(sim.api.get("Node", "", node_name))
    annotations = node["metadata"].setdefault("annotations", {})
    if stopped:
        annotations[KUBELET_STOPPED_ANNOTATION] = rfc3339(sim.clock.now())
    else:
        del annotations[KUBELET_STOPPED_ANNOTATION]
    sim.api.update(node)
    sim.settle()


def test_a_stopped_kubelet_pauses_its_pods_and_picks_them_up_when_it_starts() -> None:
    sim = Sim()
    sim.pod(image="busybox:crashloop", nodeName="node-2")
    sim.pod("steady", nodeName="node-2")
    _set_kubelet_stopped(sim, "node-2", True)
    sim.at(60)  # past the node monitor grace period: the node controller marks pods not ready
    assert sim.columns() == "0/1 CrashLoopBackOff 1"  # no restart while stopped
    assert not is_pod_ready(sim.get("steady"))
    sim.restart()  # and a new process, which has not seen the node stopped
    _set_kubelet_stopped(sim, "node-2", False)
    assert sim.columns() == "0/1 CrashLoopBackOff 2"  # the back-off had expired: restarted
    assert is_pod_ready(sim.get("steady"))
