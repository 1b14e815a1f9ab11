"""A daemon for real clients: the official Python client (`kubernetes`) over its kubeconfig.

One daemon serves a module's tests; each test gets a namespace of its own, so the
scenarios cannot see each other's objects.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from kubernetes import client, config

from tests.e2e.conftest import Mkctl, make_mkctl

T = TypeVar("T")
_namespaces = itertools.count(1)


@dataclass
class Kube:
    """The typed APIs of the official client, and the namespace a test works in."""

    api_client: Any
    core: Any
    apps: Any
    namespace: str
    mkctl: Mkctl


@dataclass
class Served:
    home: Path
    mkctl: Mkctl
    kubeconfig: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("clients") / "home"
    mkctl = make_mkctl(home)
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    try:
        path = mkctl("cluster", "kubeconfig")
        assert path.code == 0, path.err
        yield Served(home, mkctl, Path(path.out.strip()))
    finally:
        mkctl("cluster", "stop")


@pytest.fixture
def kube(served: Served) -> Iterator[Kube]:
    api_client = config.new_client_from_config(config_file=str(served.kubeconfig))
    core = client.CoreV1Api(api_client)
    namespace = f"scenario-{next(_namespaces)}"
    core.create_namespace(client.V1Namespace.from_dict({"metadata": {"name": namespace}}))
    yield Kube(api_client, core, client.AppsV1Api(api_client), namespace, served.mkctl)
    api_client.close()


def eventually(check: Callable[[], T], seconds: float = 30.0) -> T:
    """Poll `check` until it returns something other than None or False (an empty list
    counts as an answer); the daemon runs at --speed 50."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {seconds} s: {check}")
        time.sleep(0.1)
