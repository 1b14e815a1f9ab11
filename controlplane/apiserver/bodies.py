"""Request bodies as the API server's decoder reads them: JSON, fields named twice noted
(strict decoding reports them), and checked against the path they were sent to."""

from __future__ import annotations

import json
from typing import Any

from controlplane.api import errors
from controlplane.api.jsonsyntax import go_type_name
from controlplane.apiserver.paths import Route
from controlplane.models.constants import Obj


class _Members(dict[str, Any]):
    """A decoded JSON object that remembers which of its keys it saw more than once."""

    repeated: list[str]


def _members(pairs: list[tuple[str, Any]]) -> _Members:
    members = _Members(pairs)
    members.repeated = []
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            members.repeated.append(key)
        seen.add(key)
    return members


def decode(body: bytes) -> Any:
    """The JSON value of a body (the last of a repeated field wins, as in Go); 400 if none."""
    return decode_noting_duplicates(body)[0]


def decode_noting_duplicates(body: bytes) -> tuple[Any, list[str]]:
    """The JSON value of a body, and the paths of the fields it names twice, as
    sigs.k8s.io/json's strict decoding words them (`metadata.name`, `spec.containers[0].a`)."""
    try:
        value = json.loads(body or b"null", object_pairs_hook=_members)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"the body of the request could not be decoded: {exc}") from exc
    duplicates: list[str] = []
    return _plain(value, "", duplicates), duplicates


def _plain(value: Any, path: str, duplicates: list[str]) -> Any:
    if isinstance(value, _Members):
        duplicates += [f"{path}.{k}" if path else k for k in value.repeated]
        return {k: _plain(v, f"{path}.{k}" if path else k, duplicates) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{path}[{i}]", duplicates) for i, v in enumerate(value)]
    return value


def addressed(route: Route, obj: Any, kind: str, api_version: str) -> Obj:
    """The body, checked against the path it was sent to (name and namespace); `kind` and
    `apiVersion` default to the path's, as the server's decoder defaults them."""
    if not isinstance(obj, dict):
        raise errors.bad_request("the body of the request must be an object")
    obj.setdefault("kind", kind)
    obj.setdefault("apiVersion", api_version)
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise errors.bad_request(
            f'{kind} in version "{api_version.rpartition("/")[2]}" cannot be handled as a '
            f"{kind}: json: cannot unmarshal {go_type_name(meta)} into Go struct field "
            f"{kind}.metadata of type v1.ObjectMeta"
        )
    if route.info.namespaced:
        given = meta.setdefault("namespace", route.namespace)
        if given != route.namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on "
                "the request"
            )
    if route.name and meta.get("name") != route.name:
        raise errors.bad_request(
            f"the name of the object ({meta.get('name')}) does not match the name on the URL "
            f"({route.name})"
        )
    return obj
