"""`cluster status` prints where the store is, never a server's password."""

from __future__ import annotations

import pytest

from minikubectl.daemon_control import store_location


def test_a_server_password_prints_as_stars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MKCTL_STORE", "postgresql://mkctl:s3cret@127.0.0.1:5432/mkctl")
    assert store_location() == "postgresql://mkctl:***@127.0.0.1:5432/mkctl"
