"""Probes and the simulated registry over a whole cluster on a fake clock: what `get pods`
shows second by second, and the events `describe` lists."""

from __future__ import annotations

from typing import Any

from kubelet_sim import Sim

from controlplane.kubelet.timing import Timing

HTTP = {"httpGet": {"path": "/healthz", "port": 80}}
TYPO = "nginx:1.161"
TYPO_NOT_FOUND = (
    'Failed to pull image "nginx:1.161": rpc error: code = NotFound desc = failed to pull and '
    'unpack image "docker.io/library/nginx:1.161": failed to resolve reference '
    '"docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found'
)


def probed_pod(sim: Sim, outcome: str = "ok", **probes: Any) -> None:
    sim.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web",
                "namespace": "default",
                "annotations": {"mkctl.dev/outcome": outcome},
            },
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2", **probes}]},
        }
    )
    sim.settle()


def test_a_failing_liveness_probe_restarts_the_container_with_the_crash_back_off() -> None:
    sim = Sim(Timing())
    probed_pod(sim, "liveness-failure", livenessProbe={**HTTP, "periodSeconds": 5})
    assert sim.timeline(60) == [
        (0, "1/1 Running 0"),
        (15, "1/1 Running 1"),  # 3 failures 5 s apart; the first restart does not wait
        (30, "0/1 CrashLoopBackOff 1"),  # killed again: back-off 10s
        (40, "1/1 Running 2"),
        (55, "0/1 CrashLoopBackOff 2"),  # back-off 20s
    ]
    assert (
        sim.count("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500") == 9
    )
    # three failed probes before each of three kills
    assert sim.count("Killing", "Container nginx failed liveness probe, will be restarted") == 3
    last = sim.get()["status"]["containerStatuses"][0]["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (137, "Error")


def test_a_startup_probe_holds_readiness_back_then_readiness_follows_its_own_ticks() -> None:
    sim = Sim(Timing())
    probed_pod(
        sim,
        startupProbe={**HTTP, "periodSeconds": 10, "failureThreshold": 30},
        readinessProbe={**HTTP, "periodSeconds": 5},
    )
    assert sim.timeline(20) == [(0, "0/1 Running 0"), (15, "1/1 Running 0")]
    status = sim.get()["status"]["containerStatuses"][0]
    assert (status["started"], status["ready"]) == (True, True)


def test_a_startup_probe_that_never_passes_kills_after_its_failure_threshold() -> None:
    sim = Sim(Timing())
    probed_pod(
        sim, "startup-failure", startupProbe={**HTTP, "periodSeconds": 2, "failureThreshold": 3}
    )
    assert sim.timeline(12) == [
        (0, "0/1 Running 0"),
        (6, "0/1 Running 1"),
        (12, "0/1 CrashLoopBackOff 1"),
    ]
    assert sim.count("Killing", "Container nginx failed startup probe, will be restarted") == 2


def test_a_failing_readiness_probe_keeps_the_pod_not_ready() -> None:
    sim = Sim(Timing())
    probed_pod(
        sim, "never-ready", readinessProbe={**HTTP, "initialDelaySeconds": 3, "periodSeconds": 5}
    )
    assert sim.timeline(30) == [(0, "0/1 Running 0")]
    ready = next(c for c in sim.get()["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "ContainersNotReady")
    assert (
        sim.count("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503")
        == 1
    )


def test_a_readiness_probe_that_passes_makes_the_pod_ready_on_its_first_tick() -> None:
    sim = Sim(Timing())
    probed_pod(sim, readinessProbe={**HTTP, "initialDelaySeconds": 5, "periodSeconds": 10})
    assert sim.timeline(12) == [(0, "0/1 Running 0"), (10, "1/1 Running 0")]


def test_a_mistyped_tag_stalls_the_rollout_in_image_pull_back_off_and_undo_recovers() -> None:
    sim = Sim(Timing())
    sim.deployment("nginx:1.14.2", replicas=3)
    sim.set_image(TYPO)
    pods = sim.pods()
    stuck = [p for p in pods if p["spec"]["containers"][0]["image"] == TYPO]
    assert len(pods) == 4 and len(stuck) == 1  # maxSurge 1, maxUnavailable 0 of 3
    waiting = stuck[0]["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{TYPO}"'}
    name = stuck[0]["metadata"]["name"]
    reasons = [(r, m) for r, m, _ in sim.events(name)]
    assert ("Failed", TYPO_NOT_FOUND) in reasons
    assert ("Failed", "Error: ErrImagePull") in reasons
    assert ("BackOff", f'Back-off pulling image "{TYPO}"') in reasons
    assert ("Failed", "Error: ImagePullBackOff") in reasons
    sim.at(10)  # the retry, 10 s after the failure, fails again
    assert sim.count("Failed", "Error: ErrImagePull", name) == 2
    sim.set_image("nginx:1.14.2")  # what `rollout undo` writes back
    sim.at(11)
    images = [p["spec"]["containers"][0]["image"] for p in sim.pods()]
    assert images == ["nginx:1.14.2"] * 3
    assert all(sim.columns(p["metadata"]["name"]) == "1/1 Running 0" for p in sim.pods())


def annotate(sim: Sim, outcome: str) -> None:
    live = sim.get()
    live["metadata"]["annotations"] = {"mkctl.dev/outcome": outcome}
    sim.api.update(live)
    sim.settle()


def test_a_ready_pod_whose_readiness_starts_failing_turns_unready_and_back() -> None:
    sim = Sim(Timing())
    probed_pod(sim, readinessProbe={**HTTP, "periodSeconds": 5})
    sim.at(5)
    assert sim.columns() == "1/1 Running 0"
    annotate(sim, "never-ready")
    assert sim.columns() == "0/1 Running 0"
    ready = next(c for c in sim.get()["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["message"]) == (
        "False",
        "containers with unready status: [nginx]",
    )
    assert (
        sim.count("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503")
        == 1
    )
    annotate(sim, "ok")
    assert sim.columns() == "1/1 Running 0"
