"""`mkctl get` in list chunks, embedded: the store is read a chunk at a time, and the table
printer flushes after every 100th row of a chunk as kubectl's does (tablestream)."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import Any

import pytest
from golden_cluster import NOW, store
from printers_builders import pod

from controlplane.api.registry import kind_info
from controlplane.api.tables.table import as_table
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from minikubectl import app
from minikubectl.client import Client
from minikubectl.printers.tablestream import TableOptions, TableStream


def run_get(monkeypatch: pytest.MonkeyPatch, api: Api, *args: str) -> None:
    class EmbeddedClient(Client):
        served = None

        @cached_property
        def local(self) -> Any:
            return api

    monkeypatch.setattr("minikubectl.client.Client", EmbeddedClient)
    monkeypatch.setattr("minikubectl.commands.get.Client", EmbeddedClient)
    sys.argv = ["mkctl", "get", *args]
    with pytest.raises(SystemExit) as exited:
        app.main()
    assert exited.value.code in (0, None)


def test_embedded_get_reads_the_store_a_chunk_at_a_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four pods in chunks of 3: two reads of at most 4 keys (a chunk and a look-ahead), never
    the whole list; and the same table as one unchunked read prints."""
    api = Api(store(), FakeClock(NOW), SeededIds(1))
    run_get(monkeypatch, api, "pods", "-A", "--chunk-size=0")
    whole = capsys.readouterr().out
    reads: list[int] = []
    list_after = api.list_after

    def spy(kind: str, namespace: str | None, after: Any, limit: int) -> list[dict[str, Any]]:
        reads.append(limit)
        return list_after(kind, namespace, after, limit)

    def whole_list(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        raise AssertionError("the whole list was read")

    monkeypatch.setattr(api, "list_after", spy)
    monkeypatch.setattr(api, "list", whole_list)
    run_get(monkeypatch, api, "pods", "-A", "--chunk-size=3")
    assert capsys.readouterr().out == whole
    assert reads == [4, 4]


def chunk(names: list[str]) -> dict[str, Any]:
    return as_table("Pod", {"items": [pod(name) for name in names]}, NOW)


def test_the_tabwriter_is_flushed_every_100_rows_of_a_chunk() -> None:
    """Two chunks of 101 rows, the long name last in the second. The header and the first
    100 rows are written before the long name is seen; the 101st row waits for the next flush,
    and the second chunk's first row is padded to that chunk's widest name (printTable's
    pre-scan), so every row from the 101st on is aligned to the long name."""
    written: list[str] = []
    stream = TableStream(written.append, TableOptions())
    info = kind_info("Pod")
    stream.print_table(info, chunk([f"p{i:03}" for i in range(101)]))
    assert len(written) == 1
    stream.print_table(info, chunk([f"q{i:03}" for i in range(100)] + ["z-much-longer-name"]))
    stream.close()
    lines = "".join(written).splitlines()
    assert lines[0] == "NAME   READY   STATUS    RESTARTS   AGE"
    assert [line.index("1/1") for line in lines[1:]] == [7] * 100 + [21] * 102
    assert stream.written
