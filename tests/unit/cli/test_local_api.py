"""The API in process names its writer when it is built: mkctl's CLI builds it as "kubectl"
(the product of the User-Agent the daemon records for mkctl's requests), and wrapping an API
in `LocalApi` leaves the writer it was built with alone."""

from __future__ import annotations

from pathlib import Path

from controlplane.bootstrap import open_api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from minikubectl.local_api import LocalApi

CONFIG_MAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "a", "namespace": "default"},
    "data": {"mode": "one"},
}


def managers(obj: Obj) -> list[str]:
    return [entry["manager"] for entry in obj["metadata"]["managedFields"]]


def test_local_api_keeps_the_writer_the_api_was_built_with(tmp_path: Path) -> None:
    api = open_api(f"sqlite:///{tmp_path / 'store.db'}", clock=FakeClock(), ids=SeededIds(1))
    LocalApi(api)
    assert api.field_manager == "mkctl"
    created = api.create(CONFIG_MAP)
    assert managers(created) == ["mkctl"]


def test_an_api_built_for_kubectl_records_it_and_bootstraps_as_the_cluster(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    api = open_api(url, clock=FakeClock(), ids=SeededIds(1), field_manager="kubectl")
    written = LocalApi(api).create(CONFIG_MAP)
    assert managers(written) == ["kubectl"]
    assert managers(api.get("Namespace", "", "default")) == ["mkctl"]
