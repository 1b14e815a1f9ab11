"""`api-resources`: the kinds the cluster serves, as kubectl lists them from discovery.

Rows come grouped as discovery lists them (the core group, then `apps`), by resource name
within a group; `-o wide` adds the verbs and categories, `-o name` prints `pods`,
`deployments.apps` (staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiresources.go).
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.api.registry import KINDS, KindInfo
from minikubectl.commands.options import out
from minikubectl.errors import CliError

HEADERS = ("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND")


def api_resources(
    output: Annotated[str, typer.Option("--output", "-o", help="wide or name.")] = "",
    namespaced: Annotated[
        str | None,
        typer.Option("--namespaced", help="true: namespaced kinds only; false: cluster-scoped."),
    ] = None,
    api_group: Annotated[
        str | None, typer.Option("--api-group", help='Only this API group ("" for core).')
    ] = None,
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Print no header line.")] = False,
) -> None:
    """Print the supported API resources on the server.

    Examples:
      mkctl api-resources
      mkctl api-resources -o wide
      mkctl api-resources --namespaced=false
      mkctl api-resources --api-group=apps
    """
    from minikubectl.printers.tabwriter import get_table

    if output not in ("", "wide", "name"):
        raise CliError(f"--output {output} is not available")
    if namespaced not in (None, "true", "false"):
        raise CliError(
            f'invalid argument "{namespaced}" for "--namespaced" flag: strconv.ParseBool: '
            f'parsing "{namespaced}": invalid syntax'
        )
    from minikubectl.discovery import custom_kinds

    custom = {info.kind: info for info in reversed(custom_kinds(lambda _: False))}
    kinds = sorted(
        (
            info
            for info in (*KINDS, *custom.values())
            if (namespaced is None or info.namespaced == (namespaced == "true"))
            and (api_group is None or info.group == api_group)
        ),
        key=lambda info: (info.group != "", info.group, info.plural),
    )
    if output == "name":
        out("".join(f"{info.resource}\n" for info in kinds))
        return
    lines = [] if no_headers else ["\t".join(_headers(output))]
    lines += ["\t".join(_row(info, output)) for info in kinds]
    out(get_table("".join(line + "\n" for line in lines)))


def _headers(output: str) -> tuple[str, ...]:
    return (*HEADERS, "VERBS", "CATEGORIES") if output == "wide" else HEADERS


def _row(info: KindInfo, output: str) -> list[str]:
    cells = [
        info.plural,
        ",".join(info.short_names),
        info.api_version,
        "true" if info.namespaced else "false",
        info.kind,
    ]
    if output == "wide":
        cells += [",".join(sorted(info.verbs)), ",".join(info.categories)]
    return cells
