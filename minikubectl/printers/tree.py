"""`mkctl tree`: who owns whom, drawn downward from an owner (after ahmetb/kubectl-tree).

Fetch, index, render: the command fetches the candidates, `index_children` maps each owner's
uid to the objects whose ownerReferences name it, and `render_tree` draws one row per
object with kubectl-tree's box-drawing prefixes:

    NAME                                 READY   STATUS    AGE   NODE     REVISION   IMAGES
    Deployment/web                       3/3               5m             2          nginx:1.16.1
    ├─ReplicaSet/web-7c5ddbdf54          0/0               5m             1          nginx:1.14.2
    └─ReplicaSet/web-5d59d67564          3/3               2m             2          nginx:1.16.1
      ├─Pod/web-5d59d67564-2xkzq         1/1     Running   2m    node-1
      └─Pod/web-5d59d67564-q8ztw         1/1     Running   2m    node-2

Columns are padded like a `kubectl get` table (cell + 3, at least 6); cells that do not apply
to a kind are empty and rows carry no trailing spaces. On a terminal the prefixes are dim and
statuses coloured (green settled, yellow on the way, red stuck); `rich` is imported only then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from controlplane.api.tables.podstatus import summarize_pod
from controlplane.models.constants import REVISION_ANNOTATION, Obj
from minikubectl.printers.age import age

BRANCH, LAST, PIPE, SPACE = "├─", "└─", "│ ", "  "
HEADERS = ("NAME", "READY", "STATUS", "AGE", "NODE", "REVISION", "IMAGES")

# Statuses (pod STATUS, condition reasons) by colour; anything else is "in progress".
SETTLED = {"Running", "Completed", "Succeeded", "NewReplicaSetAvailable", "Active"}
STUCK = {
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "Error",
    "Failed",
    "OOMKilled",
    "Evicted",
    "Unknown",
    "ProgressDeadlineExceeded",
    "FailedCreate",
    "FailedDelete",
}


def index_children(objects: Sequence[Obj]) -> dict[str, list[Obj]]:
    """owner uid -> the objects that name it in their ownerReferences."""
    children: dict[str, list[Obj]] = {}
    for obj in objects:
        for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
            children.setdefault(str(ref.get("uid")), []).append(obj)
    return children


def _revision(obj: Obj) -> str:
    return str(((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION, ""))


def _sort_key(obj: Obj) -> tuple[str, int, str]:
    """Children by kind, ReplicaSets by revision (oldest first), then by name."""
    revision = _revision(obj)
    number = int(revision) if revision.isdigit() else 0
    return (str(obj.get("kind")), number, str(obj["metadata"].get("name")))


def _trouble(obj: Obj) -> str:
    """A workload's STATUS: the reason of a condition that is not well (a stuck or paused
    rollout says ProgressDeadlineExceeded or DeploymentPaused), else nothing."""
    for condition in (obj.get("status") or {}).get("conditions") or []:
        bad = "False" if condition.get("type") in ("Progressing", "Available") else "True"
        if condition.get("status") in (bad, "Unknown"):
            return str(condition.get("reason") or "")
    return ""


def _images(obj: Obj) -> str:
    template = (obj.get("spec") or {}).get("template") or {}
    containers = (template.get("spec") or {}).get("containers") or []
    return ",".join(str(c.get("image", "")) for c in containers)


def _cells(obj: Obj, now: float) -> tuple[str, str, str, str, str, str]:
    """READY, STATUS, AGE, NODE, REVISION, IMAGES for one object."""
    kind = obj.get("kind")
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    created = age((obj.get("metadata") or {}).get("creationTimestamp"), now)
    if kind == "Pod":
        pod = summarize_pod(obj)
        return f"{pod.ready}/{pod.total}", pod.status, created, spec.get("nodeName") or "", "", ""
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        ready = f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}"
        return ready, _trouble(obj), created, "", _revision(obj), _images(obj)
    if kind == "DaemonSet":
        ready = f"{status.get('numberReady') or 0}/{status.get('desiredNumberScheduled') or 0}"
        return ready, _trouble(obj), created, "", "", _images(obj)
    if kind == "ControllerRevision":
        return "", "", created, "", str(obj.get("revision", "")), ""
    return "", str(status.get("phase") or ""), created, "", "", ""


@dataclass(frozen=True)
class Row:
    prefix: str  # the box-drawing connectors
    obj: Obj
    cells: tuple[str, ...]  # NAMESPACE (with -A), then the kind/name, then HEADERS[1:]


def rows(
    obj: Obj, children: dict[str, list[Obj]], prefix: str, now: float, namespaces: bool
) -> Iterator[Row]:
    meta = obj.get("metadata") or {}
    name = f"{obj.get('kind')}/{meta.get('name')}"
    lead = (str(meta.get("namespace") or ""),) if namespaces else ()
    yield Row(prefix, obj, (*lead, name, *_cells(obj, now)))
    kids = sorted(children.get(str(meta.get("uid")), []), key=_sort_key)
    # Below this row, a branch that continues shows a pipe, a finished one shows space.
    base = prefix[:-2] + (PIPE if prefix.endswith(BRANCH) else SPACE) if prefix else ""
    for i, kid in enumerate(kids):
        yield from rows(
            kid, children, base + (LAST if i == len(kids) - 1 else BRANCH), now, namespaces
        )


def status_style(text: str) -> str:
    if not text:
        return ""
    if text in STUCK or text.startswith(("Init:Error", "Init:CrashLoopBackOff")):
        return "red"
    return "green" if text in SETTLED else "yellow"


def _ready_style(text: str) -> str:
    have, _, want = text.partition("/")
    if not want:
        return ""
    if want == "0":
        return "dim"
    return "green" if have == want else "yellow"


def render_tree(
    roots: Sequence[Obj],
    children: dict[str, list[Obj]],
    now: float,
    *,
    all_namespaces: bool = False,
    color: bool = False,
) -> str:
    """The trees under `roots`, one table, every line ending in a newline."""
    drawn = [row for root in roots for row in rows(root, children, "", now, all_namespaces)]
    headers = (("NAMESPACE",) if all_namespaces else ()) + HEADERS
    name_at = len(headers) - len(HEADERS)
    table = [list(headers)] + [
        [prefix_cell(row, i, name_at) for i in range(len(row.cells))] for row in drawn
    ]
    widths = [max(max(len(r[i]) for r in table) + 3, 6) for i in range(len(headers))]
    if not color:
        return "".join(
            "".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n"
            for r in table
        )
    return _colored(table, drawn, widths, name_at)


def prefix_cell(row: Row, i: int, name_at: int) -> str:
    return row.prefix + row.cells[i] if i == name_at else row.cells[i]


def _colored(table: list[list[str]], rows: list[Row], widths: list[int], name_at: int) -> str:
    from rich.console import Console
    from rich.text import Text

    text = Text()
    text.append("".join(h.ljust(w) for h, w in zip(table[0], widths, strict=True)).rstrip(), "bold")
    text.append("\n")
    ready_at, status_at = name_at + 1, name_at + 2
    for row, cells in zip(rows, table[1:], strict=True):
        line = Text()
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            if i == name_at:
                kind, _, name = row.cells[i].partition("/")
                line.append(row.prefix, "dim")
                line.append(f"{kind}/")
                line.append(name, "bold")
            elif i == ready_at:
                line.append(cell, _ready_style(cell))
            elif i == status_at:
                line.append(cell, status_style(cell))
            else:
                line.append(cell)
            line.append(" " * (width - len(cell)))
        line.rstrip()
        text.append_text(line)
        text.append("\n")
    console = Console(force_terminal=True, soft_wrap=True, highlight=False, width=10_000)
    with console.capture() as captured:
        console.print(text, end="")
    return captured.get()
