"""`get` without `--watch`: tables, YAML, JSON, names, JSONPath and custom columns, as kubectl
prints them.

kubectl takes one of two paths (pkg/cmd/get/get.go). Tables (`-o wide` or no `-o`) are the
API server's Tables (transformRequests asks for them, with `includeObject=Object` to sort),
a list's read in chunks of `--chunk-size` rows and printed as each arrives, per kind, each
kind's rows sorted on their own by `--sort-by`; every other format prints one document: the
object itself when exactly one was named, otherwise a `v1 List` of everything found, sorted
as a whole.

Nothing here imports click or Typer: the Typer command (`get.py`) and the parser of the most
common command lines (`minikubectl.fast_get`) both run it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.streams import err, out
from minikubectl.errors import CliError, PartialOutput, render_api_error

if TYPE_CHECKING:
    from minikubectl.printers.listing import Found
    from minikubectl.printers.output import Printer
    from minikubectl.printers.tablestream import TableOptions

Targets = list[tuple[KindInfo, str | None]]


NO_TYPE = (
    'You must specify the type of resource to get. Use "mkctl api-resources" for a complete '
    "list of supported resources.\n\n"
    "error: Required resource not specified.\n"
    'Use "mkctl explain <resource>" for a detailed description of that resource (e.g. '
    "mkctl explain pods).\n"
    "See 'mkctl get -h' for help and examples"
)


def printer_for(
    output: str,
    *,
    show_labels: bool = False,
    template: str | None = None,
    no_headers: bool = False,
    allow_missing_template_keys: bool = True,
    show_managed_fields: bool = False,
) -> Printer:
    """The printer `-o` names, or kubectl's error for a format or flags it does not take."""
    from minikubectl.printers.output import GET_FORMATS, parse_printer

    if show_labels and output not in ("", "wide"):
        raise CliError(f"--show-labels option cannot be used with {output} printer")
    return parse_printer(
        output,
        GET_FORMATS,
        template=template,
        no_headers=no_headers,
        allow_missing_keys=allow_missing_template_keys,
        show_managed_fields=show_managed_fields,
    )


DEFAULT_CHUNK_SIZE = 500  # --chunk-size (cmdutil.DefaultChunkSize)


def print_objects(
    client: Client,
    printer: Printer,
    resources: list[str],
    *,
    filenames: list[str] | None = None,
    all_namespaces: bool = False,
    selector: str | None = None,
    field_selector: str | None = None,
    sort_by: str | None = None,
    label_columns: list[str] | None = None,
    show_labels: bool = False,
    no_headers: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    show_kind: bool = False,
) -> int:
    """Find what `resources` (and the manifests of `filenames`) name and print it; the exit
    code: 1 when a named object was not found (after printing the others), else 0."""
    from minikubectl.printers.listing import render_get
    from minikubectl.printers.tablestream import TableOptions

    if filenames:
        resources = [*resources, *from_files(client, filenames)]
    targets = _targets(resources, selector, field_selector)
    options = TableOptions(
        all_namespaces=all_namespaces,
        show_labels=show_labels,
        label_columns=tuple(k for v in label_columns or [] for k in v.split(",") if k),
        no_headers=no_headers,
        sort_by=sort_by,
        show_kind=show_kind,
    )
    scope = Scope(all_namespaces, selector, field_selector)
    if printer.human:
        return _print_tables(client, printer, targets, scope, options, chunk_size)
    found, missing = fetch(client, targets, scope)
    for message in missing:
        err(message)
    try:
        text = render_get(printer, found, options)
    except PartialOutput as exc:
        out(exc.text)
        raise
    out(text)
    return 1 if missing else 0


class Scope(NamedTuple):
    """Where a get looks: every namespace or the client's, and the selectors of its lists."""

    all_namespaces: bool
    selector: str | None
    field_selector: str | None


def _targets(args: list[str], selector: str | None, field_selector: str | None) -> Targets:
    from minikubectl.resources import check_selector_use, parse_targets

    check_selector_use(args, bool(selector or field_selector))
    targets = parse_targets(args)
    if not targets:
        raise CliError(NO_TYPE, prefixed=False)
    return targets


def _print_tables(
    client: Client,
    printer: Printer,
    targets: Targets,
    scope: Scope,
    options: TableOptions,
    chunk_size: int,
) -> int:
    """Tables, printed chunk by chunk as the server sends them when one kind is asked for.

    kubectl's builder gathers every chunk before printing (get.go Run, `r.Infos()`), which
    only matters in two cases, handled the same way here: several kinds print `kind/name`
    when more than one kind answered (multipleGVKsRequested, decided before printing, turns
    on what `--show-kind` asks for: HumanPrintFlags.EnsureWithKind), and
    `--sort-by` lists without chunks (chunkSize = 0) to sort each kind's whole Table.
    """
    from minikubectl.printers.listing import sort_tables
    from minikubectl.printers.tablestream import TableStream

    missing: list[str] = []
    sort_by = options.sort_by
    tables: Iterable[tuple[KindInfo, Obj]] = found_tables(
        client, targets, scope, missing, chunk_size=0 if sort_by else chunk_size, sort=bool(sort_by)
    )
    with_kind = options.show_kind
    if sort_by or len({info for info, _ in targets}) > 1:
        tables = list(tables)
        with_kind = with_kind or len({info for info, _ in tables}) > 1
        if sort_by:
            tables = sort_tables(tables, sort_by)
    stream = TableStream(out, options, wide=printer.format == "wide", with_kind=with_kind)
    namespaced = not scope.all_namespaces
    for info, table in tables:
        namespaced = namespaced and info.namespaced
        stream.print_table(info, table)
    stream.close()
    for message in missing:
        err(message)
    if not stream.written and not missing:
        err(f"No resources found{f' in {client.namespace} namespace' if namespaced else ''}.")
    return 1 if missing else 0


def found_tables(
    client: Client,
    targets: Targets,
    scope: Scope,
    missing: list[str],
    *,
    chunk_size: int,
    sort: bool = False,
) -> Iterator[tuple[KindInfo, Obj]]:
    """The server's Tables for `targets`, in order, as each arrives: one per named object
    (NotFound messages go to `missing`), and one per chunk of each list, read with
    `limit=chunk_size` and then the `continue` token each chunk carries until one carries
    none (cli-runtime's Selector.Visit and FollowContinue, staging/src/k8s.io/cli-runtime/
    pkg/resource/selector.go). With `sort`, rows carry their whole objects (includeObject)."""
    from controlplane.api.errors import ApiError

    include_object = "Object" if sort else ""
    for info, name in targets:
        if name is not None:
            try:
                yield info, client.table(info, name, include_object=include_object)
            except ApiError as exc:
                missing.append(render_api_error(exc))
            continue
        token = ""
        while True:
            table = client.table(
                info,
                all_namespaces=scope.all_namespaces,
                selector=scope.selector,
                field_selector=scope.field_selector,
                include_object=include_object,
                limit=chunk_size,
                continue_token=token,
            )
            token = (table.get("metadata") or {}).get("continue") or ""
            yield info, table
            if not token:
                break


def fetch(client: Client, targets: Targets, scope: Scope) -> tuple[Found, list[str]]:
    """The objects kubectl's builder finds for `targets`, and the NotFound messages of named
    objects (consecutive requests of one type make one group)."""
    from controlplane.api.errors import ApiError
    from minikubectl.commands.builder import list_type
    from minikubectl.printers.listing import Found

    groups: list[tuple[KindInfo, list[Obj]]] = []
    missing: list[str] = []
    for info, name in targets:
        try:
            if name is None:
                items = list_type(
                    client,
                    info,
                    all_namespaces=scope.all_namespaces,
                    selector=scope.selector,
                    field_selector=scope.field_selector,
                )
            else:
                items = [client.get(info, name)]
        except ApiError as exc:
            if name is None:
                raise
            missing.append(render_api_error(exc))
            continue
        if groups and groups[-1][0] == info:
            groups[-1][1].extend(items)
        else:
            groups.append((info, items))
    single = len(targets) == 1 and targets[0][1] is not None
    return Found(groups, single=single), missing


def from_files(client: Client, filenames: list[str]) -> list[str]:
    """`-f FILE|DIR|URL`: the objects the manifests name, as `TYPE/NAME` arguments, looked up
    in their own namespace (one namespace for all of them)."""
    from minikubectl.manifests import read_manifests

    manifests = read_manifests(filenames)
    namespaces = {client.namespace_for(m.info, m.obj) for m in manifests if m.info.namespaced}
    if len(namespaces) > 1:
        raise CliError("mkctl get -f reads manifests of one namespace at a time")
    client.namespace = next(iter(namespaces), client.namespace)
    return [f"{m.info.resource}/{m.obj['metadata']['name']}" for m in manifests]
