"""The custom kinds of the cluster this CLI talks to, learnt when a command names a type, or
a manifest a kind, that no built-in kind answers (kubectl's discovery, narrowed to what it
must find: the CRDs, read through the same door as every object).

Their names then resolve like built-in ones (`widgets`, `wd`, `widget.example.com`), and
`kind_info` finds them for the paths of every request. The kinds an API in this process has
already read from its store are used as they are; otherwise the cluster is asked once."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from controlplane.api.registry import KindInfo, is_custom, kind_info, served_kinds


def custom_kinds(wanted: Callable[[KindInfo], bool] = lambda _: True) -> tuple[KindInfo, ...]:
    """Every served version of every custom kind, the storage version of each first: those
    known in this process if one is `wanted`, else the cluster's."""
    known = _known()
    if not any(wanted(info) for info in known):
        _ask_the_cluster()
        known = _known()
    return known


def _known() -> tuple[KindInfo, ...]:
    found = [info for info in served_kinds() if is_custom(info.kind)]
    return tuple(sorted(found, key=lambda i: kind_info(i.kind).api_version != i.api_version))


@cache
def _ask_the_cluster() -> None:
    from controlplane.api.crd.served import load
    from controlplane.models.constants import Kind
    from minikubectl.client import Client

    load(Client().api.list(Kind.CUSTOM_RESOURCE_DEFINITION), source=None)
