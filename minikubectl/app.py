"""The root command: registers every verb and turns every failure into kubectl's text.

Errors never escape as tracebacks: API errors are rendered as kubectl renders them, CLI
errors as `error: ...`, both on stderr with exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING

from minikubectl import COMPLETE_VAR

if TYPE_CHECKING:  # imported when a command line needs them: `minikubectl.fast_get`
    import click
    import typer

# Every verb: name -> (module in minikubectl.commands, attribute, is a group of subcommands),
# in the order `mkctl --help` lists them. A command line that names one verb imports and
# builds only that one: the other modules and their click commands cost ~100 ms per run.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "apply": ("apply", "apply", False),
    "create": ("create", "app", True),
    "run": ("run", "run", False),
    "get": ("get", "get", False),
    "describe": ("describe", "describe", False),
    "logs": ("logs", "logs", False),
    "delete": ("delete", "delete", False),
    "scale": ("scale", "scale", False),
    "cordon": ("drain", "cordon", False),
    "uncordon": ("drain", "uncordon", False),
    "drain": ("drain", "drain", False),
    "label": ("label", "label", False),
    "annotate": ("label", "annotate", False),
    "patch": ("patch", "patch", False),
    "replace": ("replace", "replace", False),
    "edit": ("edit", "edit", False),
    "diff": ("diff", "diff", False),
    "set": ("set_image", "app", True),
    "rollout": ("rollout", "app", True),
    "cluster": ("cluster", "app", True),
    "learner": ("learner", "app", True),
    "node": ("node", "app", True),
    "config": ("config", "app", True),
    "wait": ("wait", "wait", False),
    "tree": ("tree", "tree", False),
    "dashboard": ("dashboard", "dashboard", False),
    "completion": ("completion", "completion", False),
    "explain": ("explain", "explain", False),
    "api-resources": ("api_resources", "api_resources", False),
    "api-versions": ("cluster_info", "api_versions", False),
    "cluster-info": ("cluster_info", "cluster_info", False),
    "exec": ("no_containers", "exec_command", False),
    "attach": ("no_containers", "attach", False),
    "cp": ("no_containers", "cp", False),
    "port-forward": ("no_containers", "port_forward", False),
    "proxy": ("no_containers", "proxy", False),
    "debug": ("no_containers", "debug", False),
    "top": ("no_containers", "top", False),
    "autoscale": ("no_containers", "autoscale", False),
    "samples": ("samples", "app", True),
    "expose": ("expose", "expose", False),
    "traffic": ("traffic", "traffic", False),
    "version": ("version", "version", False),
    "plugin": ("plugin", "app", True),
}


HELP = "mkctl controls a local, fake Kubernetes cluster, the way kubectl controls a real one."


def _root() -> None:
    """The root group's own (empty) step: with it Typer keeps a group of one verb a group."""


def make_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The root Typer app with the given verbs registered (all of them by default)."""
    import typer

    app = typer.Typer(
        name="mkctl",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback(help=HELP)(_root)
    for name in names:
        module_name, attribute, is_group = COMMANDS[name]
        target = getattr(import_module(f"minikubectl.commands.{module_name}"), attribute)
        if is_group:
            app.add_typer(target, name=name)
        else:  # a verb that takes any arguments says so with `context_settings`
            app.command(name, context_settings=getattr(target, "context_settings", None))(target)
    return app


SHORT_OPTIONS_WITH_VALUES = ("-o", "-n", "-l", "-f", "-p", "-L", "-v", "-c")


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
        "--show-kind",
        "--all-namespaces",
        "--overwrite",
        "--wait",
        "--ignore-not-found",
        "--client",
    )
} | {"--no-headers": "--headers"}


def normalize_args(args: list[str]) -> list[str]:
    """Accept kubectl's spellings that click reads otherwise.

    `-o=json` would be the value `=json`; `--watch=false` would be an error. Booleans
    become `--flag` or `--no-flag`; a bare `--dry-run` means `--dry-run=unchanged`, a bare
    `--validate` `--validate=strict`.
    """
    result: list[str] = []
    for raw in args:
        # Bytes that are not UTF-8 (kept by Python as surrogates) become U+FFFD, as Go's JSON
        # encoding makes them on the way to the server.
        arg = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        name, equals, value = arg.partition("=")
        if arg == "--dry-run":  # pflag's NoOptDefVal: a bare --dry-run never takes the next word
            result.append("--dry-run=unchanged")
        elif arg == "--validate":  # the same for --validate, whose NoOptDefVal is strict
            result.append("--validate=strict")
        elif arg[:3] in {f"{o}=" for o in SHORT_OPTIONS_WITH_VALUES}:
            result += [arg[:2], arg[3:]]
        elif equals and name in BOOLEAN_FLAGS and value.lower() in ("true", "false"):
            result.append(name if value.lower() == "true" else BOOLEAN_FLAGS[name])
        else:
            result.append(arg)
    return result


def build_command(args: list[str] | None = None) -> click.Command:
    """The click command tree, with help text laid out for reading: of the one verb `args`
    start with, or of every verb (for `mkctl --help`, shell completion, a mistyped verb)."""
    import click
    import typer

    from minikubectl.globalflags import add_global_flags, verb_index
    from minikubectl.helptext import polish

    names: Iterable[str] = COMMANDS
    verb = verb_index(args or [])
    if args and verb < len(args) and args[verb] in COMMANDS and COMPLETE_VAR not in os.environ:
        # `plugin list` checks plugin names against every command
        names = [args[verb]] if args[verb] != "plugin" else COMMANDS
    root = add_global_flags(polish(typer.main.get_command(make_app(names))))
    root.params.append(
        click.Option(
            ["--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            help="Print the client version and exit.",
            callback=_print_version,
        )
    )
    return root


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`mkctl --version`: the client's version, as `mkctl version --client` prints it."""
    if value:
        import click

        from minikubectl.commands.version import client_version_line

        click.echo(client_version_line(), nl=False)
        ctx.exit(0)


UNSUPPORTED_PLATFORM = (
    "error: mkctl runs on Linux and macOS; on Windows, run it inside WSL "
    "(its daemon relies on POSIX signals and process groups)"
)


def main() -> None:
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        print(UNSUPPORTED_PLATFORM, file=sys.stderr)
        sys.exit(1)
    from controlplane.api.errors import ApiError
    from minikubectl.errors import CliError, render_api_error

    try:
        sys.exit(run(sys.argv[1:]))
    except CliError as exc:
        print(exc.render(), file=sys.stderr)
        sys.exit(1)
    except ApiError as exc:
        print(render_api_error(exc), file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except RecursionError:  # input nested past what the parsers and merges can walk
        print("error: the input is nested too deeply (exceeded max depth)", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        writes = sys.modules.get("minikubectl.manifest_writes")  # loaded with apply, create...
        if writes is not None and isinstance(exc, writes.WriteFailed):
            print("\n".join(exc.messages), file=sys.stderr)
            sys.exit(1)
        store_errors = sys.modules.get("controlplane.store.errors")  # loaded with the store
        if store_errors is not None and isinstance(exc, store_errors.StoreError):
            print(f"error: {exc.message}", file=sys.stderr)
            sys.exit(1)
        # A bug: say so plainly, never with a traceback.
        if os.environ.get("MKCTL_DEBUG"):
            raise
        print(
            f"error: internal error: {type(exc).__name__}: {exc} (set MKCTL_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(1)


def run(args: list[str]) -> int:
    """Run the command line `args`: the exit code, or the error main renders. `get` with
    the most common flags runs without click and Typer (`fast_get`); all else through them."""
    if COMPLETE_VAR not in os.environ:
        from minikubectl import fast_get

        if (line := fast_get.parse(normalize_args(args))) is not None:
            return fast_get.run(line)
    return run_click(args)


def run_click(args: list[str]) -> int:
    """`args` through the click command tree (plugins, completion, help and usage errors)."""
    import click

    from minikubectl.globalflags import verb_index
    from minikubectl.plugins import names_a_plugin

    if COMPLETE_VAR not in os.environ and names_a_plugin(args, COMMANDS, verb_index(args)):
        from minikubectl.plugins import handle_plugin_command

        handle_plugin_command(args)  # returns only when no plugin has that name
    command = build_command(args)
    if isinstance(command, click.Group) and COMPLETE_VAR not in os.environ:
        from minikubectl.plugins import handle_plugin_command, subcommand_plugin_args

        first = verb_index(args)
        if subcommand_plugin_args(args, first, command.commands.get("create")):
            handle_plugin_command(args, min_args=first + 2)
    if instruction := os.environ.get(COMPLETE_VAR):  # the shell asks for candidates
        from click.shell_completion import shell_complete

        return shell_complete(command, {}, "mkctl", COMPLETE_VAR, instruction)
    args = normalize_args(args)
    verb = verb_index(args)
    if isinstance(command, click.Group) and verb < len(args) and args[verb] in command.commands:
        from minikubectl.subcommand_order import subcommand_first

        args[verb + 1 :] = subcommand_first(command.commands[args[verb]], args[verb + 1 :])
    try:
        code = command.main(args=args, prog_name="mkctl", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        return 130
    except click.exceptions.NoArgsIsHelpError as exc:
        # A command group alone (`mkctl rollout`): kubectl's cmd/util DefaultSubCommandRun
        # prints the group's help on stdout and exits 1, with no `error:` line.
        print(exc.ctx.get_help())
        return 1
    except click.UsageError as exc:
        from minikubectl.usage import render

        print(render(exc), file=sys.stderr)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
