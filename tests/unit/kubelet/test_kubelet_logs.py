"""Container logs: the lines a simulated container writes, the run they are read from, the
kubelet's and the API server's refusals, and the environment as it was at the start."""

from __future__ import annotations

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock, rfc3339
from controlplane.kubelet import log_lines, logs
from controlplane.kubelet.log_lines import ContainerRun, run_lines
from controlplane.models.constants import Obj

T = 1_700_000_000.0


def run(
    image: str, argv: list[str] | None = None, crashed: bool = False, **env: str
) -> ContainerRun:
    return ContainerRun(image, argv or [], env, T, crashed)


def texts(lines: list[log_lines.Line]) -> list[str]:
    return [line.text for line in lines]


def test_nginx_prints_its_entrypoint_then_its_notices() -> None:
    lines = texts(run_lines(run("nginx:1.25"), T + 5, None))
    assert lines[0] == (
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
        "configuration"
    )
    assert "/docker-entrypoint.sh: Configuration complete; ready for start up" in lines
    assert lines[-3:] == [
        "2023/11/14 22:13:20 [notice] 1#1: start worker processes",
        "2023/11/14 22:13:20 [notice] 1#1: start worker process 29",
        "2023/11/14 22:13:20 [notice] 1#1: start worker process 30",
    ]
    assert "2023/11/14 22:13:20 [notice] 1#1: nginx/1.25.5" in lines
    assert "2023/11/14 22:13:20 [notice] 1#1: nginx/1.27.3" in texts(
        run_lines(run("docker.io/library/nginx:1.27.3-alpine"), T + 5, None)
    )


def test_nginx_before_1_19_starts_silently_and_a_crash_says_why() -> None:
    assert run_lines(run("nginx:1.14.2"), T + 5, None) == []
    crashed = texts(run_lines(run("nginx:1.25", crashed=True), T + 5, T + 2))
    assert crashed[-1] == (
        'nginx: [emerg] host not found in upstream "backend:8080" in '
        "/etc/nginx/conf.d/default.conf:14"
    )


def test_a_shell_script_echoes_with_its_environment_and_its_loop_keeps_writing() -> None:
    script = [
        "sh",
        "-c",
        'echo "hello $GREETING from ${HOSTNAME}"; while true; do echo tick; sleep 2; done',
    ]
    lines = run_lines(
        run("busybox:1.36", script, GREETING="bonjour", HOSTNAME="web-1"), T + 5, None
    )
    assert texts(lines) == ["hello bonjour from web-1", "tick", "tick", "tick"]
    assert [round(line.at - T, 3) for line in lines] == [0.001, 0.001, 2.001, 4.001]
    assert texts(
        run_lines(run("busybox", ["/bin/sh", "-c", "printf 'a %s\\n' b"]), T + 1, None)
    ) == ["a b"]


def test_a_crash_ends_the_run_with_its_last_words_at_the_exit() -> None:
    script = ["sh", "-c", "echo booting; sleep 3; echo never"]
    lines = run_lines(run("busybox:crashloop", script, crashed=True), T + 10, T + 1)
    assert texts(lines)[0] == "booting"
    assert lines[-1].at == T + 1 and lines[-1].text.startswith("Error: busybox could not start")
    assert run_lines(run("quiet/app:1"), T + 10, None) == []


def pod(**status: Obj) -> Obj:
    return {
        "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
        "spec": {
            "nodeName": "node-1",
            "containers": [{"name": "app", "image": "busybox", "command": ["sh", "-c", "echo hi"]}],
        },
        "status": {"containerStatuses": [{"name": "app", **status}]},
    }


def refusal(call: object) -> str:
    with pytest.raises(ApiError) as caught:
        assert callable(call)
        call()
    assert (caught.value.reason, caught.value.code) == ("BadRequest", 400)
    return caught.value.message


def test_the_kubelet_says_why_a_container_has_no_log() -> None:
    creating = pod(state={"waiting": {"reason": "ContainerCreating"}})
    assert refusal(lambda: logs.log_run(creating, "app", False)) == (
        'container "app" in pod "web" is waiting to start: ContainerCreating'
    )
    pulling = pod(state={"waiting": {"reason": "ImagePullBackOff"}})
    assert refusal(lambda: logs.log_run(pulling, "app", False)) == (
        'container "app" in pod "web" is waiting to start: trying and failing to pull image'
    )
    running = pod(state={"running": {"startedAt": rfc3339(T)}}, containerID="c://1")
    assert refusal(lambda: logs.log_run(running, "app", True)) == (
        'previous terminated container "app" in pod "web" not found'
    )
    backing_off = pod(
        state={"waiting": {"reason": "CrashLoopBackOff"}},
        lastState={
            "terminated": {
                "containerID": "c://1",
                "startedAt": rfc3339(T),
                "finishedAt": rfc3339(T + 2),
            }
        },
    )
    last = logs.log_run(backing_off, "app", False)
    assert (last.container_id, last.finished_at, last.running) == ("c://1", T + 2, False)


def test_the_api_server_picks_the_container() -> None:
    two = pod()
    two["spec"]["containers"].append({"name": "side", "image": "x"})
    assert refusal(lambda: logs.chosen_container(two, "")) == (
        "a container name must be specified for pod web, choose one of: [app side]"
    )
    assert refusal(lambda: logs.chosen_container(two, "nope")) == (
        "container nope is not valid for pod web"
    )
    assert logs.chosen_container(pod(), "") == "app"


def test_options_tail_timestamps_and_limit_bytes() -> None:
    lines = [
        log_lines.Line(T + 0.5, "a"),
        log_lines.Line(T + 1.25, "b"),
        log_lines.Line(T + 2, "c"),
    ]
    assert logs.render(lines, logs.LogOptions(tail_lines=2), T + 3) == "b\nc\n"
    assert logs.render(lines, logs.LogOptions(tail_lines=1, timestamps=True), T + 3) == (
        "2023-11-14T22:13:22Z c\n"
    )
    assert logs.render(lines, logs.LogOptions(since_seconds=2), T + 3) == "b\nc\n"
    assert logs.render(lines, logs.LogOptions(limit_bytes=3), T + 3) == "a\nb"
    assert logs.rfc3339_nano(T + 0.25) == "2023-11-14T22:13:20.25Z"


def test_a_container_sees_its_config_map_as_it_was_when_it_started(
    api: Api, clock: FakeClock
) -> None:
    """A ConfigMap changed after the container started shows only in a later run."""
    api.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cfg", "namespace": "default"},
            "data": {"GREETING": "hello"},
        }
    )
    container = {
        "name": "app",
        "image": "busybox",
        "command": ["sh", "-c", "echo $GREETING"],
        "envFrom": [{"configMapRef": {"name": "cfg"}}],
    }
    created = api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [container], "nodeName": "node-1"},
        }
    )
    started = dict(created)
    started["status"] = {
        "containerStatuses": [
            {
                "name": "app",
                "image": "busybox",
                "imageID": "",
                "ready": True,
                "restartCount": 0,
                "containerID": "containerd://1",
                "state": {"running": {"startedAt": rfc3339(clock.now())}},
            }
        ]
    }
    api.update_status(started)
    cfg = api.get("ConfigMap", "default", "cfg")
    cfg["data"] = {"GREETING": "bonjour"}
    api.update(cfg)
    clock.advance(5)
    assert logs.pod_log(api, "default", "web", logs.LogOptions(), clock.now()) == "hello\n"
    other = dict(api.get("Pod", "default", "web"))
    other["status"]["containerStatuses"][0]["containerID"] = "containerd://2"
    api.update_status(other)
    assert logs.pod_log(api, "default", "web", logs.LogOptions(), clock.now()) == "bonjour\n"
