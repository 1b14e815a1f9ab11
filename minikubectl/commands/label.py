"""`label`: add, change or remove labels, e.g. to steer DaemonSets onto nodes.

kubectl's client-side logic (pkg/cmd/label/label.go: GetResourcesAndPairs, parseLabels,
validateNoOverwrites, updateDataChangeMsg), then one JSON merge patch per object.
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.models.selectors import label_value_errors
from minikubectl.client import Client
from minikubectl.commands.options import Namespace, out
from minikubectl.errors import CliError

NO_RESOURCES = "one or more resources must be specified as <resource> <name> or <resource>/<name>"


def split_pairs(args: list[str]) -> tuple[list[str], list[str]]:
    """GetResourcesAndPairs: resources first, then `key=value` / `key-` changes."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        is_pair = ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")
        if is_pair:
            pairs.append(arg)
        elif pairs:
            raise CliError(f"all resources must be specified before label changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def parse_labels(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """parseLabels: the labels to set and the keys to remove."""
    new: dict[str, str] = {}
    remove: list[str] = []
    for pair in pairs:
        if "=" in pair:
            parts = pair.split("=")
            if len(parts) != 2:
                raise CliError(f"invalid label spec: {pair}")
            errors = label_value_errors(parts[1])
            if errors:
                raise CliError(f'invalid label value: "{pair}": {";".join(errors)}')
            new[parts[0]] = parts[1]
        else:
            remove.append(pair[:-1])
    if any(key in new for key in remove):
        raise CliError("can not both modify and remove a label in the same command")
    return new, remove


def change_message(old: dict[str, str], new: dict[str, str]) -> str:
    """updateDataChangeMsg: labeled, unlabeled, label(s) changed, or not labeled."""
    unlabeled = any(k not in new for k in old)
    labeled = any(k not in old or old[k] != v for k, v in new.items())
    if labeled and unlabeled:
        return "label(s) changed"
    return "labeled" if labeled else "unlabeled" if unlabeled else "not labeled"


def label(
    args: Annotated[
        list[str] | None,
        typer.Argument(help="TYPE NAME... or TYPE/NAME..., then KEY=VALUE or KEY- (remove)."),
    ] = None,
    namespace: Namespace = None,
    overwrite: bool = typer.Option(
        False, "--overwrite/--no-overwrite", help="Allow changing a label that already has a value."
    ),
) -> None:
    """Update the labels on a resource.

    Examples:
      mkctl label node node-1 disktype=ssd
      mkctl label node/node-1 disktype=hdd --overwrite
      mkctl label node node-1 disktype-
    """
    from minikubectl.resources import parse_targets

    resources, pairs = split_pairs(args or [])
    new, remove = parse_labels(pairs)
    targets = parse_targets(resources)
    if not targets or any(name is None for _, name in targets):
        raise CliError(NO_RESOURCES)
    if not new and not remove:
        raise CliError("at least one label update is required")
    client = Client(namespace)
    lines: list[str] = []
    with client.api.batch():
        for info, name in targets:
            assert name is not None
            current = dict(client.get(info, name)["metadata"].get("labels") or {})
            lines += [f'label "{key}" not found.\n' for key in remove if key not in current]
            if not overwrite:
                clashes = [
                    f"'{key}' already has a value ({current[key]}), and --overwrite is false"
                    for key, value in new.items()
                    if key in current and current[key] != value
                ]
                if clashes:
                    out("".join(lines))
                    raise CliError(clashes[0] if len(clashes) == 1 else f"[{', '.join(clashes)}]")
            updated = {k: v for k, v in {**current, **new}.items() if k not in remove}
            if updated != current:
                patch = {**new, **dict.fromkeys(remove)}
                client.merge_patch(info, name, {"metadata": {"labels": patch}})
            lines.append(f"{info.kind_group}/{name} {change_message(current, updated)}\n")
    client.settle()
    out("".join(lines))
