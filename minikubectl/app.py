"""The root command: registers every verb and turns every failure into kubectl's text.

Errors never escape as tracebacks: API errors are rendered as kubectl renders them, CLI
errors as `error: ...`, both on stderr with exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import os
import sys

import click
import typer

from minikubectl.commands import (
    apply,
    cluster,
    delete,
    describe,
    diff,
    drain,
    edit,
    get,
    label,
    node,
    patch,
    replace,
    rollout,
    scale,
    set_image,
)
from minikubectl.commands import completion as completion_cmd
from minikubectl.commands import config as config_cmd
from minikubectl.commands import create as create_cmd
from minikubectl.commands import explain as explain_cmd
from minikubectl.commands import tree as tree_cmd
from minikubectl.commands import wait as wait_cmd

app = typer.Typer(
    name="mkctl",
    help="mkctl controls a local, fake Kubernetes cluster, the way kubectl controls a real one.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("apply")(apply.apply)
app.add_typer(create_cmd.app, name="create")
app.command("get")(get.get)
app.command("describe")(describe.describe)
app.command("delete")(delete.delete)
app.command("scale")(scale.scale)
app.command("cordon")(drain.cordon)
app.command("uncordon")(drain.uncordon)
app.command("drain")(drain.drain)
app.command("label")(label.label)
app.command("annotate")(label.annotate)
app.command("patch")(patch.patch)
app.command("replace")(replace.replace)
app.command("edit")(edit.edit)
app.command("diff")(diff.diff)
app.add_typer(set_image.app, name="set")
app.add_typer(rollout.app, name="rollout")
app.add_typer(cluster.app, name="cluster")
app.add_typer(node.app, name="node")
app.add_typer(config_cmd.app, name="config")
app.command("wait")(wait_cmd.wait)
app.command("tree")(tree_cmd.tree)
app.command("completion")(completion_cmd.completion)
app.command("explain")(explain_cmd.explain)

SHORT_OPTIONS_WITH_VALUES = ("-o", "-n", "-l", "-f", "-p", "-L")


# kubectl's boolean flags also take `=true`/`=false` (pflag); click's flags take no value.
BOOLEAN_FLAGS = {
    flag: f"--no-{flag[2:]}"
    for flag in (
        "--watch",
        "--record",
        "--force",
        "--all",
        "--now",
        "--show-labels",
        "--all-namespaces",
        "--overwrite",
    )
} | {"--no-headers": "--headers"}


def normalize_args(args: list[str]) -> list[str]:
    """Accept kubectl's spellings that click reads otherwise.

    `-o=json` would be the value `=json`; `--watch=false` would be an error. Booleans
    become `--flag` or `--no-flag`; a bare `--dry-run` means `--dry-run=unchanged`.
    """
    result: list[str] = []
    for arg in args:
        name, equals, value = arg.partition("=")
        if arg == "--dry-run":  # pflag's NoOptDefVal: a bare --dry-run never takes the next word
            result.append("--dry-run=unchanged")
        elif arg[:3] in {f"{o}=" for o in SHORT_OPTIONS_WITH_VALUES}:
            result += [arg[:2], arg[3:]]
        elif equals and name in BOOLEAN_FLAGS and value.lower() in ("true", "false"):
            result.append(name if value.lower() == "true" else BOOLEAN_FLAGS[name])
        else:
            result.append(arg)
    return result


def build_command() -> click.Command:
    """The click command tree of `app`, with help text laid out for reading."""
    from minikubectl.helptext import polish

    return polish(typer.main.get_command(app))


def main() -> None:
    from controlplane.api.errors import ApiError
    from minikubectl.client import WriteFailed
    from minikubectl.errors import CliError, render_api_error

    command = build_command()
    if completion_cmd.COMPLETE_VAR in os.environ:  # the shell asks for candidates
        from typer._completion_classes import completion_init

        completion_init()
    try:
        code = command.main(
            args=normalize_args(sys.argv[1:]), prog_name="mkctl", standalone_mode=False
        )
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CliError as exc:
        print(exc.render(), file=sys.stderr)
        sys.exit(1)
    except WriteFailed as exc:
        print("\n".join(exc.messages), file=sys.stderr)
        sys.exit(1)
    except ApiError as exc:
        print(render_api_error(exc), file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly, never with a traceback
        if os.environ.get("MKCTL_DEBUG"):
            raise
        print(
            f"error: internal error: {type(exc).__name__}: {exc} (set MKCTL_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(1)
