"""The progress display of long work (embedded commands that settle, `wait` on a daemon): on a
terminal (a pty), and never on a pipe, with -o, NO_COLOR or TERM=dumb, where the output stays
byte for byte kubectl's.

The terminal test is marked slow: `.ci/run` applies 500 replicas (about 2 s of settling on a
quiet 2-core machine, four times the display's delay) then scales up five times by 300;
`MKCTL_SOAK=1` applies 5,000.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, WEB_DEPLOYMENT, mkctl_command, mkctl_importing
from tests.robustness.soak import scaled

REPLICAS = scaled(500, 5_000)
STEP = 300  # each later command scales up by this many: long enough for the display
NODES = (REPLICAS + 5 * STEP) // 100 + 1  # each node takes 110 pods: all of them Running
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal_environment(home: Path, **env: str | None) -> dict[str, str]:
    """The user's environment over `home`, on an xterm, colours allowed, with `env` on top."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    base.pop("NO_COLOR", None)
    variables = {**base, "MKCTL_HOME": str(home), "TERM": "xterm-256color", **env}
    return {k: v for k, v in variables.items() if v is not None}


def run(home: Path, *args: str, terminal: bool, **env: str | None) -> str:
    """The real mkctl's stdout, with stdout on a 40x120 pty (`terminal`) or a pipe."""
    environment = terminal_environment(home, **env)
    if not terminal:
        done = subprocess.run(
            [*mkctl_command(), *args], cwd=REPO, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout
    return OnTerminal(args, environment).finish()


class OnTerminal:
    """The real mkctl running with its stdout on a 40x120 pty, read as it goes."""

    def __init__(self, args: tuple[str, ...], environment: dict[str, str]) -> None:
        self.primary, secondary = os.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            [*mkctl_command(), *args],
            cwd=REPO,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
        )
        os.close(secondary)
        self.chunks: list[bytes] = []

    def read(self) -> bool:
        """Read what the command printed next; False once it has closed the terminal."""
        try:
            chunk = os.read(self.primary, 65536)
        except OSError:  # EIO: the child closed its end
            return False
        self.chunks.append(chunk)
        return bool(chunk)

    def read_until(self, pattern: str) -> None:
        """Read until the text shown so far, escapes aside, matches `pattern`."""
        while not re.search(pattern, ESCAPES.sub("", b"".join(self.chunks).decode())):
            assert self.read(), b"".join(self.chunks).decode()[-500:]

    def finish(self) -> str:
        """Everything the command printed, once it has exited successfully."""
        while self.read():
            pass
        os.close(self.primary)
        stderr = self.process.stderr.read() if self.process.stderr else ""
        assert self.process.wait(timeout=300) == 0, stderr
        return b"".join(self.chunks).decode()


@pytest.mark.slow
def test_a_long_apply_shows_progress_on_a_terminal_and_nothing_else_anywhere_else(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=REPLICAS, image="nginx:1.14.2"))

    run(home, "cluster", "reset", "--yes", "--nodes", str(NODES), terminal=False)
    shown = run(home, "apply", "-f", str(manifest), terminal=True)
    frames = ESCAPES.sub("", shown)
    counts = [int(n) for n in re.findall(rf"(\d+)/{REPLICAS} pods Running", frames)]
    assert counts, shown[-500:]
    assert "deployment.apps/web ━" in frames  # the owner, then its bar
    assert all(0 <= n <= REPLICAS for n in counts)
    assert "\x1b[?25l" in shown and "\x1b[?25h" in shown  # rich hid the cursor, then gave it back
    # the display is erased, and the usual line ends the output
    assert shown.endswith("\x1b[2Kdeployment.apps/web created\r\n")

    replicas = REPLICAS + STEP  # a scale as long as the ones below shows it too
    scaled_up = run(home, "scale", "deployment", "web", f"--replicas={replicas}", terminal=True)
    assert f"/{replicas} pods Running" in ESCAPES.sub("", scaled_up)
    assert scaled_up.endswith("\x1b[2Kdeployment.apps/web scaled\r\n")
    for args, env, terminal, expected in [
        ((), {}, False, "deployment.apps/web scaled\n"),
        ((), {"NO_COLOR": "1"}, True, "deployment.apps/web scaled\r\n"),
        ((), {"TERM": "dumb"}, True, "deployment.apps/web scaled\r\n"),
        (("-o", "name"), {}, True, "deployment.apps/web\r\n"),
    ]:
        replicas += STEP
        scale = ("scale", "deployment", "web", f"--replicas={replicas}", *args)
        assert run(home, *scale, terminal=terminal, **env) == expected, (args, env)
    assert run(home, "get", "deployment", "web", "-o", "name", terminal=False) == (
        "deployment.apps/web\n"
    )
    ready = run(home, "get", "deployment", "web", terminal=False).splitlines()[1].split()[1]
    assert ready == f"{replicas}/{replicas}"


def test_a_command_off_a_terminal_never_imports_rich(tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2"))
    printed, modules = mkctl_importing(tmp_path / "home", "apply", "-f", str(manifest))
    assert printed == ["deployment.apps/web created"]
    assert "minikubectl.progress" in modules  # the settle asked, and was told no
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}


def test_waiting_on_the_daemon_shows_the_ready_pods_on_a_terminal_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run(home, "cluster", "start", "--speed", "2", terminal=False)
    try:
        create = ("create", "deployment", "web", "--image=nginx", "--replicas=100")
        until = ("--for=condition=Available", "--timeout=120s")
        nodes = run(home, "get", "nodes", "-o", "name", terminal=False).split()
        run(home, "cordon", *nodes, terminal=False)  # Pending until the wait shows them
        run(home, *create, terminal=False)
        waiting = OnTerminal(("wait", *until, "deployment/web"), terminal_environment(home))
        waiting.read_until(r"0/100 pods ready")
        run(home, "uncordon", *nodes, terminal=False)
        shown = waiting.finish()
        assert re.search(r"\d+/100 pods ready", ESCAPES.sub("", shown)), shown[-500:]
        assert "deployment.apps/web condition met\r\n" in shown
        assert shown.endswith("\x1b[2K")  # the display erased, the usual line left above it
        run(home, "delete", "deployment", "web", terminal=False)
        run(home, *create, terminal=False)  # as long a wait again, now on a pipe
        piped = run(home, "wait", *until, "deployment/web", terminal=False)
        assert piped == "deployment.apps/web condition met\n"
    finally:
        run(home, "cluster", "stop", terminal=False)
