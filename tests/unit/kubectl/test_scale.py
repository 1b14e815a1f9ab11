"""kubectl's scaler: with a precondition, the Scale read is checked and put back with the
resourceVersion it was read at; a Conflict (a write in between) starts again from the read."""

from __future__ import annotations

import json

import pytest

from controlplane.api.errors import ApiError
from controlplane.models.constants import Obj
from minikubectl.errors import CliError
from minikubectl.kubectl import scale as scaler
from minikubectl.kubectl.scale import ScalePrecondition


class ScaleServer:
    """Answers the scaler's requests; the first `conflicts` PUTs find the Scale changed."""

    def __init__(self, replicas: int, version: str, conflicts: int = 0) -> None:
        self.scale: Obj = {
            "kind": "Scale",
            "metadata": {"name": "web", "resourceVersion": version},
            "spec": {"replicas": replicas},
        }
        self.conflicts = conflicts
        self.sent: list[tuple[str, Obj | None, bool]] = []

    def __call__(self, verb: str, body: bytes, dry_run: bool) -> Obj:
        self.sent.append((verb, json.loads(body) if body else None, dry_run))
        if verb == "PUT" and self.conflicts:
            self.conflicts -= 1
            version = int(self.scale["metadata"]["resourceVersion"]) + 1
            self.scale["metadata"]["resourceVersion"] = str(version)
            raise ApiError("Conflict", 409, "the object has been modified")
        if verb != "GET":
            self.scale["spec"]["replicas"] = (json.loads(body))["spec"]["replicas"]
        return json.loads(json.dumps(self.scale))


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(scaler, "sleep", waited.append)
    return waited


def test_without_a_precondition_one_merge_patch() -> None:
    server = ScaleServer(2, "7")
    assert scaler.scale(server, 5, False, None)["spec"]["replicas"] == 5
    assert server.sent == [("PATCH", {"spec": {"replicas": 5}}, False)]


def test_a_precondition_reads_checks_and_puts_the_scale_as_read() -> None:
    server = ScaleServer(2, "7")
    scaler.scale(server, 5, True, ScalePrecondition(2, "7"))
    put = {**server.scale, "metadata": {"name": "web", "resourceVersion": "7"}}
    assert server.sent == [("GET", None, False), ("PUT", put, True)]


def test_a_conflict_reads_again_a_second_later(no_waiting: list[float]) -> None:
    server = ScaleServer(2, "7", conflicts=2)
    assert scaler.scale(server, 5, False, ScalePrecondition(size=2))["spec"]["replicas"] == 5
    assert [verb for verb, _, _ in server.sent] == ["GET", "PUT"] * 3
    assert server.sent[-1][1]["metadata"]["resourceVersion"] == "9"  # type: ignore[index]
    assert no_waiting == [1.0, 1.0]


@pytest.mark.parametrize(
    ("precondition", "message"),
    [
        (ScalePrecondition(size=3), "Expected replicas to be 3, was 2"),
        (ScalePrecondition(resource_version="6"), "Expected resource version to be 6, was 7"),
        (ScalePrecondition(3, "6"), "Expected replicas to be 3, was 2"),  # size checked first
    ],
)
def test_a_precondition_that_does_not_hold_writes_nothing(
    precondition: ScalePrecondition, message: str
) -> None:
    server = ScaleServer(2, "7")
    with pytest.raises(CliError, match=f"^{message}$"):
        scaler.scale(server, 5, False, precondition)
    assert [verb for verb, _, _ in server.sent] == ["GET"]
