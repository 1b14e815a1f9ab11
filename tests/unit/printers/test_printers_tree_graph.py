"""`tree -o mermaid|dot|svg`: the same tree as the text one, as diagrams for slides."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from minikubectl.printers.tree import index_children
from minikubectl.printers.tree_graph import nodes, render_dot, render_mermaid, render_svg
from tests.unit.printers.test_printers_tree import NOW, lesson


def lesson_nodes() -> list:  # type: ignore[type-arg]
    root, others = lesson()
    return nodes([root], index_children(others), NOW)


def test_nodes_follow_the_text_tree_with_each_owner_as_parent() -> None:
    found = lesson_nodes()
    assert [(n.lines[0], n.parent) for n in found] == [
        ("Deployment/nginx", None),
        ("ReplicaSet/nginx-7c5ddbdf54", "n0"),
        ("ReplicaSet/nginx-5d59d67564", "n0"),
        ("Pod/nginx-5d59d67564-2xkzq", "n2"),
        ("Pod/nginx-5d59d67564-8fj3k", "n2"),
        ("Pod/nginx-5d59d67564-q8ztw", "n2"),
    ]
    # state in words as well as colour
    assert found[4].lines[1:] == ("ready 0/1", "ContainerCreating", "node node-2")
    assert [n.style for n in found] == ["green", "", "green", "green", "yellow", "green"]


def test_mermaid_is_a_flowchart_of_labelled_nodes_and_edges() -> None:
    text = render_mermaid(lesson_nodes())
    assert text.startswith("flowchart LR\n")
    assert (
        '  n1["ReplicaSet/nginx-7c5ddbdf54<br/>ready 0/0<br/>revision 1<br/>nginx:1.14.2"]\n'
        in text
    )
    assert "  n2 --> n4\n" in text
    assert "  class n4 yellow\n" in text


def test_dot_is_a_digraph_with_filled_nodes() -> None:
    text = render_dot(lesson_nodes())
    assert text.startswith("digraph ownership {\n") and text.endswith("}\n")
    assert 'n4 [label="Pod/nginx-5d59d67564-8fj3k\\nready 0/1\\nContainerCreating' in text
    assert "  n0 -> n1;\n" in text


def test_svg_is_well_formed_with_a_box_per_object() -> None:
    svg = ET.fromstring(render_svg(lesson_nodes()))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}rect")) == 6
    assert len(svg.findall(f"{ns}path")) == 5
    texts = [t.text for t in svg.findall(f"{ns}text")]
    assert "Pod/nginx-5d59d67564-8fj3k" in texts and "ContainerCreating" in texts
