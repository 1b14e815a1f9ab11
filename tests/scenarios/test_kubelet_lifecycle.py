"""The life of a pod on the fake kubelet, second by second on a fake clock, per failure mode.

Each timeline lists when `kubectl get pods` would show a new READY / STATUS / RESTARTS, with
delays chosen as whole distinct seconds so the arithmetic can be read off the table in
controlplane/kubelet/stages.py.
"""

from __future__ import annotations

import pytest
from kubelet_sim import NOW, Sim

from controlplane.api.tables.podstatus import pod_cells
from controlplane.kubelet.timing import Timing

NOT_FOUND = (
    "rpc error: code = NotFound desc = failed to pull and unpack image "
    '"docker.io/library/nginx:1.99-doesnotexist": failed to resolve reference '
    '"docker.io/library/nginx:1.99-doesnotexist": docker.io/library/nginx:1.99-doesnotexist: '
    "not found"
)


def test_a_healthy_pod_pulls_creates_starts_then_turns_ready() -> None:
    sim = Sim(Timing(pull=2, start=1, ready=1))
    sim.pod()
    assert sim.timeline(6) == [
        (0, "0/1 ContainerCreating 0"),
        (3, "0/1 Running 0"),
        (4, "1/1 Running 0"),
    ]
    assert [(reason, message) for reason, message, _ in sim.events()] == [
        ("Scheduled", "Successfully assigned default/web to node-1"),
        ("Pulling", 'Pulling image "nginx:1.14.2"'),
        (
            "Pulled",
            'Successfully pulled image "nginx:1.14.2" in 2s (2s including waiting). '
            "Image size: 44389233 bytes.",
        ),
        ("Created", "Created container: nginx"),
        ("Started", "Started container nginx"),
    ]
    pod = sim.get()
    assert pod["status"]["phase"] == "Running"
    assert [c["type"] for c in pod["status"]["conditions"]] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    ready = pod["status"]["conditions"][2]
    assert (ready["status"], ready["lastTransitionTime"]) == ("True", "2023-11-14T22:13:24Z")
    (container,) = pod["status"]["containerStatuses"]
    assert container["image"] == "docker.io/library/nginx:1.14.2"
    assert container["state"] == {"running": {"startedAt": "2023-11-14T22:13:23Z"}}


def test_the_node_keeps_a_pulled_image_and_the_next_pod_finds_it_present() -> None:
    sim = Sim(Timing(pull=2, start=1, ready=1))
    sim.pod("first", nodeName="node-2")
    sim.at(5)
    node = sim.api.get("Node", "", "node-2")
    names = [n for image in node["status"]["images"] for n in image["names"]]
    assert "docker.io/library/nginx:1.14.2" in names
    sim.pod("second", nodeName="node-2")
    assert sim.timeline(3, "second") == [
        (5, "0/1 ContainerCreating 0"),
        (6, "0/1 Running 0"),
        (7, "1/1 Running 0"),
    ]
    assert ("Pulled", 'Container image "nginx:1.14.2" already present on machine', 1) in (
        sim.events("second")
    )
    assert not any(reason == "Pulling" for reason, _, _ in sim.events("second"))


def test_an_image_that_does_not_exist_alternates_err_image_pull_and_image_pull_back_off() -> None:
    sim = Sim(Timing(pull=1, sync=1))
    sim.pod(image="nginx:1.99-doesnotexist")
    # fails at 1; retried after 10 s of back-off plus a 1 s pull: 12; then 20 s: 33; then 40 s
    assert sim.timeline(80) == [
        (0, "0/1 ContainerCreating 0"),
        (1, "0/1 ErrImagePull 0"),
        (2, "0/1 ImagePullBackOff 0"),
        (12, "0/1 ErrImagePull 0"),
        (13, "0/1 ImagePullBackOff 0"),
        (33, "0/1 ErrImagePull 0"),
        (34, "0/1 ImagePullBackOff 0"),
        (74, "0/1 ErrImagePull 0"),
        (75, "0/1 ImagePullBackOff 0"),
    ]
    image = "nginx:1.99-doesnotexist"
    assert sim.count("Pulling", f'Pulling image "{image}"') == 4
    assert sim.count("Failed", f'Failed to pull image "{image}": {NOT_FOUND}') == 4
    assert sim.count("Failed", "Error: ErrImagePull") == 4
    assert sim.count("BackOff", f'Back-off pulling image "{image}"') == 4
    assert sim.count("Failed", "Error: ImagePullBackOff") == 4
    pod = sim.get()
    assert pod["status"]["phase"] == "Pending"
    assert pod["status"]["containerStatuses"][0]["state"] == {
        "waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{image}"'}
    }
    assert pod["status"]["containerStatuses"][0]["imageID"] == ""


def test_err_image_pull_carries_the_runtime_error_as_its_message() -> None:
    sim = Sim(Timing(pull=1, sync=1))
    sim.pod(image="nginx:1.99-doesnotexist")
    sim.at(1)
    assert sim.get()["status"]["containerStatuses"][0]["state"] == {
        "waiting": {"reason": "ErrImagePull", "message": NOT_FOUND}
    }


def test_a_crashing_container_restarts_at_once_then_backs_off() -> None:
    sim = Sim(Timing(pull=1, start=1, crash=2, sync=1))
    sim.pod(image="busybox:crashloop")
    # started at 2, exits at 4, restarted at 5 (the first restart does not wait), exits at 7,
    # CrashLoopBackOff from 8 until 7 + 10 = 17; exits at 19, back-off 20 s until 39
    assert sim.timeline(45) == [
        (0, "0/1 ContainerCreating 0"),
        (2, "0/1 Running 0"),
        (4, "0/1 Error 0"),
        (5, "0/1 Running 1"),
        (7, "0/1 Error 1"),
        (8, "0/1 CrashLoopBackOff 1"),
        (17, "0/1 Running 2"),
        (19, "0/1 Error 2"),
        (20, "0/1 CrashLoopBackOff 2"),
        (39, "0/1 Running 3"),
        (41, "0/1 Error 3"),
        (42, "0/1 CrashLoopBackOff 3"),
    ]
    pod = sim.get()
    assert pod["status"]["phase"] == "Running"
    (container,) = pod["status"]["containerStatuses"]
    uid = pod["metadata"]["uid"]
    assert container["state"]["waiting"]["message"] == (
        f"back-off 40s restarting failed container=nginx pod=web_default({uid})"
    )
    assert container["lastState"]["terminated"]["reason"] == "Error"
    assert container["lastState"]["terminated"]["exitCode"] == 1
    assert pod_cells(pod, NOW + 45) == ("0/1", "CrashLoopBackOff", "3 (4s ago)")
    back_off = f"Back-off restarting failed container nginx in pod web_default({uid})"
    assert sim.count("BackOff", back_off) == 3
    assert sim.count("Started", "Started container nginx") == 4
    assert (
        sim.count("Pulled", 'Container image "busybox:crashloop" already present on machine') == 3
    )


def test_readiness_that_never_comes_leaves_the_pod_running_but_unready() -> None:
    sim = Sim(Timing(start=1, ready=2))
    sim.pod(image="nginx:neverready")
    assert sim.timeline(60) == [(0, "0/1 ContainerCreating 0"), (1, "0/1 Running 0")]
    conditions = {c["type"]: c for c in sim.get()["status"]["conditions"]}
    assert conditions["Ready"]["status"] == "False"
    assert conditions["Ready"]["reason"] == "ContainersNotReady"
    assert conditions["Ready"]["message"] == "containers with unready status: [nginx]"
    unhealthy = "Readiness probe failed: HTTP probe failed with statuscode: 503"
    assert sim.count("Unhealthy", unhealthy) == 1


def test_a_deleted_pod_is_killed_then_removed_after_the_stop_delay() -> None:
    sim = Sim(Timing(stop=2))
    sim.pod()
    sim.api.delete("Pod", "default", "web")
    assert sim.timeline(4) == [(0, "1/1 Terminating 0"), (2, "gone")]
    assert ("Killing", "Stopping container nginx", 1) in sim.events()


@pytest.mark.parametrize(
    ("image", "waiting", "terminating"),
    [
        ("nginx:1.99-doesnotexist", "0/1 ImagePullBackOff 0", "0/1 Terminating 0"),
        ("busybox:crashloop", "0/1 CrashLoopBackOff 1", "0/1 Terminating 1"),
    ],
)
def test_a_deleted_pod_with_nothing_running_is_removed_after_the_stop_delay(
    image: str, waiting: str, terminating: str
) -> None:
    """Nothing to stop, so no Killing event: the removal must still come when due, in a
    later pass that reads the pod back from the store (a daemon used to put it off on every
    pass, and a rollout undone from a bad image kept a Terminating pod for ever)."""
    sim = Sim(Timing(pull=1, start=1, crash=1, sync=1, stop=2))
    sim.pod(image=image)
    assert sim.timeline(8)[-1][1] == waiting
    sim.api.delete("Pod", "default", "web")
    assert sim.timeline(4) == [(8, terminating), (10, "gone")]
    assert not any(reason == "Killing" for reason, _, _ in sim.events())


def test_removal_waits_at_most_the_grace_period() -> None:
    sim = Sim(Timing(stop=20))
    sim.pod()
    sim.api.delete("Pod", "default", "web", grace_period_seconds=3)
    assert sim.timeline(5) == [(0, "1/1 Terminating 0"), (3, "gone")]


def test_embedded_mode_removes_a_deleted_pod_at_once() -> None:
    sim = Sim()
    sim.pod()
    sim.api.delete("Pod", "default", "web")
    sim.settle()
    assert sim.pods() == []


def test_annotations_override_delays_and_outcome_even_in_embedded_mode() -> None:
    sim = Sim()
    sim.pod(annotations={"mkctl.dev/start-delay": "5s", "mkctl.dev/outcome": "crashloop"})
    assert sim.timeline(6) == [
        (0, "0/1 ContainerCreating 0"),
        (5, "0/1 CrashLoopBackOff 1"),
    ]


def test_pull_policy_never_without_the_image_fails_at_once() -> None:
    sim = Sim()
    sim.pod(image="nginx:1.14.2", nodeName="node-3")
    sim.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "offline", "namespace": "default"},
            "spec": {
                "nodeName": "node-1",
                "containers": [
                    {"name": "nginx", "image": "nginx:1.14.2", "imagePullPolicy": "Never"}
                ],
            },
        }
    )
    sim.settle()
    assert sim.columns("offline") == "0/1 ErrImageNeverPull 0"
    message = 'Container image "nginx:1.14.2" is not present with pull policy of Never'
    assert sim.count("ErrImageNeverPull", message, "offline") == 1
    assert sim.count("Failed", "Error: ErrImageNeverPull", "offline") == 1


def test_without_a_readiness_probe_a_container_is_ready_as_it_starts() -> None:
    """No `0/1 Running` moment, which learners read as a failing probe (the daemon's
    timing has `ready` 0, as here)."""
    sim = Sim(Timing(pull=1, start=1))
    sim.pod()
    assert sim.timeline(3) == [(0, "0/1 ContainerCreating 0"), (2, "1/1 Running 0")]


@pytest.mark.parametrize(
    ("probe", "ready_at"),
    [
        ({}, 10),  # periodSeconds 10: the first tick after the start
        ({"initialDelaySeconds": 5, "periodSeconds": 5}, 5),
        ({"initialDelaySeconds": 15, "periodSeconds": 10}, 20),  # the tick at 10 s is too early
        ({"periodSeconds": 3, "successThreshold": 2}, 6),  # two passes in a row
    ],
)
def test_a_readiness_probe_passes_on_the_first_probe_tick_after_its_initial_delay(
    probe: dict[str, int], ready_at: int
) -> None:
    sim = Sim(Timing.instant())
    container = {
        "name": "nginx",
        "image": "nginx:1.14.2",
        "readinessProbe": {"httpGet": {"path": "/", "port": 80}, **probe},
    }
    sim.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [container]},
        }
    )
    assert sim.timeline(25) == [(0, "0/1 Running 0"), (ready_at, "1/1 Running 0")]
