"""`label` and `annotate`: add, change (`--overwrite`) or remove (`key-`) metadata on objects.

Ported from kubectl's pkg/cmd/label/label.go and annotate/annotate.go (messages checked against
kubectl 1.37 with `--local`): arguments are split into resources and `key=value`/`key-` pairs,
existing keys are refused without `--overwrite` (unless the value is unchanged), the change is
sent as a JSON merge patch of the map, and the printed verb says what happened: `labeled`,
`unlabeled`, `modified` (both), `not labeled`; annotate always says `annotated`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import CHANGE_CAUSE_ANNOTATION, Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    AllNamespaces,
    DryRun,
    FieldSelector,
    Filenames,
    Namespace,
    Output,
    Selector,
    dry_run_strategy,
    operation,
    out,
)
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from minikubectl.printers.output import Printer

Pairs = Annotated[
    list[str] | None, typer.Argument(help="TYPE NAME (or TYPE/NAME), then KEY=VALUE or KEY-...")
]
Overwrite = Annotated[
    bool,
    typer.Option("--overwrite/--no-overwrite", help="Allow existing keys to get a new value."),
]
All = Annotated[bool, typer.Option("--all/--no-all", help="Select all objects of the given types.")]
ListFlag = Annotated[bool, typer.Option("--list/--no-list", help="Only show the current keys.")]
ResourceVersion = Annotated[
    str | None,
    typer.Option("--resource-version", help="Only change the object if it has this version."),
]


def split_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """GetResourcesAndPairs: resources first, then `k=v` / `k-` pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        is_pair = ("=" in arg and arg[0] != "=") or (arg.endswith("-") and arg != "-")
        if is_pair:
            pairs.append(arg)
        elif pairs:
            raise CliError(f"all resources must be specified before {pair_type} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def parse_labels(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go parseLabels: values are checked here, keys by the server."""
    from controlplane.models.identifiers import label_value_errors
    from minikubectl.printers.gofmt import go_quote

    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise CliError(f"invalid label spec: {spec}")
            if problems := label_value_errors(parts[1]):
                raise CliError(f"invalid label value: {go_quote(spec)}: {';'.join(problems)}")
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CliError(f"unknown label spec: {spec}")
    if any(key in labels for key in remove):
        raise CliError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_annotations(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs(..., "annotation", true) and validateAnnotations."""
    values: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in pairs:
        if "=" in spec and spec[0] != "=":
            key, _, value = spec.partition("=")
            values[key] = value
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise CliError(f"invalid annotation format: {', '.join(invalid)}")
    both = [key for key in remove if key in values]
    if both:
        raise CliError(
            "can not both modify and remove the following annotation(s) in the same command: "
            + ", ".join(both)
        )
    return values, remove


@dataclass(frozen=True)
class Kind:
    """What differs between the two commands."""

    field: str  # the metadata map: labels or annotations
    noun: str  # label or annotation, in messages
    conflicts: Callable[[dict[str, str], dict[str, str]], list[str]]
    verb: Callable[[dict[str, str], dict[str, str]], str]
    prints_result: bool  # annotate prints the server's answer, label the object it changed


def _label_conflicts(current: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """validateNoOverwrites: one error per key (an aggregate)."""
    return [
        f"'{k}' already has a value ({current[k]}), and --overwrite is false"
        for k in sorted(wanted)
        if k in current and current[k] != wanted[k]
    ]


def _annotation_conflicts(current: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """validateNoAnnotationOverwrites: one error listing every key (change-cause excepted)."""
    found = [
        f"'{k}' already has a value ({current[k]})"
        for k in sorted(wanted)
        if k != CHANGE_CAUSE_ANNOTATION and k in current and current[k] != wanted[k]
    ]
    if not found:
        return []
    return [
        "--overwrite is false but found the following declared annotation(s): " + "; ".join(found)
    ]


def _label_verb(old: dict[str, str], new: dict[str, str]) -> str:
    """updateDataChangeMsg (kubectl 1.37 says `modified` when labels come and go at once)."""
    removed = any(k not in new for k in old)
    added = any(k not in old or old[k] != new[k] for k in new)
    if added and removed:
        return "modified"
    return "labeled" if added else "unlabeled" if removed else "not labeled"


LABELS = Kind("labels", "label", _label_conflicts, _label_verb, prints_result=False)
ANNOTATIONS = Kind(
    "annotations", "annotation", _annotation_conflicts, lambda _o, _n: "annotated", True
)


@dataclass(frozen=True)
class Request:
    """The parsed command line, applied to each object in turn."""

    kind: Kind
    wanted: dict[str, str]
    remove: list[str]
    overwrite: bool
    list_: bool
    dry_run: str
    resource_version: str | None
    printer: Printer | None


def change(
    kind: Kind,
    args: list[str],
    *,
    namespace: str | None,
    filename: list[str] | None,
    overwrite: bool,
    all_: bool,
    all_namespaces: bool,
    selector: str | None,
    field_selector: str | None,
    list_: bool,
    resource_version: str | None,
    dry_run: str | None,
    output: str | None,
) -> None:
    """RunLabel / RunAnnotate: check the command line, then change every object named."""
    from controlplane.api.errors import ApiError
    from minikubectl.commands import targets
    from minikubectl.printers.output import parse_printer

    resources, pairs = split_pairs(args, kind.noun)
    wanted, remove = (parse_labels if kind is LABELS else parse_annotations)(pairs)
    if list_ and output:
        raise CliError("--list and --output may not be specified together")
    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None
    if all_ and selector:
        raise CliError("cannot set --all and --selector at the same time")
    if all_ and field_selector:
        raise CliError("cannot set --all and --field-selector at the same time")
    if not resources and not filename:
        raise CliError(targets.NOTHING_NAMED)
    if not wanted and not remove and not list_:
        raise CliError(f"at least one {kind.noun} update is required")
    client = Client(namespace)
    found = targets.find(
        client,
        resources,
        filename,
        selector=selector,
        field_selector=field_selector,
        all_=all_,
        all_namespaces=all_namespaces,
    )
    if resource_version and not found.single:
        raise CliError("--resource-version may only be used with a single resource")
    request = Request(kind, wanted, remove, overwrite, list_, strategy, resource_version, printer)
    for info, obj in found.objects:
        try:
            _change_one(request, client, info, obj, found.single)
        except (CliError, ApiError) as exc:  # ContinueOnError: the other objects still change
            found.failures.add(exc)
    if strategy != "client" and not list_:
        client.settle()
    if found.failures:
        raise found.failures.error()


def _change_one(request: Request, client: Client, info: KindInfo, obj: Obj, single: bool) -> None:
    kind = request.kind
    meta = obj["metadata"]
    current: dict[str, str] = dict(meta.get(kind.field) or {})
    if not request.overwrite and (conflicts := kind.conflicts(current, request.wanted)):
        if len(conflicts) > 1:
            raise CliError("\n".join(conflicts), prefixed=False)
        raise CliError(conflicts[0])
    new = {**current, **request.wanted}
    for key in request.remove:
        new.pop(key, None)
    if request.list_:  # the keys the object would have; nothing is sent
        if not single:
            out(f"Listing {kind.field} for {info.kind}.{info.group}/{meta['name']}:\n")
        indent = "" if single else " "
        out("".join(f"{indent}{k}={v}\n" for k, v in sorted(new.items())))
        return
    if request.dry_run != "client" and kind is LABELS:
        out("".join(f'label "{k}" not found.\n' for k in request.remove if k not in current))
    changed = {k: v for k, v in new.items() if current.get(k) != v}
    changes: dict[str, object] = {kind.field: changed | {k: None for k in current if k not in new}}
    if request.resource_version:
        changes["resourceVersion"] = request.resource_version
    local = {**obj, "metadata": {**meta, kind.field: new}}
    result = local
    if request.dry_run != "client" and (
        changed or len(new) < len(current) or request.resource_version
    ):
        answer = client.patch(
            info,
            obj,
            {"metadata": changes},
            "merge",
            request.dry_run,
            field_manager="kubectl-label" if kind is LABELS else "kubectl-annotate",
        )
        result = answer if kind.prints_result else local
    if request.printer is not None:
        from minikubectl.printers.output import print_each

        out(print_each(request.printer, [result]))
        return
    verb = operation(kind.verb(current, new), request.dry_run)
    out(f"{info.kind_group}/{meta['name']} {verb}\n")


def _command(kind: Kind, doc: str) -> Callable[..., None]:
    """The Typer command for `label` or `annotate`: the same flags, one behaviour."""

    def command(
        args: Pairs = None,
        namespace: Namespace = None,
        filename: Filenames = None,
        overwrite: Overwrite = False,
        all_: All = False,
        all_namespaces: AllNamespaces = False,
        selector: Selector = None,
        field_selector: FieldSelector = None,
        list_: ListFlag = False,
        resource_version: ResourceVersion = None,
        dry_run: DryRun = None,
        output: Output = None,
    ) -> None:
        change(
            kind,
            args or [],
            namespace=namespace,
            filename=filename,
            overwrite=overwrite,
            all_=all_,
            all_namespaces=all_namespaces,
            selector=selector,
            field_selector=field_selector,
            list_=list_,
            resource_version=resource_version,
            dry_run=dry_run,
            output=output,
        )

    command.__doc__ = doc
    command.__name__ = kind.noun
    return command


label = _command(
    LABELS,
    """Update the labels on a resource.

    A label key and value must begin with a letter or number, and may contain letters,
    numbers, hyphens, dots, and underscores, up to 63 characters each. Existing labels are
    only changed with --overwrite; KEY- removes a label.

    Examples:
      mkctl label pods web-7c5ddbdf54-2xkzq tier=frontend
      mkctl label --overwrite deployment/web app=shop
      mkctl label pods -l app=web canary=true
      mkctl label pods web-7c5ddbdf54-2xkzq tier-
    """,
)
annotate = _command(
    ANNOTATIONS,
    """Update the annotations on a resource.

    Existing annotations are only changed with --overwrite; KEY- removes an annotation.

    Examples:
      mkctl annotate deployment web owner=team-a
      mkctl annotate --overwrite deployment/web kubernetes.io/change-cause="image 1.16.1"
      mkctl annotate pods --all checked=yes
      mkctl annotate deployment web owner-
    """,
)
