"""`mkctl get` against kubectl 1.37, byte for byte, for every output format of every kind.

`data/get_kubectl.json` is what the real kubectl printed for the `get` command lines of
`data/record_get.py` over the golden cluster (tables and `-o wide` per kind, multi-kind tables,
`--show-labels`, `-L`, `--no-headers`, names, JSON, YAML, JSONPath, custom columns, `--sort-by`,
selectors and their errors, lists read in small chunks with `--chunk-size`). Here mkctl's own
`main()` runs the same command lines over the same objects, at the same fixed time (the API
server's clock, which computes the Tables' ages), and must print the same stdout, stderr and
exit code.
"""

from __future__ import annotations

import json
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from golden_cluster import NOW, store

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from minikubectl import app
from minikubectl.client import Client

DATA = Path(__file__).parent / "data"
RECORDED = json.loads((DATA / "get_kubectl.json").read_text())
# What mkctl deliberately prints differently (the Go template formats it does not offer).
OFFERED = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
)
MKCTL_OFFERS = (
    "custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml"
)


@pytest.fixture
def golden(monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api(store(), FakeClock(NOW), SeededIds(1))

    class GoldenClient(Client):
        served = None  # embedded: the in-process API serves reads and Tables

        @cached_property
        def local(self) -> Any:
            return api

    # ages: the API's clock; `get` through Typer, and the command lines fast_get reads
    monkeypatch.setattr("minikubectl.commands.get.Client", GoldenClient)
    monkeypatch.setattr("minikubectl.client.Client", GoldenClient)
    monkeypatch.chdir(DATA)


def run_mkctl(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    sys.argv = ["mkctl", *args]
    with pytest.raises(SystemExit) as exited:
        app.main()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize(
    "case", RECORDED["cases"], ids=[" ".join(c["args"]) for c in RECORDED["cases"]]
)
@pytest.mark.usefixtures("golden")
def test_get_prints_what_kubectl_prints(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (case["code"], case["stdout"], case["stderr"].replace(OFFERED, MKCTL_OFFERS))
    assert run_mkctl(case["args"], capsys) == expected


def test_recording_covers_every_kind_and_format() -> None:
    """The recorded command lines reach every kind with a table, wide and machine format."""
    lines = [" ".join(c["args"]) for c in RECORDED["cases"]]
    for kind in ("pods", "rs", "deploy", "nodes", "ns", "events"):
        assert any(
            line.startswith(f"get {kind} -o wide") or line == f"get {kind}" for line in lines
        )
    for fmt in (
        "wide",
        "name",
        "json",
        "yaml",
        "jsonpath=",
        "jsonpath-as-json=",
        "jsonpath-file=",
        "custom-columns=",
        "custom-columns-file=",
        "--sort-by",
        "--show-labels",
        "-L",
        "--no-headers",
        "-l",
        "--field-selector",
    ):
        assert any(fmt in line for line in lines), fmt
    assert any(c["args"][1] == "deploy,rs,pods" for c in RECORDED["cases"])
