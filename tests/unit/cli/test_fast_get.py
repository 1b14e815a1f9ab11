"""`minikubectl.fast_get`: the command lines it reads mean what they mean to click, print the
same output and errors as through Typer, and every other command line is left to Typer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click
import pytest

from controlplane.clock import SystemClock
from minikubectl import app, fast_get

READ = [
    ["get", "pods"],
    ["get", "pods", "-n", "kube-system"],
    ["get", "deploy,rs,pods", "-o", "wide", "--namespace", "default"],
    ["get", "pods", "--namespace=kube-system", "-A"],
    ["get", "pod", "hello", "missing", "-o", "name"],
    ["get", "pods", "-l", "app=web", "--show-labels", "--no-headers"],
    ["get", "pods", "--selector=app", "--no-all-namespaces", "--headers", "--no-show-labels"],
    ["get", "-o", "yaml", "pod/hello"],
    ["get", "--all-namespaces", "-o", "json", "nodes"],
    ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
    ["get", "pods", "-o", "custom-columns=NAME:.metadata.name"],
    ["get", "pods,pods", "--show-kind", "--no-headers"],
    ["get", "pod", "hello", "--show-kind=true", "-o", "wide"],
]
# Each of these is left to Typer: help, usage errors, and the flags fast_get does not read.
LEFT = [
    ["get", "pods", "-h"],
    ["get", "pods", "--help"],
    ["get", "pods", "-w"],
    ["get", "pods", "-nkube-system"],
    ["get", "pods", "-n"],
    ["get", "pods", "-n", "-A"],
    ["get", "pods", "--namespace="],
    ["get", "pods", "-A", "-A"],
    ["get", "pods", "-A", "--all-namespaces"],
    ["get", "pods", "-n", "a", "--namespace", "b"],
    ["get", "pods", "-Ao", "wide"],
    ["get", "--", "pods"],
    ["get", "pods", "-L", "app"],
    ["get", "pods", "--sort-by", ".metadata.name"],
    ["get", "-f", "pod.yaml"],
    ["get", "pods", "--context", "other"],
    ["get", "pods", "-v", "6"],
    ["get", "pods", "--bogus"],
    ["-n", "kube-system", "get", "pods"],
    ["describe", "pods"],
    [],
]


def click_params(args: list[str]) -> dict[str, Any]:
    """The values click gives `get`'s parameters for `args`."""
    root = app.build_command(args)
    assert isinstance(root, click.Group)
    with root.make_context("mkctl", ["get"]) as ctx:
        command = root.get_command(ctx, "get")
        assert command is not None
        with command.make_context("get", args[1:], parent=ctx) as sub:
            return dict(sub.params)


@pytest.mark.parametrize("args", READ, ids=" ".join)
def test_a_command_line_read_gives_get_what_click_gives_it(args: list[str]) -> None:
    line = fast_get.parse(app.normalize_args(args))
    assert line is not None
    params = click_params(app.normalize_args(args))
    for name, value in line._asdict().items():
        given = params[name]
        if name == "resources":
            given = list(given or [])
        elif name == "output":
            given = given or ""
        assert value == given, name
    # what fast_get never sets keeps click's default (Typer makes empty tuples None)
    assert not params["filename"] and params["sort_by"] is None
    assert not params["label_columns"] and params["field_selector"] is None
    assert not params["watch"] and not params["watch_only"]


@pytest.mark.parametrize("args", LEFT, ids=" ".join)
def test_every_other_command_line_is_left_to_typer(args: list[str]) -> None:
    assert fast_get.parse(app.normalize_args(args)) is None


def test_equals_spellings_are_read_once_normalized() -> None:
    line = fast_get.parse(app.normalize_args(["get", "pods", "-o=wide", "--show-labels=true"]))
    assert line == fast_get.GetLine(resources=["pods"], output="wide", show_labels=True)


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An embedded store with one pod, `hello`."""
    monkeypatch.setenv("MKCTL_HOME", str(tmp_path))
    monkeypatch.delenv("MKCTL_STORE", raising=False)
    monkeypatch.delenv(app.COMPLETE_VAR, raising=False)
    samples = Path(__file__).parents[3] / "samples"
    assert app.run(["apply", "-f", str(samples / "01-pod.yaml")]) == 0


SHOWN = [
    *READ,
    ["get", "pods", "-o", "bogus"],
    ["get", "pods", "-o", "json", "--show-labels"],
    ["get", "nosuchtype"],
    ["get"],
    ["get", "pods,deploy", "hello"],
    ["get", "pods", "-n", "nowhere"],
    ["get", "pods", "-l", "a=="],
    ["get", "pods", "-o", "jsonpath={.items[*"],
]


def test_output_errors_and_exit_codes_are_typers(
    cluster: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = time.time()  # both runs of a command line print the same AGE
    monkeypatch.setattr(SystemClock, "now", lambda self: stopped)
    capsys.readouterr()
    for args in SHOWN:
        normalized = app.normalize_args(args)
        assert fast_get.parse(normalized) is not None, args
        shown = []
        for run in (app.run, app.run_click):
            try:
                code = run(list(args))
            except Exception as exc:  # rendered by main, the same for both
                code = f"{type(exc).__name__}: {exc}"
            shown.append((code, *capsys.readouterr()))
        assert shown[0] == shown[1], args
        assert any(shown[0]), args  # each prints something, or fails
