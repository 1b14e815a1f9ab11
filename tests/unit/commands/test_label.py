"""`label`'s client-side rules, as kubectl's label.go has them."""

from __future__ import annotations

import pytest

from minikubectl.commands.label import change_message, parse_labels, split_pairs
from minikubectl.errors import CliError


def test_resources_come_before_the_changes() -> None:
    assert split_pairs(["node", "node-1", "a=b", "c-"]) == (["node", "node-1"], ["a=b", "c-"])
    with pytest.raises(CliError, match="all resources must be specified before label changes: x"):
        split_pairs(["node", "a=b", "x"])


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["a=b=c"], "invalid label spec: a=b=c"),
        (["a=b", "a-"], "can not both modify and remove a label in the same command"),
        (["a=-x"], 'invalid label value: "a=-x": a valid label must be an empty string'),
    ],
)
def test_bad_changes(pairs: list[str], message: str) -> None:
    with pytest.raises(CliError) as caught:
        parse_labels(pairs)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ({}, {"a": "1"}, "labeled"),
        ({"a": "1"}, {"a": "2"}, "labeled"),
        ({"a": "1"}, {}, "unlabeled"),
        ({"a": "1"}, {"b": "2"}, "label(s) changed"),
        ({"a": "1"}, {"a": "1"}, "not labeled"),
    ],
)
def test_change_messages(old: dict, new: dict, message: str) -> None:
    assert change_message(old, new) == message
