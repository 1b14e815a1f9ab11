"""Go's fmt verbs and sort, as kubectl's printers use them."""

from __future__ import annotations

import functools
import random

from minikubectl.printers import gosort
from minikubectl.printers.gofmt import decoded, go_quote, go_rune, go_syntax, sprint


def test_sprint_is_fmt_v() -> None:
    value = {"b": [1, 2.5, None], "a": {"x": True}, "c": "s"}
    assert sprint(value) == "map[a:map[x:true] b:[1 2.5 <nil>] c:s]"
    assert sprint(1e6) == "1e+06" and sprint(0.0001) == "0.0001" and sprint(1e-5) == "1e-05"


def test_go_syntax_is_fmt_sharp_v() -> None:
    assert go_syntax({"a": [1, "x\n"], "b": None}) == (
        'map[string]interface {}{"a":[]interface {}{1, "x\\n"}, "b":interface {}(nil)}'
    )
    assert go_quote('a"\\\x01é') == '"a\\"\\\\\\x01é"'
    assert go_rune("*") == "U+002A '*'" and go_rune("\t") == "U+0009"


def test_integral_floats_arrive_as_ints() -> None:
    assert decoded({"a": [2.0, 2.5, 1e21]}) == {"a": [2, 2.5, 1e21]}


def test_sort_agrees_with_a_correct_sort_on_distinct_keys() -> None:
    rng = random.Random(4)
    for size in (0, 1, 5, 12, 13, 49, 50, 200):
        items = rng.sample(range(1000), size)
        gosort.sort(items, lambda a, b: a < b)
        assert items == sorted(items)


def test_small_inputs_sort_stably_like_insertion_sort() -> None:
    items = [(k, i) for i, k in enumerate([3, 1, 3, 2, 1, 3, 2, 1, 2, 3, 1, 2])]
    gosort.sort(items, lambda a, b: a[0] < b[0])
    assert items == sorted(items, key=functools.cmp_to_key(lambda a, b: a[0] - b[0]))
