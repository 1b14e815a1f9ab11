"""The mkctl kubeconfig: contexts and their namespace, minify, and what `view` shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from minikubectl import config
from minikubectl.commands.tree import use_color
from minikubectl.errors import CliError


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MKCTL_HOME", str(tmp_path))
    monkeypatch.delenv("MKCTL_STORE", raising=False)
    return tmp_path


def test_without_a_file_there_is_one_context_and_no_namespace(home: Path) -> None:
    doc = config.load()
    assert doc["current-context"] == "mkctl"
    assert doc["clusters"] == [
        {"name": "mkctl", "cluster": {"server": f"sqlite:///{home}/cluster.db"}}
    ]
    assert config.current_namespace() is None


def test_set_context_writes_the_namespace_and_an_empty_one_clears_it() -> None:
    doc, existed = config.set_context(config.load(), "mkctl", "shop")
    assert existed
    config.save(doc)
    assert config.current_namespace() == "shop"
    cleared, _ = config.set_context(config.load(), "mkctl", "")
    config.save(cleared)
    assert config.current_namespace() is None


def test_contexts_are_created_switched_and_minified() -> None:
    doc, existed = config.set_context(config.load(), "staging", "kube-system")
    assert not existed
    doc = config.use_context(doc, "staging")
    config.save(doc)
    assert config.current_namespace() == "kube-system"
    small = config.minify(config.load())
    assert [c["name"] for c in small["contexts"]] == ["staging"]
    assert small["clusters"] == [] and small["users"] == []  # staging names no cluster
    with pytest.raises(CliError, match='no context exists with the name: "prod"'):
        config.use_context(doc, "prod")


def test_a_password_in_the_store_url_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MKCTL_STORE", "postgresql://mk:s3cret@db:5432/mkctl")
    server = config.load()["clusters"][0]["cluster"]["server"]
    assert server == "postgresql://mk:REDACTED@db:5432/mkctl"


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert not use_color()
