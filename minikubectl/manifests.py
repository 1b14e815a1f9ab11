"""Reading `-f FILE|DIR|-`: multi-document YAML or JSON, strictly, with clear errors.

Errors name the file, the document and the line, in kubectl's shape
(`error: error parsing FILE: error converting YAML to JSON: yaml: line N: ...`). Duplicate
keys are rejected, as kubectl's strict decoding does. Every document is read and checked
before any is sent, so a bad third document means nothing is written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from controlplane.api.registry import KINDS, KindInfo
from minikubectl.errors import CliError

MANIFEST_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass
class Manifest:
    obj: dict[str, Any]
    source: str  # the file as the user named it, or "STDIN"
    document: int  # 1-based position in its file

    @property
    def info(self) -> KindInfo:
        return kind_for(self.obj)


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (no Python tags) that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f'key "{key}" already set in map', key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _files(path: str) -> list[Path]:
    target = Path(path)
    if not target.exists():
        raise CliError(f'the path "{path}" does not exist')
    if target.is_dir():
        return sorted(p for p in target.iterdir() if p.suffix in MANIFEST_SUFFIXES)
    return [target]


def _parse(text: str, source: str) -> list[Manifest]:
    manifests: list[Manifest] = []
    document = 0
    try:
        for document, data in enumerate(yaml.load_all(text, Loader=_StrictLoader), start=1):
            if data is None:
                continue
            if not isinstance(data, dict):
                raise CliError(
                    f"error parsing {source}: document {document}: error unmarshaling JSON: "
                    f"json: cannot unmarshal {_json_type(data)} into Go value of type "
                    f"map[string]interface {{}}"
                )
            manifests.append(Manifest(data, source, document))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}" if mark else "line ?"
        raise CliError(
            f"error parsing {source}: error converting YAML to JSON: yaml: {line} "
            f"(document {document + 1}): {exc.problem or exc.context}"
        ) from exc
    except yaml.YAMLError as exc:
        raise CliError(
            f"error parsing {source}: error converting YAML to JSON: yaml: {exc}"
        ) from exc
    return manifests


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number"


def read_manifests(paths: list[str]) -> list[Manifest]:
    """Every object in the named files, directories (their .yaml/.yml/.json) or stdin."""
    if not paths:
        raise CliError("must specify one of -f and -k")
    manifests: list[Manifest] = []
    for path in paths:
        if path == "-":
            manifests += _parse(sys.stdin.read(), "STDIN")
            continue
        for file in _files(path):
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise CliError(f"error parsing {file}: invalid UTF-8 at byte {exc.start}") from exc
            manifests += _parse(text, str(file) if file != Path(path) else path)
    problems = [p for m in manifests if (p := _check_type(m))]
    if problems:
        raise CliError("\n".join(problems))
    return manifests


def kind_for(obj: dict[str, Any]) -> KindInfo:
    for info in KINDS:
        if info.kind == obj.get("kind") and info.api_version == obj.get("apiVersion"):
            return info
    raise KeyError(obj.get("kind"))


def _check_type(m: Manifest) -> str:
    """kubectl's client-side checks: apiVersion and kind set, and a kind the server serves."""
    missing = [f"{field} not set" for field in ("apiVersion", "kind") if not m.obj.get(field)]
    if missing:
        listed = missing[0] if len(missing) == 1 else f"[{', '.join(missing)}]"
        return (
            f'error: error validating "{m.source}": error validating data: {listed}; if you '
            f"choose to ignore these errors, turn validation off with --validate=false"
        )
    try:
        kind_for(m.obj)
    except KeyError:
        name = (m.obj.get("metadata") or {}).get("name", "")
        namespace = (m.obj.get("metadata") or {}).get("namespace", "")
        return (
            f'error: resource mapping not found for name: "{name}" namespace: "{namespace}" '
            f'from "{m.source}": no matches for kind "{m.obj["kind"]}" in version '
            f'"{m.obj["apiVersion"]}"\nensure CRDs are installed first'
        )
    return ""


def yaml_to_python(text: str) -> Any:
    """One YAML document, strictly; ValueError `yaml: line N: <problem>` if it is malformed."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise ValueError(f"yaml: {where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"yaml: {exc}") from None
