"""`mkctl tree -o mermaid|dot|svg`: the ownership tree as a diagram for slides and docs.

The same rows as the text tree (`tree.rows`: each object with its READY, STATUS, AGE,
NODE, REVISION and IMAGES cells), drawn as nodes with an edge from each owner to what it
owns: Mermaid's flowchart syntax, Graphviz's DOT, or a standalone SVG that needs no tool.
Each node's label carries its state in words, and its fill the same state as colour
(green settled, yellow on the way, red stuck, as `status_style` decides for the terminal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from controlplane.models.constants import Obj
from minikubectl.printers.tree import HEADERS, Row, rows, status_style

FILLS = {"green": "#dafbe1", "yellow": "#fff8c5", "red": "#ffebe9", "": "#f6f8fa"}
STROKES = {"green": "#1a7f37", "yellow": "#9a6700", "red": "#cf222e", "": "#8c959f"}
FORMATS = ("mermaid", "dot", "svg")


@dataclass(frozen=True)
class Node:
    id: str
    depth: int
    lines: tuple[str, ...]  # kind/name, then the cells that apply, labelled
    style: str  # green, yellow, red or ""
    parent: str | None


def nodes(roots: Sequence[Obj], children: dict[str, list[Obj]], now: float) -> list[Node]:
    """Every object under `roots`, in the text tree's order, with its owner's node."""
    found: list[Node] = []
    by_depth: list[str] = []
    for root in roots:
        for row in rows(root, children, "", now, False):
            depth = len(row.prefix) // 2
            del by_depth[depth:]
            node_id = f"n{len(found)}"
            name, *cells = row.cells
            details = [
                cell if header in ("STATUS", "IMAGES") else f"{header.lower()} {cell}"
                for header, cell in zip(HEADERS[1:], cells, strict=True)
                if cell and header != "AGE"
            ]
            status = cells[HEADERS.index("STATUS") - 1]
            found.append(
                Node(
                    node_id,
                    depth,
                    (name, *details),
                    _style(row, status),
                    by_depth[-1] if depth else None,
                )
            )
            by_depth.append(node_id)
    return found


def _style(row: Row, status: str) -> str:
    if status:
        return status_style(status)
    ready = row.cells[HEADERS.index("READY")]
    have, _, want = ready.partition("/")
    return "" if not want or want == "0" else ("green" if have == want else "yellow")


def render_mermaid(found: Sequence[Node]) -> str:
    out = ["flowchart LR"]
    for node in found:
        label = "<br/>".join(line.replace('"', "#quot;") for line in node.lines)
        out.append(f'  {node.id}["{label}"]')
        if node.style:
            out.append(f"  class {node.id} {node.style}")
    out += [f"  {node.parent} --> {node.id}" for node in found if node.parent]
    out += [
        f"  classDef {style} fill:{FILLS[style]},stroke:{STROKES[style]}"
        for style in ("green", "yellow", "red")
    ]
    return "\n".join(out) + "\n"


def render_dot(found: Sequence[Node]) -> str:
    out = [
        "digraph ownership {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    ]
    for node in found:
        label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in node.lines)
        fill, stroke = FILLS[node.style], STROKES[node.style]
        out.append(f'  {node.id} [label="{label}", fillcolor="{fill}", color="{stroke}"];')
    out += [f"  {node.parent} -> {node.id};" for node in found if node.parent]
    return "\n".join([*out, "}"]) + "\n"


BOX_W, LINE_H, PAD, INDENT, GAP = 340, 15, 8, 28, 10


def render_svg(found: Sequence[Node]) -> str:
    """Boxes down the page, each indented under its owner, joined by elbow lines."""
    parts: list[str] = []
    tops: dict[str, float] = {}
    y = float(GAP)
    for node in found:
        x = GAP + node.depth * INDENT
        height = PAD * 2 + LINE_H * len(node.lines) - 4
        tops[node.id] = y
        if node.parent:
            px = GAP + (node.depth - 1) * INDENT + INDENT / 2
            parts.append(
                f'<path d="M{px},{tops[node.parent] + 2 * PAD + LINE_H}V{y + height / 2}H{x}" '
                f'fill="none" stroke="#8c959f"/>'
            )
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{height}" rx="5" '
            f'fill="{FILLS[node.style]}" stroke="{STROKES[node.style]}"/>'
        )
        for i, line in enumerate(node.lines):
            weight = ' font-weight="bold"' if i == 0 else ""
            parts.append(
                f'<text x="{x + PAD}" y="{y + PAD + 11 + i * LINE_H}"{weight}>{escape(line)}</text>'
            )
        y += height + GAP
    width = GAP * 2 + BOX_W + INDENT * max((n.depth for n in found), default=0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y:.0f}" '
        f'viewBox="0 0 {width} {y:.0f}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="12" fill="#1b1f24">\n' + "\n".join(parts) + "\n</svg>\n"
    )


RENDERERS = {"mermaid": render_mermaid, "dot": render_dot, "svg": render_svg}
