"""Kubernetes REST paths, both ways: a kind, namespace and name to a URL path and back.

`/api/v1/namespaces/default/pods/web-1`, `/apis/apps/v1/namespaces/default/deployments`,
`/api/v1/pods` (every namespace), `/api/v1/nodes/node-1/status`. The daemon's HTTP server
parses requests with `parse_path`; the CLI builds them with `resource_path`, so the two can
never disagree. Only the standard library and the kind registry are imported here: the CLI's
read path must stay light.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from controlplane.api.registry import KindInfo, custom_generation, served_kinds


def _by_group_version_plural() -> dict[tuple[str, str], KindInfo]:
    return _routes(custom_generation())


@lru_cache(maxsize=16)
def _routes(_generation: int) -> dict[tuple[str, str], KindInfo]:
    """Every served kind (each served version of a custom kind) by group version and plural."""
    return {(info.api_version, info.plural): info for info in served_kinds()}


class Route(NamedTuple):
    """What one request path addresses; `namespace=None` is "every namespace"."""

    info: KindInfo
    namespace: str | None
    name: str = ""
    subresource: str = ""


def group_version_prefix(api_version: str) -> str:
    """`/api/v1` for the core group, `/apis/apps/v1` for the others."""
    return f"/apis/{api_version}" if "/" in api_version else f"/api/{api_version}"


def resource_path(
    info: KindInfo, namespace: str | None, name: str = "", subresource: str = ""
) -> str:
    """The path of a collection (no name) or of one object, as kubectl requests it."""
    parts = [group_version_prefix(info.api_version)]
    if info.namespaced and namespace is not None:
        parts += ["namespaces", namespace]
    parts.append(info.plural)
    parts += [p for p in (name, subresource) if p]
    return "/".join(parts)


def parse_path(path: str) -> Route | None:
    """The route of a request path (query string removed), or None when nothing is served
    there. `/api/v1/namespaces/x` is the Namespace `x` itself, as on a real API server."""
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["api"] and len(segments) >= 2:
        api_version, rest = segments[1], segments[2:]
    elif segments[:1] == ["apis"] and len(segments) >= 3:
        api_version, rest = f"{segments[1]}/{segments[2]}", segments[3:]
    else:
        return None
    if len(rest) >= 3 and rest[0] == "namespaces":
        info = _by_group_version_plural().get((api_version, rest[2]))
        if info is not None and info.namespaced and len(rest) <= 5:
            return Route(info, rest[1], *rest[3:])
    info = _by_group_version_plural().get((api_version, rest[0])) if rest else None
    if info is None or len(rest) > 3 or (info.namespaced and len(rest) > 1):
        return None
    return Route(info, None if info.namespaced else "", *rest[1:])
