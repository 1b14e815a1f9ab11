"""`get`: tables, wide tables, YAML, JSON and names, as kubectl prints them."""

from __future__ import annotations

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    AllNamespaces,
    Namespace,
    Output,
    Resources,
    Selector,
    err,
    now,
    out,
)
from minikubectl.errors import CliError, render_api_error

NO_TYPE = (
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
    "list of supported resources.\n\n"
    "error: Required resource not specified.\n"
    'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. '
    "kubectl explain pods).\n"
    "See 'kubectl get -h' for help and examples"
)
OUTPUTS = ("", "wide", "yaml", "json", "name")


def _no_type() -> list[tuple[KindInfo, str | None]]:
    raise CliError(NO_TYPE, prefixed=False)


def fetch(
    client: Client, args: list[str], *, all_namespaces: bool, selector: str | None
) -> tuple[list[tuple[KindInfo, list[Obj]]], list[str], bool]:
    """Objects per requested type, in request order; NotFound messages; whether any named."""
    from controlplane.api.errors import ApiError
    from minikubectl.resources import parse_targets

    targets = parse_targets(args)
    if not targets:
        raise CliError(NO_TYPE, prefixed=False)
    groups: list[tuple[KindInfo, list[Obj]]] = []
    missing: list[str] = []
    for info, name in targets:
        if name is None:
            found = client.list_objects(info, all_namespaces=all_namespaces, selector=selector)
        else:
            try:
                found = [client.get(info, name)]
            except ApiError as exc:
                missing.append(render_api_error(exc))
                continue
        if groups and groups[-1][0] == info:
            groups[-1][1].extend(found)
        else:
            groups.append((info, found))
    return groups, missing, any(name is not None for _, name in targets)


def get(
    resources: Resources = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
    output: Output = None,
    show_labels: bool = typer.Option(
        False, "--show-labels/--no-show-labels", help="Show all labels as the last column."
    ),
    no_headers: bool = typer.Option(False, "--no-headers/--headers", help="Don't print headers."),
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
) -> None:
    """Display one or many resources.

    Examples:
      mkctl get pods
      mkctl get rs,pods -o wide
      mkctl get deployment web -o yaml
      mkctl get deploy/web pod -l app=web
      mkctl get pods -A
      mkctl get pods -w
      mkctl get rs --watch-only --output-watch-events
    """
    output = (output or "").lstrip("=")
    if output not in OUTPUTS:
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: json,name,wide,yaml"
        )
    client = Client(namespace)
    if watch or watch_only:
        from minikubectl.commands.watch import single_type
        from minikubectl.commands.watch import watch as watch_changes
        from minikubectl.resources import parse_targets

        info = single_type(parse_targets(resources or []) or _no_type())
        watch_changes(
            client,
            info,
            all_namespaces=all_namespaces,
            selector=selector,
            wide=output == "wide",
            watch_only=watch_only,
            with_events=output_watch_events,
        )
        return
    groups, missing, named = fetch(
        client, resources or [], all_namespaces=all_namespaces, selector=selector
    )
    out(
        render(
            groups,
            output,
            named=named,
            all_namespaces=all_namespaces,
            show_labels=show_labels,
            no_headers=no_headers,
        )
    )
    for message in missing:
        err(message)
    if not any(objs for _, objs in groups) and not missing and output not in ("json", "yaml"):
        scope = (
            ""
            if all_namespaces or not all(i.namespaced for i, _ in groups)
            else (f" in {client.namespace} namespace")
        )
        err(f"No resources found{scope}.")
    if missing:
        raise typer.Exit(1)


def render(
    groups: list[tuple[KindInfo, list[Obj]]],
    output: str,
    *,
    named: bool,
    all_namespaces: bool,
    show_labels: bool,
    no_headers: bool,
) -> str:
    from minikubectl.printers import columns, formats

    objects = [obj for _, objs in groups for obj in objs]
    if output == "name":
        return "".join(formats.name_line(obj) + "\n" for obj in objects)
    if output in ("json", "yaml"):
        single = named and len(objects) == 1
        document = objects[0] if single else formats.as_list(objects)
        return formats.to_json(document) if output == "json" else formats.to_yaml(document)
    kinds_with_objects = [info for info, objs in groups if objs]
    tables = [
        columns.render_table(
            info.kind,
            objs,
            now(),
            wide=output == "wide",
            name_prefix=len(kinds_with_objects) > 1,
            all_namespaces=all_namespaces,
            show_labels=show_labels,
            no_headers=no_headers,
        )
        for info, objs in groups
        if objs
    ]
    return "\n".join(tables)
