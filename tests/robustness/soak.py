"""How long the robustness suites run: small in CI, long with `MKCTL_SOAK=1`.

The suites are marked `slow`; `.ci/run` runs them with the CI counts, and a soak run
(`MKCTL_SOAK=1 pytest -m slow`) with the long ones.
"""

from __future__ import annotations

import os


def scaled(ci: int, soak: int) -> int:
    """The CI count, or the soak count when MKCTL_SOAK is set."""
    return soak if os.environ.get("MKCTL_SOAK") else ci
