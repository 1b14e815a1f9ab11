"""`get`: the Typer command, and `--watch`.

What it prints without a watch is `get_run`'s, which `minikubectl.fast_get` also runs for the
command lines it reads without Typer.
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.api.registry import KindInfo
from minikubectl.client import Client
from minikubectl.commands.get_run import DEFAULT_CHUNK_SIZE, NO_TYPE, print_objects, printer_for
from minikubectl.commands.options import (
    AllNamespaces,
    FieldSelector,
    Filenames,
    Namespace,
    Output,
    Resources,
    Selector,
)
from minikubectl.errors import CliError
from minikubectl.intflags import INT


def _no_type() -> list[tuple[KindInfo, str | None]]:
    raise CliError(NO_TYPE, prefixed=False)


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
    show_kind: bool = typer.Option(
        False,
        "--show-kind/--no-show-kind",
        help="List the resource type of the requested objects: NAME as kind/name.",
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
    chunk_size: int = typer.Option(
        DEFAULT_CHUNK_SIZE,
        "--chunk-size",
        help="Return large lists in chunks rather than all at once. Pass 0 to disable.",
        click_type=INT,
    ),
) -> None:
    """Display one or many resources.

    Examples:
      mkctl get pods
      mkctl get rs,pods -o wide
      mkctl get pods --show-kind
      mkctl get deployment web -o yaml
      mkctl get deploy/web pod -l app=web
      mkctl get -f samples/02-deployment.yaml
      mkctl get pods -A --field-selector status.phase=Running
      mkctl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}'
      mkctl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
      mkctl get pods --sort-by=.metadata.creationTimestamp -L app
      mkctl get pods --chunk-size=100
      mkctl get pods -w
      mkctl get rs --watch-only --output-watch-events
    """
    output = output or ""
    printer = printer_for(
        output,
        show_labels=show_labels,
        template=template,
        no_headers=no_headers,
        allow_missing_template_keys=allow_missing_template_keys,
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
            show_kind=show_kind,
        )
        return
    code = print_objects(
        client,
        printer,
        resources or [],
        filenames=filename,
        all_namespaces=all_namespaces,
        selector=selector,
        field_selector=field_selector,
        sort_by=sort_by,
        label_columns=label_columns,
        show_labels=show_labels,
        no_headers=no_headers,
        chunk_size=chunk_size,
        show_kind=show_kind,
    )
    if code:
        raise typer.Exit(code)
