"""RFC 6902 JSON patch (`application/json-patch+json`), with the failure messages of
evanphx/json-patch, the library the API server and kubectl use."""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer

from controlplane.api.errors import PatchError
from controlplane.models.constants import Obj


def json_patch(target: Obj, operations: list[Any]) -> Obj:
    """RFC 6902 JSON patch, one operation at a time so that a failure can say which one.

    The messages are those of evanphx/json-patch, the library the API server and kubectl use
    (`error in remove for path: '/spec/x': Unable to remove nonexistent key: x: missing
    value`), where the situation can be told from the document; the library's own otherwise.
    """
    if not isinstance(operations, list):
        raise PatchError("a JSON patch must be a list of operations")
    result: Any = target
    for operation in operations:
        try:
            result = jsonpatch.apply_patch(result, [operation], in_place=False)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
            raise PatchError(_explain(result, operation, exc)) from exc
        except (TypeError, KeyError, IndexError, ValueError, AttributeError) as exc:
            raise PatchError(f"invalid JSON patch operation {operation}: {exc}") from exc
    if not isinstance(result, dict):
        raise PatchError("a JSON patch must leave an object, not replace it")
    return result


def _resolve(doc: Any, path: str) -> tuple[Any, str] | None:
    """The container holding `path`'s last token, and that token; None if the parent is missing."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return (node, tokens[-1]) if tokens else None


def _explain(doc: Any, operation: Any, exc: Exception) -> str:
    if not isinstance(operation, dict):
        return f"invalid JSON patch operation {operation}: {exc}"
    kind, path = operation.get("op"), str(operation.get("path", ""))
    if kind not in ("add", "remove", "replace", "move", "copy", "test"):
        return f"Unexpected kind: {'unknown' if kind is None else kind}"
    if kind == "test":
        return f"testing value {path} failed: test failed"
    if kind in ("move", "copy"):
        path = str(operation.get("from", ""))
    found = _resolve(doc, path)
    if found is None:
        missing = f'"{path}"' if kind in ("add", "remove") else path
        return f"{kind} operation does not apply: doc is missing path: {missing}: missing value"
    container, key = found
    if isinstance(container, list):
        return (
            f"error in {kind} for path: '{path}': Unable to access invalid index: {key}: "
            "invalid index referenced"
        )
    if kind == "replace":
        return f"replace operation does not apply: doc is missing key: {path}: missing value"
    where = key if kind in ("move", "copy") else path
    return (
        f"error in {kind} for path: '{where}': Unable to remove nonexistent key: {key}: "
        "missing value"
    )
