"""pytest fixtures for projects that test against mkctl's fake cluster (docs/testing.md).

Registered with the `pytest11` entry point, so installing minikubectl makes them available
in every project's tests. pytest imports this module at start-up in every such project, so
it imports nothing of mkctl until a test asks for a fixture.

- `mkctl_cluster`: a `FakeCluster`, in process, on a fake clock (`advance(seconds)`).
- `mkctl_api_server`: an `ApiServer`, a daemon serving the Kubernetes API on a free
  loopback port with its own MKCTL_HOME, stopped after the test; its speed is the
  `mkctl_api_server_speed` fixture's (override it to change it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from minikubectl.testing import ApiServer, FakeCluster


@pytest.fixture
def mkctl_cluster() -> Iterator[FakeCluster]:
    """A fresh in-process cluster (three Ready nodes, namespace `default`) per test."""
    from minikubectl.testing import FakeCluster

    with FakeCluster() as cluster:
        yield cluster


@pytest.fixture
def mkctl_api_server_speed() -> float:
    """How much faster than a small real cluster the daemon's pods start (10 by default)."""
    from minikubectl.testing.api_server import TEST_SPEED

    return TEST_SPEED


@pytest.fixture
def mkctl_api_server(
    tmp_path_factory: pytest.TempPathFactory, mkctl_api_server_speed: float
) -> Iterator[ApiServer]:
    """A running mkctl daemon for this test; `.kubeconfig`, `.url`, `.token`, `.env`."""
    from minikubectl.testing import api_server

    with api_server(tmp_path_factory.mktemp("mkctl"), speed=mkctl_api_server_speed) as server:
        yield server
