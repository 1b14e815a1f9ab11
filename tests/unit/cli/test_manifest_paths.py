"""`-f` paths that exist but cannot be read fail as kubectl's, in one line (the e2e table in
tests/e2e/test_hostile_environment.py runs as root, which reads any file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from minikubectl.errors import CliError
from minikubectl.manifests import read_manifests


def test_an_unreadable_manifest_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\n")

    def refuse(_self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(CliError) as refused:
        read_manifests([str(manifest)])
    assert refused.value.render() == f"error: open {manifest}: permission denied"
