"""Where commands write: stdout exactly as given, stderr a line at a time.

Apart from the shared options (`options.py`) because those import Typer, and `get_run`, which
`minikubectl.fast_get` runs without it, writes here too.
"""

from __future__ import annotations

import sys


def out(text: str) -> None:
    """Write to stdout exactly as given (kubectl output is byte-stable)."""
    sys.stdout.write(text)


def err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
