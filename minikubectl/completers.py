"""Shell completion of what kubectl completes: resource types, object names, namespaces.

Typer calls these while the shell waits for candidates: `ctx.params` holds what was typed so
far (`resources` words, `-n`). Completion must never fail loudly, so any error yields no
candidates.
"""

from __future__ import annotations

import click

from controlplane.api.registry import KINDS


def _type_words() -> list[str]:
    """What a user may type as TYPE: plurals first, then short names (`deployments`, `deploy`)."""
    return [info.plural for info in KINDS] + [s for info in KINDS for s in info.short_names]


def _names(type_word: str, namespace: str | None) -> list[str]:
    from minikubectl.client import Client
    from minikubectl.resources import resolve_type

    info = resolve_type(type_word)
    return [o["metadata"]["name"] for o in Client(namespace).list_objects(info)]


def complete_resources(ctx: click.Context, incomplete: str) -> list[str]:
    """`get <TAB>` types; `get deploy <TAB>` names; `get deploy/<TAB>` `deploy/` + names."""
    words = list(ctx.params.get("resources") or ())
    namespace = ctx.params.get("namespace")
    try:
        if "/" in incomplete:
            type_word = incomplete.partition("/")[0]
            return [f"{type_word}/{name}" for name in _names(type_word, namespace)]
        if not words:
            return _type_words()
        if "/" in words[0] or "," in words[0]:
            return []
        return _names(words[0], namespace)
    except Exception:  # a half-typed command line: offer nothing rather than a traceback
        return []


def complete_namespaces(incomplete: str) -> list[str]:
    """`-n <TAB>`: the namespaces of the cluster."""
    try:
        return _names("namespaces", None)
    except Exception:
        return []
