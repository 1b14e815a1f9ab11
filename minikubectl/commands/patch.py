"""`patch`: change fields of objects with a strategic merge, JSON merge or JSON patch.

Ported from kubectl's pkg/cmd/patch/patch.go: the patch is text (`-p` or `--patch-file`),
YAML is turned into JSON on the client and JSON is sent as it is, so a JSON typo is reported
by the server (`Error from server (BadRequest): invalid character ...`). The server applies the
patch, defaults and validates the result, and writes nothing if any step fails. kubectl prints
`patched`, or `patched (no change)`; its dry-run suffix is lost in patch (PrintFlags are
completed before the verb is set), so a dry run prints the same words.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikubectl.client import Client
from minikubectl.commands.options import DryRun, Filenames, Namespace, Output, dry_run_strategy, out
from minikubectl.errors import CliError

PATCH_TYPES = ("json", "merge", "strategic")


def patch_json(text: str) -> str:
    """util/yaml.ToJSON: JSON (first non-space `{` or `[`) is kept as it is, YAML converted."""
    import json

    if text.lstrip(" \t\r\n")[:1] in ("{", "["):
        return text
    from minikubectl.yaml_reader import yaml_to_python

    try:
        return json.dumps(yaml_to_python(text), default=str)
    except ValueError as exc:
        from minikubectl.printers.gofmt import go_quote

        raise CliError(f"unable to parse {go_quote(text)}: {exc}") from None


def patch(
    resources: Annotated[list[str] | None, typer.Argument(help="TYPE NAME or TYPE/NAME.")] = None,
    patch_text: str | None = typer.Option(
        None, "--patch", "-p", help="The patch to apply, as JSON or YAML."
    ),
    patch_file: str | None = typer.Option(
        None, "--patch-file", help="A file containing the patch to apply."
    ),
    patch_type: str = typer.Option(
        "strategic", "--type", help="The type of patch: json, merge or strategic."
    ),
    namespace: Namespace = None,
    filename: Filenames = None,
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Update fields of a resource using strategic merge patch, JSON merge patch, or JSON patch.

    Examples:
      mkctl patch deployment web -p '{"spec":{"replicas":5}}'
      mkctl patch deployment web --type=merge -p '{"metadata":{"labels":{"tier":"fe"}}}'
      mkctl patch deploy web --type=json -p '[{"op":"remove","path":"/spec/paused"}]'
    """
    from controlplane.api.errors import ApiError
    from minikubectl.commands import targets
    from minikubectl.printers.output import parse_printer, print_each

    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None
    if patch_text and patch_file:
        raise CliError("cannot specify --patch and --patch-file together")
    if not patch_text and not patch_file:
        raise CliError("must specify --patch or --patch-file containing the contents of the patch")
    kind = patch_type.lower()
    if kind not in PATCH_TYPES:
        raise CliError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    text = patch_text or ""
    if patch_file:
        from minikubectl.printers.output import read_file

        try:
            text = read_file(patch_file)
        except ValueError as exc:
            raise CliError(f"unable to read patch file: {exc}") from None
    body = patch_json(text)
    client = Client(namespace)
    found = targets.find(client, resources or [], filename)
    count = 0
    for info, obj in found.objects:
        count += 1
        try:
            patched = client.patch(info, obj, body, kind, strategy)
        except (CliError, ApiError) as exc:
            found.failures.add(exc)
            continue
        if printer is not None:
            out(print_each(printer, [patched]))
        else:
            verb = "patched" if patched != obj else "patched (no change)"
            out(f"{info.kind_group}/{obj['metadata']['name']} {verb}\n")
    if strategy != "client":
        client.settle()
    if found.failures:
        raise found.failures.error()
    if count == 0:
        raise CliError("no objects passed to patch")
