"""The robustness suites drive the real mkctl too: share the end-to-end fixture."""

from tests.e2e.conftest import mkctl

__all__ = ["mkctl"]
