"""`get`: tables, YAML, JSON, names, JSONPath and custom columns, as kubectl prints them.

kubectl takes one of two paths (pkg/cmd/get/get.go). Tables (`-o wide` or no `-o`) are the
API server's Tables (transformRequests asks for them, with `includeObject=Object` to sort),
printed per kind, each kind's rows sorted on their own by `--sort-by`; every other format
prints one document: the object itself when exactly one was named, otherwise a `v1 List` of
everything found, sorted as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    AllNamespaces,
    FieldSelector,
    Filenames,
    Namespace,
    Output,
    Resources,
    Selector,
    err,
    out,
)
from minikubectl.errors import CliError, PartialOutput, render_api_error

if TYPE_CHECKING:
    from minikubectl.printers.listing import Found


NO_TYPE = (
    'You must specify the type of resource to get. Use "mkctl api-resources" for a complete '
    "list of supported resources.\n\n"
    "error: Required resource not specified.\n"
    'Use "mkctl explain <resource>" for a detailed description of that resource (e.g. '
    "mkctl explain pods).\n"
    "See 'mkctl get -h' for help and examples"
)


def _no_type() -> list[tuple[KindInfo, str | None]]:
    raise CliError(NO_TYPE, prefixed=False)


def fetch(
    client: Client,
    args: list[str],
    *,
    all_namespaces: bool,
    selector: str | None,
    field_selector: str | None = None,
    tables: bool = False,
    include_object: str = "",
) -> tuple[Found, list[str]]:
    """What kubectl's builder finds for `args`, and the NotFound messages of named objects:
    the objects, or with `tables` one Table per requested type (consecutive requests of one
    type make one Table, as kubectl prints them under one header)."""
    from controlplane.api.errors import ApiError
    from minikubectl.commands.builder import list_type
    from minikubectl.printers.listing import Found
    from minikubectl.resources import check_selector_use, parse_targets

    check_selector_use(args, bool(selector or field_selector))
    targets = parse_targets(args)
    if not targets:
        raise CliError(NO_TYPE, prefixed=False)
    answers: list[tuple[KindInfo, Obj]] = []
    missing: list[str] = []
    infos = 0
    key = "rows" if tables else "items"
    for info, name in targets:
        try:
            if tables:
                answer = client.table(
                    info,
                    name or "",
                    all_namespaces=all_namespaces,
                    selector=selector,
                    field_selector=field_selector,
                    include_object=include_object,
                )
            elif name is None:
                answer = {
                    "items": list_type(
                        client,
                        info,
                        all_namespaces=all_namespaces,
                        selector=selector,
                        field_selector=field_selector,
                    )
                }
            else:
                answer = {"items": [client.get(info, name)]}
        except ApiError as exc:
            if name is None:
                raise
            missing.append(render_api_error(exc))
            continue
        infos += 1
        if answers and answers[-1][0] == info:
            answers[-1][1][key].extend(answer[key])
        else:
            answers.append((info, answer))
    single = len(targets) == 1 and targets[0][1] is not None
    if tables:
        return Found(tables=answers, single=single, infos=infos), missing
    groups = [(info, answer["items"]) for info, answer in answers]
    return Found(groups, single=single, infos=infos), missing


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


def get(
    resources: Resources = None,
    filename: Filenames = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
    field_selector: FieldSelector = None,
    output: Output = None,
    template: str | None = typer.Option(
        None, "--template", help="The JSONPath template to use with -o jsonpath, jsonpath-file."
    ),
    sort_by: str | None = typer.Option(
        None, "--sort-by", help="Sort by a JSONPath field, e.g. '{.metadata.name}'."
    ),
    label_columns: Annotated[
        list[str] | None,
        typer.Option("--label-columns", "-L", help="Labels to show as columns (k1,k2,...)."),
    ] = None,
    show_labels: bool = typer.Option(
        False, "--show-labels/--no-show-labels", help="Show all labels as the last column."
    ),
    no_headers: bool = typer.Option(False, "--no-headers/--headers", help="Don't print headers."),
    allow_missing_template_keys: bool = typer.Option(
        True,
        "--allow-missing-template-keys/--no-allow-missing-template-keys",
        help="Ignore JSONPath errors caused by missing fields.",
    ),
    watch: bool = typer.Option(
        False, "--watch/--no-watch", "-w", help="After listing, watch for changes."
    ),
    watch_only: bool = typer.Option(
        False, "--watch-only/--no-watch-only", help="Watch for changes without listing first."
    ),
    output_watch_events: bool = typer.Option(
        False,
        "--output-watch-events/--no-output-watch-events",
        help="With --watch, add an EVENT column: ADDED, MODIFIED or DELETED.",
    ),
    show_managed_fields: bool = typer.Option(
        False,
        "--show-managed-fields/--no-show-managed-fields",
        help="Keep metadata.managedFields when printing objects in JSON or YAML.",
    ),
) -> None:
    """Display one or many resources.

    Examples:
      mkctl get pods
      mkctl get rs,pods -o wide
      mkctl get deployment web -o yaml
      mkctl get deploy/web pod -l app=web
      mkctl get -f samples/02-deployment.yaml
      mkctl get pods -A --field-selector status.phase=Running
      mkctl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}'
      mkctl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
      mkctl get pods --sort-by=.metadata.creationTimestamp -L app
      mkctl get pods -w
      mkctl get rs --watch-only --output-watch-events
    """
    from minikubectl.printers.listing import TableOptions, render_get
    from minikubectl.printers.output import GET_FORMATS, parse_printer

    output = output or ""
    if show_labels and output not in ("", "wide"):
        raise CliError(f"--show-labels option cannot be used with {output} printer")
    printer = parse_printer(
        output,
        GET_FORMATS,
        template=template,
        no_headers=no_headers,
        allow_missing_keys=allow_missing_template_keys,
        show_managed_fields=show_managed_fields,
    )
    client = Client(namespace)
    if watch or watch_only:
        from minikubectl.commands.watch import watch as watch_changes
        from minikubectl.resources import parse_targets

        watch_changes(
            client,
            parse_targets(resources or []) or _no_type(),
            all_namespaces=all_namespaces,
            selector=selector,
            field_selector=field_selector,
            printer=printer,
            watch_only=watch_only,
            with_events=output_watch_events,
        )
        return
    if filename:
        resources = [*(resources or []), *from_files(client, filename)]
    found, missing = fetch(
        client,
        resources or [],
        all_namespaces=all_namespaces,
        selector=selector,
        field_selector=field_selector,
        tables=printer.human,
        include_object="Object" if sort_by else "",
    )
    for message in missing:
        err(message)
    options = TableOptions(
        all_namespaces=all_namespaces,
        show_labels=show_labels,
        label_columns=tuple(k for v in label_columns or [] for k in v.split(",") if k),
        no_headers=no_headers,
        sort_by=sort_by,
    )
    try:
        text = render_get(printer, found, options)
    except PartialOutput as exc:
        out(exc.text)
        raise
    out(text)
    if printer.human and not text and not missing:
        scope = (
            ""
            if all_namespaces or not all(i.namespaced for i in found.kinds)
            else f" in {client.namespace} namespace"
        )
        err(f"No resources found{scope}.")
    if missing:
        raise typer.Exit(1)
