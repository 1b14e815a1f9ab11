"""The building blocks every `kubectl describe` page shares.

kubectl's describers write `Label:\\tvalue` lines through a PrefixWriter (two spaces per level)
into a tabwriter (minwidth 0, padding 2). We keep that shape: describers append raw text to a
`PrefixWriter`, and `tabbed` aligns it at the end. Keeping the raw text separate matters because
`rollout history --revision` prints the same pod-template text *without* a tabwriter.

The multi-line field printers reproduce kubectl's layout rules: the first item on the title
line, further items on lines that start with a tab (an empty first cell, so they align with the
values above), labels and annotations sorted, `<none>` when empty, and the last-applied
annotation never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sized
from typing import Any

from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.printers.age import age
from minikubectl.printers.tabwriter import describe_table

MAX_ANNOTATION_LEN = 140
SKIPPED_ANNOTATIONS = frozenset({LAST_APPLIED_ANNOTATION})


class PrefixWriter:
    """kubectl's describe.PrefixWriter: `write(level, text)` prefixes `text` with 2×level spaces."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._parts.append("  " * level + text)

    def field(self, title: str, value: Any, level: int = 0) -> None:
        """`Title:\tvalue`, for a field describe.go writes only when it is set."""
        if value:
            self.write(level, f"{title}:\t{value}\n")

    def heading(self, title: str, items: Sized, none: str = "\t<none>") -> bool:
        """`Title:` above a list's lines, or `Title:<none>` on one line when it is empty;
        whether the list follows."""
        self.write(0, f"{title}:{none if not items else ''}\n")
        return bool(items)

    def write_line(self, text: str = "") -> None:
        """Go's `WriteLine`: the text and a newline, no indentation."""
        self._parts.append(text + "\n")

    def text(self) -> str:
        return "".join(self._parts)


def meta_of(obj: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = obj.get("metadata") or {}
    return meta


def sections(obj: Obj) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An object's metadata, spec and status, each `{}` when absent."""
    return meta_of(obj), obj.get("spec") or {}, obj.get("status") or {}


def escape_terminal(text: str) -> str:
    """printers.WriteEscaped: ESC and CR are made visible instead of reaching the terminal."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")


def tabbed(w: PrefixWriter) -> str:
    """kubectl's `tabbedString`: the written text aligned by a (0, 8, 2) tabwriter."""
    return describe_table(escape_terminal(w.text()))


def gostr(value: Any) -> str:
    """Go's `%v` for the scalar values describe prints (booleans are `true`/`false`)."""
    if value is True or value is False:
        return "true" if value else "false"
    return "" if value is None else str(value)


def labels_multiline(
    w: PrefixWriter,
    title: str,
    labels: Mapping[str, str] | None,
    *,
    initial_indent: str = "",
    inner_indent: str = "\t",
) -> None:
    """printLabelsMultilineWithIndent: `Labels:\\tapp=web` then `\\tpod-template-hash=...`."""
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial_indent + inner_indent)
        w.write(0, f"{key}={labels[key]}\n")


def _shorten(text: str, max_bytes: int) -> str:
    raw = text.encode()
    if len(raw) > max_bytes:
        return raw[:max_bytes].decode(errors="ignore") + "..."
    return text


def annotations_multiline(
    w: PrefixWriter, title: str, annotations: Mapping[str, str] | None
) -> None:
    """printAnnotationsMultiline: `key: value` lines; long or multi-line values go below the key."""
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in annotations or {} if k not in SKIPPED_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    assert annotations is not None
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = annotations[key].removesuffix("\n")
        if len(value.encode()) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"\t  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def named_page(meta: Mapping[str, Any]) -> PrefixWriter:
    """A describe page begun with its object's name and namespace."""
    w = PrefixWriter()
    name_and_namespace(w, meta)
    return w


def name_and_namespace(w: PrefixWriter, meta: Mapping[str, Any]) -> None:
    """The first two lines of most describe pages."""
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def labels_and_annotations(w: PrefixWriter, meta: Mapping[str, Any]) -> None:
    """`Labels:` then `Annotations:`, as most describers print them."""
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))


def tolerations_multiline(
    w: PrefixWriter, title: str, tolerations: list[dict[str, Any]] | None
) -> None:
    """printTolerationsMultilineWithIndent: `key[=value][:effect] [op=Exists] [for Ns]`."""
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, tol in enumerate(sorted(tolerations, key=lambda t: str(t.get("key", "")))):
        if i:
            w.write(0, "\t")
        key, value, effect = tol.get("key", ""), tol.get("value", ""), tol.get("effect", "")
        text = key + (f"={value}" if value else "") + (f":{effect}" if effect else "")
        if tol.get("operator") == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        if tol.get("tolerationSeconds") is not None:
            text += f" for {tol['tolerationSeconds']}s"
        w.write(0, text + "\n")


def taint_string(taint: Mapping[str, Any]) -> str:
    """Taint.ToString: `key=value:effect`, `key:effect`, `key=value:` or `key`."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else str(key)
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def taints_multiline(w: PrefixWriter, title: str, taints: list[dict[str, Any]] | None) -> None:
    """printTaintsMultilineWithIndent: sorted by `effect,key`."""
    w.write(0, f"{title}:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(0, "\t")
        w.write(0, taint_string(taint) + "\n")


def controlled_by(obj: Obj) -> str:
    """printController: `Kind/name` of the controller reference, or `""`."""
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def events_for(obj: Obj, events: Iterable[Obj]) -> list[Obj]:
    """The events describe shows for `obj`: involvedObject matches its uid, or (for events
    without a uid) its kind, namespace and name."""
    meta = obj.get("metadata", {})
    found = []
    for event in events:
        ref = event.get("involvedObject") or {}
        if ref.get("uid"):
            if ref["uid"] == meta.get("uid"):
                found.append(event)
        elif (
            ref.get("name") == meta.get("name")
            and (ref.get("namespace") or "") == (meta.get("namespace") or "")
            and ref.get("kind") in (None, "", obj.get("kind"))
        ):
            found.append(event)
    return found


def _event_age(event: Obj, now: float) -> str:
    first = age(event.get("eventTime"), now) if event.get("eventTime") else None
    if first is None:
        first = age(event.get("firstTimestamp"), now)
    series = event.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        return f"{last} (x{series.get('count', 0)} over {first})"
    count = event.get("count") or 0
    if count > 1:
        return f"{age(event.get('lastTimestamp'), now)} (x{count} over {first})"
    return first


def events_section(w: PrefixWriter, events: list[Obj] | None, now: float) -> None:
    """DescribeEvents: the Events table sorted by lastTimestamp, or `Events:\\t<none>`.

    `None` means events were not requested (`--show-events=false`): nothing is printed. Event
    messages carry the involved field path as a prefix (`spec.containers{web}: Started ...`),
    as kubectl v1.35+ prints them.
    """
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    ordered = sorted(events, key=lambda e: e.get("lastTimestamp") or "")
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in ordered:
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        message = str(event.get("message", "")).strip()
        field_path = (event.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(
            1,
            f"{event.get('type', '')}\t{event.get('reason', '')}\t{_event_age(event, now)}"
            f"\t{source}\t{message}\n",
        )
