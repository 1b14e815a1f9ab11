"""Plugins: `mkctl-*` executables on PATH run as mkctl commands, and `plugin list`, with
kubectl's rules (longest name first, dashes as underscores, built-in commands win)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.conftest import Mkctl


def plugin(directory: Path, name: str, *, executable: bool = True) -> Path:
    """A shell plugin that prints its name and its arguments, one per line."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f'#!/bin/sh\necho "{name}"\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    path.chmod(0o755 if executable else 0o644)
    return path


def test_plugins_run_with_their_arguments(mkctl: Mkctl, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    plugin(first, "mkctl-foo")
    plugin(first, "mkctl-foo-bar")
    plugin(first, "mkctl-my_tool")
    plugin(second, "mkctl-get")
    path = {"PATH": f"{first}{os.pathsep}{second}{os.pathsep}{os.environ['PATH']}"}

    foo = mkctl("foo", "baz", "--flag=1", "-n", "x", env=path)
    assert (foo.code, foo.out) == (0, "mkctl-foo\nbaz\n--flag=1\n-n\nx\n")
    longest = mkctl("foo", "bar", "qux", "--", "a b", env=path)
    assert longest.out == "mkctl-foo-bar\nqux\n--\na b\n"
    assert mkctl("my-tool", env=path).out == "mkctl-my_tool\n"
    # a built-in command always wins over a plugin of its name
    builtin = mkctl("get", "pods", env=path)
    assert builtin.err == "No resources found in default namespace.\n"
    refused = mkctl("-n", "x", "foo", env=path)
    assert (refused.code, refused.err) == (
        1,
        "Error: flags cannot be placed before plugin name: -n\n",
    )
    unknown = mkctl("nosuchplugin", env=path)
    assert (unknown.code, unknown.err) == (1, 'error: unknown command "nosuchplugin" for "mkctl"\n')


def test_plugin_list_and_its_warnings(mkctl: Mkctl, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    plugin(first, "mkctl-foo")
    plugin(second, "mkctl-foo")
    plugin(second, "mkctl-rollout-now")
    plugin(second, "mkctl-stale", executable=False)
    (second / "not-a-plugin").write_text("")
    missing = tmp_path / "missing"
    path = {"PATH": os.pathsep.join(map(str, (first, second, missing, first)))}

    listed = mkctl("plugin", "list", env=path)
    assert listed.code == 1
    assert listed.out == (
        "The following compatible plugins are available:\n\n"
        f"{first}/mkctl-foo\n{second}/mkctl-foo\n{second}/mkctl-rollout-now\n"
        f"{second}/mkctl-stale\n"
    )
    assert listed.err == (
        f'Unable to read directory "{missing}" from your PATH: open {missing}: no such file or '
        "directory. Skipping...\n"
        f"  - warning: {second}/mkctl-foo is overshadowed by a similarly named plugin: "
        f"{first}/mkctl-foo\n"
        '  - warning: mkctl-rollout-now overwrites existing command: "mkctl rollout"\n'
        f"  - warning: {second}/mkctl-stale identified as a mkctl plugin, but it is not "
        "executable\n"
        "error: 3 plugin warnings were found\n"
    )
    names = mkctl("plugin", "list", "--name-only", env={"PATH": str(first)})
    assert (names.code, names.out, names.err) == (
        0,
        "The following compatible plugins are available:\n\nmkctl-foo\n",
        "",
    )
    none = mkctl("plugin", "list", env={"PATH": str(tmp_path)})
    assert (none.code, none.err) == (1, "error: unable to find any mkctl plugins in your PATH\n")


def test_create_takes_plugins_for_subcommands_it_lacks(mkctl: Mkctl, tmp_path: Path) -> None:
    plugin(tmp_path, "mkctl-create-foo")
    plugin(tmp_path, "mkctl-create")
    path = {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    foo = mkctl("create", "foo", "--size=2", env=path)
    assert (foo.code, foo.out) == (0, "mkctl-create-foo\n--size=2\n")
    builtin = mkctl("create", "namespace", "team", "--dry-run=client", env=path)
    assert builtin.out == "namespace/team created (dry run)\n"
    # mkctl-create never stands for a create subcommand
    unknown = mkctl("create", "bar", env=path)
    assert (unknown.code, unknown.err) == (1, 'error: unknown command "bar" for "mkctl create"\n')
