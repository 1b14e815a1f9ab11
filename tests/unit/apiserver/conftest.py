"""A real `ApiServer` on a loopback port over a small store, for the HTTP tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.api.verbs import Api
from controlplane.apiserver.http import ApiServer
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store
from tests.clients import TEST_TOKEN


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Api, ApiServer]]:
    """The store's own API (two pods, a and b, in `default`) and a server over it."""
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    api = Api(Store(url), FakeClock(), SeededIds(1))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    for name, app in (("a", "web"), ("b", "db")):
        api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            }
        )
    server = ApiServer(Api(Store(url), FakeClock(), SeededIds(2)), TEST_TOKEN)
    server.serve_in_background()
    yield api, server
    server.shutdown()
    server.server_close()
