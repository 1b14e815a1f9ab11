"""Reading `-f FILE|DIR|URL|-`: multi-document YAML or JSON, strictly, with clear errors.

Errors name the file, the document and the line, in kubectl's shape
(`error: error parsing FILE: error converting YAML to JSON: yaml: line N: ...`). Duplicate
keys are rejected, as kubectl's strict decoding does. Every document is read and checked
before any is sent, so a bad third document means nothing is written.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from controlplane.api.registry import KINDS, KindInfo
from minikubectl.errors import CliError, klog
from minikubectl.manifest_urls import is_url, read_url
from minikubectl.yaml_reader import (
    JsonError,
    StrictLoader,
    disallowed_character,
    go_yaml_problem,
    position,
    to_json,
)

MANIFEST_SUFFIXES = (".json", ".yaml", ".yml")
# kubectl's notice for a List under --validate=warn (kubectl/pkg/validation/schema.go)
CANNOT_WARN = (
    "cannot perform warn validation if server-side field validation is unsupported, skipping "
    "validation"
)


@dataclass
class Manifest:
    obj: dict[str, Any]
    source: str  # the file as the user named it, or "STDIN"
    document: int  # 1-based position in its file

    @property
    def info(self) -> KindInfo:
        return kind_for(self.obj)


def _go_errno(exc: OSError) -> str:
    """Go's text for an errno (`too many levels of symbolic links`): strerror, lowercased."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def _files(path: str) -> list[Path]:
    """The files `-f path` names, as kubectl's resource builder expands them
    (staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go, ExpandPathsToFileVisitors)."""
    target = Path(path)
    try:
        os.stat(path)  # as given: Path drops a trailing slash, which must name a directory
    except FileNotFoundError:
        raise CliError(f'the path "{path}" does not exist') from None
    except OSError as exc:
        raise CliError(
            f'the path "{path}" cannot be accessed: stat {path}: {_go_errno(exc)}'
        ) from None
    if target.is_dir():
        try:
            files = sorted(p for p in target.iterdir() if p.suffix in MANIFEST_SUFFIXES)
        except OSError as exc:
            raise CliError(f"open {path}: {_go_errno(exc)}") from None
        if not files:
            raise CliError(
                f"error reading [{path}]: recognized file extensions are "
                f"[{' '.join(MANIFEST_SUFFIXES)}]"
            )
        return files
    return [target]


def _read(file: Path, source: str) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"open {source}: {_go_errno(exc)}") from None


def _read_stdin() -> bytes:
    """Standard input; closed (`<&-`) it holds nothing, as for kubectl."""
    try:
        return sys.stdin.buffer.read() if sys.stdin is not None else b""
    except (OSError, ValueError):
        return b""


def _yaml_error(source: str, line: int, document: int, problem: str) -> CliError:
    return CliError(
        f"error parsing {source}: error converting YAML to JSON: yaml: line {line} "
        f"(document {document}): {problem}"
    )


def _parse(text: str, source: str, directive: str = "Strict") -> list[Manifest]:
    bad = disallowed_character(text)
    if bad is not None:
        raise _yaml_error(source, *position(text, bad), "control characters are not allowed")
    manifests: list[Manifest] = []
    document = 0
    loader = StrictLoader(text)
    loader.text = text
    try:
        while True:
            document += 1
            if not loader.check_data():
                break
            data = to_json(loader.get_data())
            if data is None:
                continue
            if not isinstance(data, dict):
                raise CliError(
                    f"error parsing {source}: document {document}: error unmarshaling JSON: "
                    f"json: cannot unmarshal {_json_type(data)} into Go value of type "
                    f"map[string]interface {{}}"
                )
            if data.get("apiVersion") == "v1" and data.get("kind") == "List":
                _validate_list(data, source, directive)
                directive = "Ignore"  # the List's items are checked: flatten them as they are
            flat = _flatten(data, source, directive)
            manifests += [Manifest(item, source, document) for item in flat]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else position(text, len(text))[0]
        problem = go_yaml_problem(str(exc.problem or exc.context), text, mark.index if mark else 0)
        raise _yaml_error(source, line, document, problem) from exc
    except JsonError as exc:
        raise CliError(
            f"error parsing {source}: document {document}: error converting YAML to JSON: "
            f"{exc.message} ({exc.path})"
        ) from exc
    except yaml.YAMLError as exc:
        raise CliError(
            f"error parsing {source}: error converting YAML to JSON: yaml: {exc}"
        ) from exc
    finally:
        loader.dispose()
    return manifests


def _flatten(data: dict[str, Any], source: str, directive: str) -> list[dict[str, Any]]:
    """A `kind: List` (or any `*List` with items, as `kubectl get -o yaml` writes) stands for
    its items, nested lists included: cli-runtime's FlattenListVisitor
    (staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go)."""
    items = data.get("items")
    if not str(data.get("kind", "")).endswith("List") or not isinstance(items, list):
        return [data]
    flat: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            raise _not_an_object(item, source, directive)
        flat += _flatten(item, source, directive)
    return flat


def _validate_list(data: dict[str, Any], source: str, directive: str) -> None:
    """kubectl's client-side schema check of a `v1` List (staging/src/k8s.io/kubectl/pkg/
    validation/schema.go): under Strict, every item against the OpenAPI definitions
    (`kubectl/list_validation.py`), all errors in one; under Warn, kubectl's notice that it
    cannot warn on the client."""
    if directive == "Warn":
        sys.stderr.write(klog("W", "schema.go:145", CANNOT_WARN) + "\n")
        return
    if directive != "Strict":
        return
    items = data.get("items")
    if not isinstance(items, list):
        errors = ["invalid object to validate"]
    else:
        from minikubectl.kubectl.list_validation import validate_list_items

        errors = validate_list_items(items)
    if errors:
        shown = errors[0] if len(errors) == 1 else f"[{', '.join(errors)}]"
        raise CliError(
            f'error validating "{source}": error validating data: {shown}; if you choose to '
            "ignore these errors, turn validation off with --validate=false"
        )


def _not_an_object(item: Any, source: str, directive: str) -> CliError:
    """A List's item that is no object: the schema validator refuses it (staging/src/k8s.io/
    kubectl/pkg/validation/schema.go, `invalid object to validate`); with validation off, the
    decoder of the List's items fails (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/
    unstructured/unstructured_list.go UnmarshalJSON): a null item has no kind, kubectl's
    words for it printed unprefixed."""
    if directive == "Strict":
        return CliError(
            f'error validating "{source}": error validating data: invalid object to validate; '
            "if you choose to ignore these errors, turn validation off with --validate=false"
        )
    if directive == "Warn":  # kubectl's schema.go cannot warn without a kind to look up
        sys.stderr.write(klog("W", "schema.go:145", CANNOT_WARN) + "\n")
    if item is None:
        return CliError(
            'unable to get type info from the object "*unstructured.Unstructured": Object '
            "'Kind' is missing in 'object has no kind field '",
            prefixed=False,
        )
    return CliError(
        f'unable to decode "{source}": json: cannot unmarshal {_json_type(item)} into Go '
        "value of type map[string]interface {}"
    )


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text, or libyaml's reader error at the line and document of the bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", "replace")
        problem = _UTF8_PROBLEMS.get(str(exc.reason), "invalid UTF-8")
        raise _yaml_error(source, *position(prefix, len(prefix)), problem) from exc


# Python's reasons, in the words of libyaml's (and go-yaml's) reader.
_UTF8_PROBLEMS = {
    "invalid start byte": "invalid leading UTF-8 octet",
    "invalid continuation byte": "invalid trailing UTF-8 octet",
    "unexpected end of data": "incomplete UTF-8 octet sequence",
}


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number"


def read_manifests(paths: list[str], directive: str = "Strict") -> list[Manifest]:
    """Every object in the named files, directories (their .yaml/.yml/.json), URLs or stdin;
    `directive` is `--validate`'s fieldValidation, for what kubectl validates as it reads."""
    if not paths:
        raise CliError("must specify one of -f and -k")
    manifests: list[Manifest] = []
    for path in paths:
        if path == "-":
            manifests += _parse(_decode(_read_stdin(), "STDIN"), "STDIN", directive)
            continue
        if is_url(path):
            manifests += _parse(_decode(read_url(path), path), path, directive)
            continue
        for file in _files(path):
            source = str(file) if file != Path(path) else path
            manifests += _parse(_decode(_read(file, source), source), source, directive)
    return _checked(manifests)


def parse_manifests(text: str, source: str) -> list[Manifest]:
    """Every object in YAML or JSON `text`, checked as a file's are; `source` names it in
    errors."""
    return _checked(_parse(text, source))


def _checked(manifests: list[Manifest]) -> list[Manifest]:
    problems = [p for m in manifests if (p := _check_metadata(m) or _check_type(m))]
    if problems:
        raise CliError("\n".join(problems))
    return manifests


def kind_for(obj: dict[str, Any]) -> KindInfo:
    """The served kind of a manifest; a kind no built-in one matches is looked up among the
    cluster's custom kinds (at any of their served versions)."""
    for info in KINDS:
        if info.kind == obj.get("kind") and info.api_version == obj.get("apiVersion"):
            return info
    from minikubectl.discovery import custom_kinds

    def matches(info: KindInfo) -> bool:
        return info.kind == obj.get("kind") and info.api_version == obj.get("apiVersion")

    for info in custom_kinds(matches):
        if matches(info):
            return info
    raise KeyError(obj.get("kind"))


def _check_metadata(m: Manifest) -> str:
    """kubectl decodes each document's metadata first (metadataOnlyObject): metadata of the
    wrong shape (a string, a name that is a list) fails there, before reaching the server."""
    from controlplane.api.validation.decoding import metadata_decode_error

    problem = metadata_decode_error(m.obj)
    return f'error: unable to decode "{m.source}": {problem}' if problem else ""


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
