"""`get pods` over a daemon in list chunks: the same requests and the same bytes as kubectl 1.37.

The daemon holds 107 pods: `a`, 105 of the `web` Deployment and one with a long name that sorts
last. With `--chunk-size=101` the first chunk has more than the 100 rows after which kubectl's
table printer flushes its tabwriter, so its first 100 rows are aligned to the short names and
the rest to the long one: kubectl's output has two widths, and mkctl's must be the same bytes.
Only the AGE cells (last on each line here) are compared as AGE: the two runs are a moment apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.conftest import WebDaemon, ages_as_age, web_daemon

LONG = "zz-a-pod-with-a-much-longer-name-than-the-rest"
URL = re.compile(r'url="([^"]+)"')


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDaemon]:
    with web_daemon(tmp_path_factory, 105, pods=("a", LONG)) as daemon:
        yield daemon


@pytest.mark.parametrize(
    "args",
    [
        ("--chunk-size=101",),
        ("--chunk-size=101", "--no-headers"),
        ("--chunk-size=3",),
        ("--chunk-size=0",),
        (),
    ],
)
def test_mkctl_prints_each_chunk_as_kubectl_does(clients: WebDaemon, args: tuple[str, ...]) -> None:
    theirs = clients.kubectl("get", "pods", *args)
    ours = clients.mkctl("get", "pods", *args)
    assert (ours.code, ours.err) == (0, "")
    assert theirs.code == 0, theirs.err
    assert len(ours.out.splitlines()) == 107 + ("--no-headers" not in args)
    assert ages_as_age(ours.out) == ages_as_age(theirs.out)
    if args[:1] == ("--chunk-size=101",):  # the case is one: the first rows are narrower
        widths = {line.index("1/1") for line in theirs.out.splitlines() if "1/1" in line}
        assert len(widths) == 2


def list_requests(stderr: str) -> list[tuple[str, dict[str, str]]]:
    """The pod list requests a `-v=6` run logged: path and query, the continue token as `*`."""
    requests = []
    for url in URL.findall(stderr):
        parts = urlsplit(url)
        if parts.path.endswith("/pods"):
            query = dict(parse_qsl(parts.query))
            query.update({"continue": "*"} if "continue" in query else {})
            requests.append((parts.path, query))
    return requests


def test_mkctl_reads_the_list_a_chunk_at_a_time(clients: WebDaemon) -> None:
    """Three requests for 107 pods in chunks of 50: `limit`, then `continue` and `limit`."""
    args = ("get", "pods", "--chunk-size=50", "-l", "app", "-v=6")
    ours = clients.mkctl(*args)
    theirs = clients.kubectl(*args)
    path = "/api/v1/namespaces/default/pods"
    first = {"labelSelector": "app", "limit": "50"}
    assert list_requests(ours.err) == [
        (path, first),
        (path, {"continue": "*", **first}),
        (path, {"continue": "*", **first}),
    ]
    assert list_requests(ours.err) == list_requests(theirs.err)
