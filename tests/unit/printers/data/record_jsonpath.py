"""Record what a real kubectl prints for the JSONPath corpus (writes jsonpath_kubectl.json).

Run by hand, never by the suite:  KUBECTL=/path/to/kubectl python record_jsonpath.py
Each object goes through `kubectl patch --local -f OBJ --type=merge -p {} -o FORMAT=TEMPLATE`,
which needs no cluster and prints the unchanged object with kubectl's own JSONPath printer.
Objects use `elements` rather than `items` (kubectl would treat them as lists). The cases
are client-go's util/jsonpath tests (jsonpath_test.go, parser_test.go) restated on JSON input,
the kubernetes.io "JSONPath Support" examples, and edge cases of our own.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

BASE = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
OBJECTS: dict[str, dict[str, Any]] = {
    "types": {
        **BASE,
        "bools": [True, False, True, False],
        "integers": [1, 2, 3, 4],
        "floats": [1.0, 2.2, 3.3, 4.0],
        "strings": ["one", "two", "three", "four"],
        "interfaces": [True, "one", 1, 1.1],
        "maps": [
            {"name": "one", "value": 1},
            {"name": "two", "value": 2.02},
            {"name": "three", "value": 3.03},
            {"name": "four", "value": 4.04},
        ],
    },
    "store": {
        **BASE,
        "Name": "jsonpath",
        "Book": [
            {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings", "Price": 8.95},
            {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword", "Price": 12.99},
            {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby", "Price": 8.99},
        ],
        "Bicycle": [
            {"Color": "red", "Price": 19.95, "IsNew": True},
            {"Color": "green", "Price": 20.01, "IsNew": False},
        ],
        "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
        "Employees": {"jason": "manager", "dan": "clerk"},
        "nums": [2, 6, 3, 7],
        "days": ["Monday", "Tudesday"],
        "five": [0, 1, 2, 3, 4],
    },
    "nodes": {
        **BASE,
        "elements": [
            {
                "kind": "None",
                "metadata": {
                    "name": "127.0.0.1",
                    "labels": {"kubernetes.io/hostname": "127.0.0.1"},
                },
                "status": {
                    "capacity": {"cpu": "4"},
                    "ready": True,
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}],
                },
            },
            {
                "kind": "None",
                "metadata": {
                    "name": "127.0.0.2",
                    "labels": {"kubernetes.io/hostname": "127.0.0.2"},
                },
                "status": {
                    "capacity": {"cpu": "8"},
                    "ready": False,
                    "addresses": [
                        {"type": "LegacyHostIP", "address": "127.0.0.2"},
                        {"type": "another", "address": "127.0.0.3"},
                    ],
                },
            },
        ],
        "users": [
            {"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}},
        ],
    },
    "pods": {
        **BASE,
        "elements": [
            {
                "metadata": {"name": "pod1", "annotations": {"color": "blue"}},
                "spec": {
                    "containers": [
                        {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
                        {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]},
                    ]
                },
                "status": {"phase": "Running"},
            },
            {
                "metadata": {"name": "pod2"},
                "spec": {
                    "containers": [
                        {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}
                    ]
                },
                "status": {"phase": "Pending"},
            },
            {
                "metadata": {
                    "name": "pod3",
                    "annotations": {"color": "green"},
                    "creationTimestamp": None,
                },
                "status": {"phase": "Running"},
            },
            {"metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
            {"resourceVersion": "", "selfLink": ""},
        ],
        "empty": [],
        "points": [
            {"id": "i1", "x": 4, "y": -5},
            {"id": "i2", "x": -2, "y": -5, "z": 1},
            {"id": "i3", "x": 8, "y": 3},
            {"id": "i4", "x": -6, "y": -1},
            {"id": "i5", "x": 0, "y": 2, "z": 1},
            {"id": "i6", "x": 1, "y": 4},
        ],
        "weird": {
            "a.b": 1,
            "": 2,
            "html": "<b>&amp;</b>",
            "big": 1e21,
            "small": 0.000001,
            "tiny": 1e-7,
            "mill": 1000000.0,
            "neg": -0.5,
            "n": None,
            "nl": "a\nb",
            "uni": "é\u2028",
            "e": {},
            "l": [],
        },
    },
}

SLICES = [
    t % field
    for field in ("bools", "integers", "floats", "strings", "interfaces", "maps")
    for t in (
        "{ .%s }",
        "{ .%s[0] }",
        "{ .%s[-1] }",
        "{ .%s[-2] }",
        "{ .%s[0:2] }",
        "{ .%s[:2] }",
        "{ .%s[:4:2] }",
        "{ .%s[::2] }",
        "{ .%s[1::2] }",
    )
]
STORE = [
    "hello jsonpath",
    "{.nums[?(@<5)]}",
    '{"{"}',
    "{.five[1,3,4]}",
    "{.days[0:2]}",
    "hello {.Name}",
    "{$.Labels.web/html}",
    "{$.Employees.jason}",
    "{.Labels.k8s-app}",
    "{.Bicycle[*].Color}",
    "{.Book[*].Author}",
    '{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}',
    "{..Price}",
    "{...Price}",
    "{" + "." * 60 + "Price}",
    "{.Bicycle}",
    '{range .Bicycle[*]}{ @ }{ " " }{end}',
    "{.Book[-1:]}",
    "{..Book[2]}",
    "{.Bicycle[?(@.IsNew==true)]}",
    "{.hello}",
    "before-{.hello}after",
    "{hello}",
    "{.Labels[0]}",
    "{.Book[?(@.Price<>10)]}",
    "{range .Labels.*}{@}{end}{end}",
    "{.Labels.*}",
    "{..}",
    "{.Name.*}",
    "{.Name[0]}",
    "{.Book[?(@.Price>9)].Title}",
    "{.Book[?(@.Price>=8.99)].Title}",
    "{.Book[?(@.Price<=8.99)].Title}",
    "{.Book[?(@.Price!=8.99)].Title}",
    "{.Book[?(@.Price>9)]['Title','Author']}",
    "{.Book[?(@.Author=='Evelyn Waugh')].Title}",
    "{.Book[?(@.Price>10)].Title}",
    "{.Bicycle[?(@.IsNew<true)].Color}",
    "{.Book[?(@.Category)].Title}",
    "{.Book[?(@.Missing)].Title}",
    "{.Book[?(@.Price==@.Price)].Title}",
    "{.Book[?(@.Price=8.95)].Title}",
    "{.Book[*]['Title']}",
    "{['Name']}",
    "{.Book[0]['Category', 'Price']}",
    "{.Labels.web\\/html}",
    "{5}",
    "{1.5}",
    "{-3}",
    "{+12.3.0}",
    "{true}{false}",
    "{.hello",
    "{*}",
    "{[1}",
    "{[?(.price]}",
    "{........}",
    "{.Book[a]}",
    "{.Book[-]}",
    "{.Book[1:-]}",
    "{.Book[::0]}",
    "{.Book[::-1]}",
    "{.Book[5]}",
    "{.Book[-5]}",
    "{.Book[3:1]}",
    "{.Book[1:1]}",
    "{.Book[5:5]}",
    "{.Book[0:0]}",
    "{.Book[-1:0]}",
    "{.Book[1:9]}",
    "{.Book[0:-1].Title}",
    "{'a\\'b'}",
    '{"a\\"b"}',
    '{"\\t"}',
    '{"\\u00e9\\x41"}',
    '{"\\q"}',
    '{"a\\\\"}',
    "{end}",
    "{range .Book[*]}{.Title}",
    "{range .Book[*]}{.Title}{end}{.Name}",
    "{range .nothing[*]}x{end}y",
    "{.Book[*].Price}\t{.Name}",
    "{\t.Name}",
    "{.Name}\n",
    "{.Book[?(@.Price<9)]}",
    '{.Book[?(@.Title=="()")]}',
    "{.Employees.*}",
    "{.Book[?(@.Price < 9)].Title}",
    "{range .Book[*]}[{.Title}, {.Price}] {end}",
    "{.metadata.name.x}",
    "{.Book[0].Price[0]}",
    "{.Bicycle[?(@.IsNew)].Color}",
    "{.Name[?(@)]}",
    "{.nums[?(@==2)]}",
    "{.nums[?(@=='2')]}",
    "{.nums[?(@>2.5)]}",
    "{@}",
    "{$}",
    "{.}",
    "{..Color}",
    "{.five[1:4:2]}",
    "{range .Book[*]}{range .Title}{@}{end}{end}",
    "{range .five[*]}{@}{','}{end}",
]
NODES = [
    "{range .elements[*]}{.metadata.name}, {end}{.kind}",
    '{range .elements[*]}{.metadata.name}{"\\t"}{end}',
    "{.elements[*].status.addresses[*].address}",
    "{range .elements[*]}{range .status.addresses[*]}{.address}, {end}{end}",
    "{.elements[*].metadata.name}",
    "{.elements[*]['metadata.name', 'status.capacity']}",
    "{range .elements[*]}[{.metadata.name}, {.status.capacity}] {end}",
    '{.users[?(@.name=="e2e")].user.password}',
    "{.elements[0].metadata.labels.kubernetes\\.io/hostname}",
    '{.elements[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}',
    "{.elements[?(@..ready==true)].metadata.name}",
    "{..name}",
    '{range .elements[*]}{.metadata.name}{"\\n"}{end}',
    "kind is {.kind}",
    "{['kind']}",
    "{.users[0].name}",
    "{.users[-1:].name}",
]
PODS = [
    '{range .elements[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
    '{"+"}{end}',
    '{range .elements[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}'
    '{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}',
    '{range .elements[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}'
    '{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
    '{.elements[?(@.metadata.annotations.color=="blue")].metadata.name}',
    '{range .elements[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}',
    "{range .empty[*]}{.metadata.name}{end}",
    "{.points[?(@.z)].id}",
    "{.points[0]['id']}",
    "{.points[?(@.x>0)].id}",
    "{.points[?(@.y<-1)].id}",
    "{.weird}",
    "{.weird.a\\.b}",
    "{.weird['a.b']}",
    "{.weird.html}",
    "{.weird.big} {.weird.small} {.weird.tiny} {.weird.mill} {.weird.neg}",
    "{.weird.n}",
    "{.weird.nl}",
    "{.weird.uni}",
    "{.weird.e}{.weird.l}",
    "{.weird.*}",
    "{.elements[2].metadata.creationTimestamp}",
    "{.elements[*].metadata.annotations.color}",
    "{.elements[0].spec.containers[0:5].name}",
    "{.elements[0].spec.containers[-3].name}",
    "{.elements[?(@.metadata.creationTimestamp)].metadata.name}",
    "{.weird.n[0]}",
    "{.weird.n[?(@)]}",
    "{.elements[*].status.phase[?(@)]}",
    "{.elements[0].spec[?(@)]}",
    '{.points[*].x}{"\\n"}{.points[-1:].id}',
]
AS_JSON = [
    ("nodes", "{.elements[*].metadata.name}"),
    ("nodes", "{.elements[0].metadata}"),
    ("nodes", "{.kind}{.elements[*].kind}"),
    ("nodes", "{range .elements[*]}{.metadata.name}{end}"),
    ("nodes", "x{.missing}y{.metadata}"),
    ("pods", "{.weird}"),
    ("pods", "{.weird.n}"),
    ("pods", "{.empty}"),
    ("pods", "{.nothing}"),
]
CASES = (
    [("types", "jsonpath", t) for t in SLICES]
    + [("store", "jsonpath", t) for t in STORE]
    + [("nodes", "jsonpath", t) for t in NODES]
    + [("pods", "jsonpath", t) for t in PODS]
    + [(name, "jsonpath-as-json", t) for name, t in AS_JSON]
)


def kubectl(binary: str, obj: dict[str, Any], fmt: str, template: str) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(obj, handle)
    try:
        done = subprocess.run(
            [
                *(binary, "patch", "--local", "-f", handle.name, "--type=merge", "-p", "{}"),
                *("-o", f"{fmt}={template}"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    return {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def main() -> None:
    binary = os.environ["KUBECTL"]
    version = subprocess.run(
        [binary, "version", "--client"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    cases = [
        {"object": name, "format": fmt, "template": template}
        | kubectl(binary, OBJECTS[name], fmt, template)
        for name, fmt, template in CASES
    ]
    data = {"kubectl": version, "objects": OBJECTS, "cases": cases}
    target = Path(__file__).with_name("jsonpath_kubectl.json")
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases from {version} -> {target}")


if __name__ == "__main__":
    main()
