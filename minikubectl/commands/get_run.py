"""`get` without `--watch`: tables, YAML, JSON, names, JSONPath and custom columns, as kubectl
prints them.

kubectl takes one of two paths (pkg/cmd/get/get.go). Tables (`-o wide` or no `-o`) are the
API server's Tables (transformRequests asks for them, with `includeObject=Object` to sort),
printed per kind, each kind's rows sorted on their own by `--sort-by`; every other format
prints one document: the object itself when exactly one was named, otherwise a `v1 List` of
everything found, sorted as a whole.

Nothing here imports click or Typer: the Typer command (`get.py`) and the parser of the most
common command lines (`minikubectl.fast_get`) both run it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.streams import err, out
from minikubectl.errors import CliError, PartialOutput, render_api_error

if TYPE_CHECKING:
    from minikubectl.printers.listing import Found
    from minikubectl.printers.output import Printer


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
) -> int:
    """Find what `resources` (and the manifests of `filenames`) name and print it; the exit
    code: 1 when a named object was not found (after printing the others), else 0."""
    from minikubectl.printers.listing import TableOptions, render_get

    if filenames:
        resources = [*resources, *from_files(client, filenames)]
    found, missing = fetch(
        client,
        resources,
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
    return 1 if missing else 0


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
