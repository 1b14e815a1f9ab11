"""Every command documents itself: a one-line summary and runnable examples in `--help`."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from minikubectl.app import build_command
from minikubectl.helptext import examples, walk

ROOT = build_command()
COMMANDS = [(path, command) for path, command in walk(ROOT) if path and not command.hidden]


def test_the_tree_has_every_verb() -> None:
    top = {path for path, _ in COMMANDS if " " not in path}
    assert {
        "apply",
        "create",
        "get",
        "delete",
        "config",
        "rollout",
        "set",
        "describe",
        "wait",
    } <= top


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_a_summary_and_examples(path: str, command: click.Command) -> None:
    help_text = command.help or ""
    summary = help_text.strip().splitlines()[0]
    assert summary and not summary.startswith("Examples"), path
    lines = examples(help_text)
    assert lines, f"{path} has no Examples: block"
    assert f"mkctl {path.split()[0]}" in lines[0], lines  # the first one runs the command


@pytest.mark.parametrize("path", ["get", "rollout", "config set-context"])
def test_examples_are_printed_one_per_line(path: str) -> None:
    result = CliRunner().invoke(ROOT, [*path.split(), "--help"])
    assert result.exit_code == 0
    shown = result.output.split("Examples:\n", 1)[1].split("\n\n")[0].splitlines()
    command = dict(walk(ROOT))[path]
    assert [line.strip() for line in shown] == examples(command.help or "")
    assert all(line.startswith("    mkctl ") for line in shown)
