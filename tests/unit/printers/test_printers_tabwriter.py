"""Go text/tabwriter semantics, as kubectl's tables and describe pages depend on them."""

from __future__ import annotations

import pytest

from minikubectl.printers.tabwriter import describe_table, get_table, tabwrite


def test_get_table_pads_to_longest_cell_plus_three() -> None:
    text = (
        "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n"
        "nginx-7c5ddbdf54-2xkzq\t1/1\tRunning\t0\t5m2s\n"
        "nginx-7c5ddbdf54-q8ztw\t0/1\tPending\t0\t3s\n"
    )
    assert get_table(text) == (
        "NAME                     READY   STATUS    RESTARTS   AGE\n"
        "nginx-7c5ddbdf54-2xkzq   1/1     Running   0          5m2s\n"
        "nginx-7c5ddbdf54-q8ztw   0/1     Pending   0          3s\n"
    )


def test_minwidth_applies_to_short_columns() -> None:
    assert get_table("A\tB\nx\ty\n") == "A     B\nx     y\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a\tb\nccc\td\n", "a    b\nccc  d\n", id="one-block"),
        pytest.param(
            "Name:\tx\nPod Template:\n  Labels:\tapp=web\n",
            "Name:  x\nPod Template:\n  Labels:  app=web\n",
            id="line-without-tab-ends-the-block",
        ),
        pytest.param("IP:\t\nIPs:\t<none>\n", "IP:   \nIPs:  <none>\n", id="empty-last-cell"),
        pytest.param(
            "Labels:\tapp=web\n\tpod-template-hash=abc\n",
            "Labels:  app=web\n         pod-template-hash=abc\n",
            id="continuation-line-has-empty-first-cell",
        ),
        pytest.param("a\tb\tc\nlong\tx\n", "a     b  c\nlong  x\n", id="nested-columns"),
        pytest.param("a\tb\nccc\t", "a  b\nccc", id="unterminated-tail-drops-its-tab"),
        pytest.param("a\tb\fccc\td\n", "a  b\nccc  d\n", id="form-feed-ends-blocks"),
        pytest.param("", "", id="empty"),
        pytest.param("no tabs\n", "no tabs\n", id="no-tabs"),
    ],
)
def test_describe_table_blocks(text: str, expected: str) -> None:
    assert describe_table(text) == expected


def test_column_blocks_are_independent_per_column() -> None:
    # Column 1 of lines 1-2 is one block; line 3 has no column 1, so line 4 starts anew.
    text = "a\tbb\tc\nd\te\tf\ng\th\ni\tjjjjjj\tk\n"
    assert describe_table(text) == "a  bb  c\nd  e   f\ng  h\ni  jjjjjj  k\n"


def test_remembered_widths_never_shrink() -> None:
    widths: list[int] = []
    first = tabwrite(
        "NAME\tAGE\nlong-name\t1s\n", minwidth=6, tabwidth=4, padding=3, remembered=widths
    )
    second = tabwrite("x\t2s\n", minwidth=6, tabwidth=4, padding=3, remembered=widths)
    assert first == "NAME        AGE\nlong-name   1s\n"
    assert second == "x           2s\n"


def test_history_revision_column_is_ten_wide() -> None:
    assert describe_table("REVISION\tCHANGE-CAUSE\n1\t<none>\n") == (
        "REVISION  CHANGE-CAUSE\n1         <none>\n"
    )
