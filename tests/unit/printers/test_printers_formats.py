"""`-o json`, `-o yaml` and `-o name`, byte for byte (encoding/json and go-yaml v2 rules)."""

from __future__ import annotations

from typing import Any

import pytest
from printers_builders import deployment, pod

from minikubectl.printers.formats import (
    as_list,
    go_json_float,
    go_yaml_float,
    name_line,
    to_json,
    to_yaml,
)


def test_name_line_uses_kind_and_group() -> None:
    assert name_line(deployment()) == "deployment.apps/nginx"
    assert name_line(pod("x")) == "pod/x"
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "w"}}
    assert name_line(sts) == "statefulset.apps/w"


def test_as_list_shape() -> None:
    assert as_list([]) == {
        "apiVersion": "v1",
        "items": [],
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def test_json_sorted_four_space_indent_trailing_newline() -> None:
    obj = {"kind": "X", "b": [1, {"z": None, "a": True}], "a": {}, "c": [], "d": 1.5}
    assert to_json(obj) == (
        "{\n"
        '    "a": {},\n'
        '    "b": [\n'
        "        1,\n"
        "        {\n"
        '            "a": true,\n'
        '            "z": null\n'
        "        }\n"
        "    ],\n"
        '    "c": [],\n'
        '    "d": 1.5,\n'
        '    "kind": "X"\n'
        "}\n"
    )


def test_json_escapes_like_go() -> None:
    text = to_json({"m": '<none> & "q" \\ \n\t\x01 é \u2028'})
    escaped = '\\u003cnone\\u003e \\u0026 \\"q\\" \\\\ \\n\\t\\u0001 é \\u2028'
    assert text == '{\n    "m": "' + escaped + '"\n}\n'


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.0, "2"), (0.5, "0.5"), (1e-7, "1e-7"), (1e21, "1e+21"), (123456.789, "123456.789")],
)
def test_json_floats(value: float, expected: str) -> None:
    assert go_json_float(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, "0.5"), (1234567.5, "1.2345675e+06"), (0.00001, "1e-05"), (float("inf"), ".inf")],
)
def test_yaml_floats(value: float, expected: str) -> None:
    assert go_yaml_float(value) == expected


def test_yaml_of_a_deployment() -> None:
    dep = deployment(replicas=1)
    dep["metadata"]["creationTimestamp"] = "2024-05-01T12:34:56Z"
    dep["metadata"]["resourceVersion"] = "123"
    dep["status"] = {"conditions": [{"type": "Available", "status": "True"}]}
    assert to_yaml(dep) == (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  annotations:\n"
        '    deployment.kubernetes.io/revision: "2"\n'
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        '      {"kind":"Deployment"}\n'
        '  creationTimestamp: "2024-05-01T12:34:56Z"\n'
        "  labels:\n"
        "    app: nginx\n"
        "  name: nginx\n"
        "  namespace: default\n"
        '  resourceVersion: "123"\n'
        "  uid: uid-deploy\n"
        "spec:\n"
        "  replicas: 1\n"
        "  selector:\n"
        "    matchLabels:\n"
        "      app: nginx\n"
        "  strategy:\n"
        "    rollingUpdate:\n"
        "      maxSurge: 25%\n"
        "      maxUnavailable: 25%\n"
        "    type: RollingUpdate\n"
        "  template:\n"
        "    metadata:\n"
        "      labels:\n"
        "        app: nginx\n"
        "    spec:\n"
        "      containers:\n"
        "      - image: nginx:1.16.1\n"
        "        name: nginx\n"
        "        ports:\n"
        "        - containerPort: 80\n"
        "          protocol: TCP\n"
        "status:\n"
        "  conditions:\n"
        '  - status: "True"\n'
        "    type: Available\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("web", "web"),
        ("", '""'),
        ("1", '"1"'),
        ("0x1F", '"0x1F"'),
        ("08", '"08"'),
        ("1.14", '"1.14"'),
        ("1.14.2", "1.14.2"),
        ("1_000", '"1_000"'),
        ("1:20", '"1:20"'),
        ("true", '"true"'),
        ("yes", '"yes"'),
        ("Off", '"Off"'),
        ("null", '"null"'),
        ("~", '"~"'),
        (".inf", '".inf"'),
        ("2024-01-02", '"2024-01-02"'),
        ("2024-13-02", "2024-13-02"),
        ("1e3", '"1e3"'),
        ("25%", "25%"),
        ("*", "'*'"),
        ("- a", "'- a'"),
        ("a: b", "'a: b'"),
        ("a #b", "'a #b'"),
        (" lead", "' lead'"),
        ("{json}", "'{json}'"),
        ("it's: x", "'it''s: x'"),
        ("tab\there", '"tab\\there"'),
        ("spec.containers{nginx}", "spec.containers{nginx}"),
        ("a\nb", "|-\n  a\n  b"),
        ("a\nb\n", "|\n  a\n  b"),
    ],
)
def test_yaml_scalar_quoting(value: str, expected: str) -> None:
    assert to_yaml({"k": value}) == f"k: {expected}\n"


def test_yaml_long_strings_are_not_folded() -> None:
    long = " ".join(["word"] * 60)
    assert to_yaml({"k": long}) == f"k: {long}\n"


def test_yaml_scalars_of_other_types() -> None:
    assert to_yaml({"a": None, "b": True, "c": 3, "d": 2.0, "e": 0.25, "f": [], "g": {}}) == (
        "a: null\nb: true\nc: 3\nd: 2\ne: 0.25\nf: []\ng: {}\n"
    )


def test_yaml_key_order_is_go_yamls_natural_order() -> None:
    keys: dict[str, Any] = dict.fromkeys(["a10", "a9", "B", "a", "_x", "a.b", "ab", "a-b"], 1)
    lines = to_yaml(keys).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "_x", "B", "a", "a-b", "a.b", "a9", "a10", "ab",
    ]  # fmt: skip


def test_yaml_list_of_objects() -> None:
    text = to_yaml(as_list([{"kind": "Pod", "metadata": {"name": "a"}}]))
    assert text == (
        "apiVersion: v1\n"
        "items:\n"
        "- kind: Pod\n"
        "  metadata:\n"
        "    name: a\n"
        "kind: List\n"
        "metadata:\n"
        '  resourceVersion: ""\n'
    )


@pytest.mark.parametrize(
    "value",
    [
        "web", "", "1", "*", "- a", "a: b", " lead", "{json}", "it's: x", "tab\there", "a\nb",
        "a\nb\n", "[x]", "x, y", "? q", "q?", "key:", "@at", "`bt", "%p", "!bang", "&amp", "-",
        "--- x", "...", "a\n\nb\n\n", "  indented\nx", "trailing \nx", "é ü", "\x07bell",
    ],
)  # fmt: skip
def test_c_and_python_emitters_agree(value: str) -> None:
    obj = {"k": value, "l": [value, {"m": value}]}
    assert to_yaml(obj, use_libyaml=True) == to_yaml(obj, use_libyaml=False)
