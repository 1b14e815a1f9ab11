"""`explain` text: golden files recorded from kubectl 1.37 explaining the same OpenAPI schemas
(served to it by a scratch API server), and the word wrapping kubectl uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlplane.api import openapi
from controlplane.api.registry import KINDS
from minikubectl.printers.explain import FieldMissing, explain, header, wrap

GOLDEN = Path(__file__).parent / "explain_golden"
ROOTS = {
    "deployment": ("apps", "Deployment"),
    "pod": ("", "Pod"),
    "node": ("", "Node"),
    "namespace": ("", "Namespace"),
}


def render(spec: str) -> str:
    """What `kubectl explain <spec>` prints (the type word, then field path, then flags)."""
    words, _, flags = spec.partition("--")
    word, *path = words.split(".")
    group, kind = ROOTS[word]
    root = openapi.root_for(group, kind, "v1")
    assert root is not None
    body = explain(openapi.schemas(), root, path, recursive=flags == "recursive")
    return header(group, kind, "v1") + body


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_explain_matches_kubectl(golden: Path) -> None:
    assert render(golden.stem) == golden.read_text()


def test_every_served_kind_has_a_schema() -> None:
    for info in KINDS:
        group, _, version = info.api_version.rpartition("/")
        assert openapi.root_for(group, info.kind, version), info.kind


def test_a_missing_field_is_named() -> None:
    root = openapi.root_for("apps", "Deployment", "v1")
    assert root
    with pytest.raises(FieldMissing, match=r'^field "nope" does not exist$'):
        explain(openapi.schemas(), root, ["spec", "nope"], recursive=False)
    with pytest.raises(FieldMissing, match=r'^field "x" does not exist$'):
        explain(openapi.schemas(), root, ["spec", "replicas", "x"], recursive=False)


def test_wrap_breaks_at_spaces_and_keeps_long_words_and_newlines() -> None:
    assert wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert wrap("see https://example.com/a/very/long/path now", 10) == (
        "see\nhttps://example.com/a/very/long/path\nnow"
    )
    assert wrap("one.  two\n\nthree", 80) == "one.  two\n\nthree"
