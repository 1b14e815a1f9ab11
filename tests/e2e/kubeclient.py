"""The official Python client (`kubernetes`) pointed at a running mkctl daemon: the one
place tests set up that HTTP client, so credentials are added here once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def kubernetes_client(home: Path) -> Any:
    """An `ApiClient` for the daemon that MKCTL_HOME `home` published; skips without the
    `kubernetes` package."""
    client = pytest.importorskip("kubernetes.client")
    served = json.loads((home / "apiserver.json").read_text())
    configuration = client.Configuration()
    configuration.host = served["url"]
    return client.ApiClient(configuration)
