"""How label and annotate read their arguments, and what label says it did (label.go)."""

from __future__ import annotations

import pytest

from minikubectl.commands.label import (
    _annotation_conflicts,
    _label_conflicts,
    _label_verb,
    parse_annotations,
    parse_labels,
    split_pairs,
)
from minikubectl.errors import CliError


def test_resources_come_before_pairs() -> None:
    assert split_pairs(["pod", "web", "a=b", "c-"], "label") == (["pod", "web"], ["a=b", "c-"])
    assert split_pairs(["pod/web", "-"], "label") == (["pod/web", "-"], [])
    with pytest.raises(
        CliError, match=r"^all resources must be specified before label changes: x$"
    ):
        split_pairs(["pod", "a=b", "x"], "label")


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["a=b=c"], "invalid label spec: a=b=c"),
        (["a=b", "a-"], "can not both modify and remove a label in the same command"),
        (["a=b c"], 'invalid label value: "a=b c": a valid label must be an empty string'),
    ],
)
def test_bad_label_pairs(pairs: list[str], message: str) -> None:
    with pytest.raises(CliError) as caught:
        parse_labels(pairs)
    assert caught.value.message.startswith(message)


def test_labels_and_removals() -> None:
    assert parse_labels(["a=1", "b=", "c-"]) == ({"a": "1", "b": ""}, ["c"])


def test_annotations_keep_everything_after_the_first_equals() -> None:
    assert parse_annotations(["a=b=c", "d-"]) == ({"a": "b=c"}, ["d"])
    with pytest.raises(CliError, match=r"^invalid annotation format: =x, -$"):
        parse_annotations(["=x", "-"])
    with pytest.raises(CliError, match=r"in the same command: a$"):
        parse_annotations(["a=1", "a-"])


@pytest.mark.parametrize(
    ("old", "new", "verb"),
    [
        ({"a": "1"}, {"a": "1"}, "not labeled"),
        ({"a": "1"}, {"a": "2"}, "labeled"),
        ({}, {"b": "1"}, "labeled"),
        ({"a": "1"}, {}, "unlabeled"),
        ({"a": "1"}, {"b": "1"}, "modified"),
    ],
)
def test_label_verb(old: dict[str, str], new: dict[str, str], verb: str) -> None:
    assert _label_verb(old, new) == verb


def test_overwrite_conflicts_ignore_unchanged_values() -> None:
    current = {"a": "1", "b": "2", "kubernetes.io/change-cause": "x"}
    assert _label_conflicts(current, {"a": "1", "b": "3", "c": "4"}) == [
        "'b' already has a value (2), and --overwrite is false"
    ]
    assert _annotation_conflicts(
        current, {"b": "3", "a": "9", "kubernetes.io/change-cause": "y"}
    ) == [
        "--overwrite is false but found the following declared annotation(s): "
        "'a' already has a value (1); 'b' already has a value (2)"
    ]
