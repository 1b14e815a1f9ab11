"""`get -w` beside real kubectl 1.37, both watching one daemon at once: the same lines for a
named object (its own changes only), `--watch-only`, `--field-selector`, `-o name`,
`-o yaml --output-watch-events`, a table's `--output-watch-events --show-kind` (EVENT cells
as wide as MODIFIED, NAME as pod/beta), and the same refusal for two names. kubectl's
`(*GetOptions).watch` (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go) lists first, then
watches from the list's resourceVersion (or, for one object, from 0, dropping the first
event); mkctl does the same, so a learner's namespace refusal names `list`, as kubectl's.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.clients.conftest import Served, eventually
from tests.e2e.clients.tools import kubectl_binary
from tests.e2e.conftest import REPO, make_mkctl, mkctl_command

NAMESPACE = "watching"


@dataclass
class Watcher:
    """A `get -w` in a subprocess of its own, its stdout lines gathered as they come."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, argv: list[str], env: dict[str, str]) -> Watcher:
        process = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        watcher = cls(process)
        stdout = process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: [watcher.lines.put(x) for x in stdout], daemon=True).start()
        return watcher

    def printed(self) -> list[str]:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(10)


@dataclass(frozen=True)
class Tools:
    kubectl: list[str]
    mkctl: list[str]
    env: dict[str, str]
    pods: tuple[str, str]

    def label(self, value: int) -> None:
        subprocess.run(
            [
                *self.mkctl,
                "-n",
                NAMESPACE,
                "label",
                "pods",
                *self.pods,
                f"poke={value}",
                "--overwrite",
            ],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            check=True,
            timeout=60,
        )


@pytest.fixture(scope="module")
def tools(served: Served, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tools]:
    served.mkctl("create", "namespace", NAMESPACE)
    for name in ("alpha", "beta"):
        made = served.mkctl("run", name, "--image=nginx:1.25", "-n", NAMESPACE)
        assert made.code == 0, made.err
    ready = served.mkctl("wait", "--for=condition=Ready", "pod/alpha", "pod/beta", "-n", NAMESPACE)
    assert ready.code == 0, ready.err
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MKCTL_", "KUBE"))}
    env.update(
        MKCTL_HOME=str(served.home),
        KUBECONFIG=str(served.kubeconfig),
        HOME=str(tmp_path_factory.mktemp("kubectl-home")),
    )
    yield Tools([str(kubectl_binary())], mkctl_command(), env, ("alpha", "beta"))
    served.mkctl("delete", "namespace", NAMESPACE, "--wait=false")


def comparable(lines: list[str]) -> list[str]:
    """Lines with the AGE cell (the last of a pod row) and label values left out: each tool
    printed at its own moment."""
    return [re.sub(r"\s+\d+[smhd]\S*$|poke: \"\d+\"", "", line.rstrip()) for line in lines]


WATCHES = [
    # (arguments after `-n watching`, the lines both print, lines that must not appear)
    (("get", "pod", "alpha", "-w"), 3, "beta"),
    (("get", "pod", "alpha", "-w", "--watch-only"), 2, "beta"),
    (("get", "pods", "-w", "--field-selector", "metadata.name=beta"), 3, "alpha"),
    # Each poke labels alpha then beta: a watch opened between the two sees beta first.
    (("get", "pods", "-o", "name", "-w"), 4, None),
    (("get", "pod", "alpha", "-w", "-o", "yaml", "--output-watch-events"), None, "beta"),
    (
        (
            "get",
            "pods",
            "-w",
            "--show-kind",
            "--output-watch-events",
            "--field-selector",
            "metadata.name=beta",
        ),
        3,
        "alpha",
    ),
]


@pytest.mark.parametrize(("args", "count", "absent"), WATCHES, ids=lambda a: str(a))
def test_get_watch_prints_what_kubectl_prints(
    tools: Tools, args: tuple[str, ...], count: int | None, absent: str | None
) -> None:
    argv = ["-n", NAMESPACE, *args]
    watchers = [Watcher.start([*tool, *argv], tools.env) for tool in (tools.kubectl, tools.mkctl)]
    pokes = iter(range(1, 10_000))

    def enough() -> bool:
        """Both have printed `count` lines (YAML: two whole events), changing the pods until
        they have: a watch cannot say when it is open."""
        tools.label(next(pokes))
        time.sleep(0.3)
        printed = [w.printed() for w in watchers]
        if count is None:
            return all(sum(line.startswith("type: ") for line in p) >= 2 for p in printed)
        return all(len(p) >= count for p in printed)

    try:
        eventually(enough, seconds=60)
    finally:
        for watcher in watchers:
            watcher.stop()
    kubectl, mkctl = (w.printed() for w in watchers)
    if count is None:  # documents: their top-level lines, up to the second event's type
        kubectl, mkctl = (
            [line for line in p if not line.startswith(" ")][:5] for p in (kubectl, mkctl)
        )
        assert kubectl == ["object:\n", "type: ADDED\n", "---\n", "object:\n", "type: MODIFIED\n"]
    elif "name" in args:
        kubectl, mkctl = sorted(kubectl[:count]), sorted(mkctl[:count])
    else:
        kubectl, mkctl = kubectl[:count], mkctl[:count]
    assert comparable(mkctl) == comparable(kubectl)
    if absent is not None:
        assert not any(absent in line for line in kubectl + mkctl)


def test_two_names_print_then_refuse_to_watch_as_kubectl_does(tools: Tools) -> None:
    argv = ["-n", NAMESPACE, "get", "pod", "alpha", "beta", "-w"]
    answers = [
        subprocess.run([*tool, *argv], cwd=REPO, env=tools.env, capture_output=True, text=True)
        for tool in (tools.kubectl, tools.mkctl)
    ]
    kubectl, mkctl = ((a.returncode, comparable(a.stdout.splitlines()), a.stderr) for a in answers)
    assert kubectl[0] == 1 and len(kubectl[1]) == 3
    assert (
        kubectl[2] == "error: you may only watch a single resource or type of resource at a time\n"
    )
    assert mkctl == kubectl


def test_without_a_daemon_a_named_watch_prints_only_that_object(tmp_path: Path) -> None:
    mkctl = make_mkctl(tmp_path / "home")
    for name in ("alpha", "beta"):
        assert mkctl("run", name, "--image=nginx:1.25").code == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(tmp_path / "home")
    watcher = Watcher.start([*mkctl_command(), "get", "pod", "alpha", "-w"], env)
    pokes = iter(range(1, 10_000))

    def changed() -> bool:
        mkctl("label", "pods", "alpha", "beta", f"poke={next(pokes)}", "--overwrite")
        return len(watcher.printed()) >= 3

    try:
        eventually(changed, seconds=60)
    finally:
        watcher.stop()
    lines = watcher.printed()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [line.split()[0] for line in lines[1:]] == ["alpha"] * (len(lines) - 1)
