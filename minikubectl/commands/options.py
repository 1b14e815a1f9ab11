"""Options shared by many commands, spelled as kubectl spells them."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from minikubectl.commands.streams import err as err
from minikubectl.commands.streams import out as out
from minikubectl.completers import complete_namespaces, complete_resources

Namespace = Annotated[
    str | None,
    typer.Option(
        "--namespace",
        "-n",
        help="If present, the namespace scope for this request.",
        autocompletion=complete_namespaces,
    ),
]
AllNamespaces = Annotated[
    bool,
    typer.Option(
        "--all-namespaces/--no-all-namespaces",
        "-A",
        help="List the requested object(s) across all namespaces.",
    ),
]
Selector = Annotated[
    str | None,
    typer.Option(
        "--selector",
        "-l",
        help="Selector (label query) to filter on, e.g. -l key1=value1,key2=value2.",
    ),
]
FieldSelector = Annotated[
    str | None,
    typer.Option(
        "--field-selector",
        help="Selector (field query) to filter on, e.g. --field-selector status.phase=Running.",
    ),
]
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Output format: json, yaml, name, wide, jsonpath=..., custom-columns=... (get).",
    ),
]
DryRun = Annotated[
    str | None,
    typer.Option(
        "--dry-run",
        help='"none", "server" or "client": only print what would be sent (client) or what the '
        "server would do (server), without changing anything.",
    ),
]
# staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go AddValidateFlags
VALIDATE_HELP = (
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a '
    "schema to validate the input and fail the request if invalid. It will perform server "
    "side validation if ServerSideFieldValidation is enabled on the api-server, but will fall "
    'back to less reliable client-side validation if not. "warn" will warn about unknown or '
    "duplicate fields without blocking the request if server-side field validation is enabled "
    'on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform '
    "any schema validation, silently dropping any unknown or duplicate fields."
)
Validate = Annotated[str, typer.Option("--validate", help=VALIDATE_HELP)]
Filenames = Annotated[
    list[str] | None,
    typer.Option("--filename", "-f", help="File, directory or - (stdin) with the manifests."),
]
Resources = Annotated[
    list[str] | None,
    typer.Argument(
        help="TYPE[,TYPE...] [NAME...] or TYPE/NAME.", autocompletion=complete_resources
    ),
]


# strconv.ParseBool's spellings, which kubectl's string flags also take as booleans
PARSE_BOOL = {v: True for v in ("1", "t", "T", "TRUE", "true", "True")} | {
    v: False for v in ("0", "f", "F", "FALSE", "false", "False")
}


def now() -> float:
    return time.time()


def dry_run_strategy(value: str | None) -> str:
    """GetDryRunStrategy: `none`, `client` or `server`, warning about the old spellings."""
    from minikubectl.errors import CliError, klog

    value = value or "none"
    if value in ("none", "client", "server"):
        return value
    if value == "unchanged":  # a bare --dry-run
        err(
            klog(
                "W",
                "helpers.go:714",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            )
        )
        return "client"
    if value in PARSE_BOOL:
        replacement, line = ("client", 728) if PARSE_BOOL[value] else ("none", 731)
        err(
            klog(
                "W",
                f"helpers.go:{line}",
                f"--dry-run={value} is deprecated (boolean value) and can be replaced with "
                f"--dry-run={replacement}.",
            )
        )
        return replacement
    raise CliError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def operation(verb: str, dry_run: str) -> str:
    """The verb kubectl prints, with PrintFlagsWithDryRunStrategy's suffix: `created (dry run)`."""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return verb + suffix


def validation_directive(value: str) -> str:
    """GetValidationDirective (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go): the
    fieldValidation a `--validate` value asks for, or kubectl's error."""
    from minikubectl.errors import CliError

    if value in PARSE_BOOL:
        return "Strict" if PARSE_BOOL[value] else "Ignore"
    directive = {"strict": "Strict", "warn": "Warn", "ignore": "Ignore"}.get(value)
    if directive is None:
        raise CliError(
            f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
            "ignore (or false)"
        )
    return directive
