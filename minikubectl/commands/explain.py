"""`explain TYPE[.FIELD...]`: what a kind and its fields mean, offline, as kubectl prints it."""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.api.registry import KindInfo
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.completers import complete_resources
from minikubectl.errors import CliError

NO_TYPE = (
    'You must specify the type of resource to explain. Use "mkctl api-resources" for a '
    "complete list of supported resources."
)


def _split(text: str) -> tuple[KindInfo, list[str]]:
    """`deployment.spec.strategy` -> (Deployment, [spec, strategy]); `deployments.apps.spec`
    names the type with its group."""
    from minikubectl.resources import resolve_type

    words = text.split(".")
    for size in (2, 1):
        try:
            return resolve_type(".".join(words[:size])), words[size:]
        except CliError:
            continue
    # kubectl 1.37 prints this one without the `error: ` prefix.
    raise CliError(f'the server doesn\'t have a resource type "{words[0]}"', prefixed=False)


def explain(
    resource: Annotated[
        str | None,
        typer.Argument(help="TYPE or TYPE.FIELD.FIELD...", autocompletion=complete_resources),
    ] = None,
    recursive: bool = typer.Option(
        False, "--recursive/--no-recursive", help="Show every field below, names and types only."
    ),
) -> None:
    """Describe fields and structure of a resource kind, from the API's own documentation.

    Fields are named by a dotted path from the kind: `deployment.spec.strategy`. List
    fields are entered like objects: `deployment.status.conditions.type`.

    Examples:
      mkctl explain deployment
      mkctl explain deployment.spec.strategy
      mkctl explain pods.spec.containers --recursive
    """
    from minikubectl.printers.explain import FieldMissing, header
    from minikubectl.printers.explain import explain as render

    if not resource:
        raise CliError(NO_TYPE)
    info, path = _split(resource)
    schemas, root = Client().openapi_schemas(info)
    group, _, version = info.api_version.rpartition("/")
    if root is None:
        raise CliError(
            f"GVK map[group:{group} kind:{info.kind} version:{version}] not found in OpenAPI schema"
        )
    head = header(group, info.kind, version)
    try:
        out(head + render(schemas, root, path, recursive=recursive))
    except FieldMissing as exc:
        out(head)
        raise CliError(str(exc)) from exc
