"""mkctl refuses, in words, a platform whose process model it does not support."""

from __future__ import annotations

import sys

import pytest

from minikubectl import app


def test_windows_is_refused_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "argv", ["mkctl", "cluster", "stop"])
    with pytest.raises(SystemExit) as stopped:
        app.main()
    assert stopped.value.code == 1
    assert capsys.readouterr().err == app.UNSUPPORTED_PLATFORM + "\n"
