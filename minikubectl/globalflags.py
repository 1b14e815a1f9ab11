"""kubectl's global flags: accepted before the verb and by every command.

kubectl registers `--kubeconfig`, `--context`, `-n/--namespace` (client-go's
`clientcmd.RecommendedConfigOverrideFlags`, added by staging/src/k8s.io/kubectl/pkg/cmd/cmd.go
`NewKubectlCommand` as persistent flags) and klog's `-v/--v` on the root command, so
`kubectl -n kube-system get pods` and `kubectl get pods -n kube-system` mean the same. mkctl
adds the same options to every command of its tree (a command's own `--namespace`, such as
`config set-context --namespace`, keeps its meaning); their values land in `FLAGS`, which
`minikubectl.config` and the `Client` read:

- `--kubeconfig FILE`: the config file mkctl reads and writes instead of `MKCTL_HOME/config`
  (its contexts and their namespaces; the cluster is always `MKCTL_HOME`'s);
- `--context NAME`: the context whose namespace applies, instead of the current one;
- `-n/--namespace`: the namespace of the request;
- `-v/--v N`: log verbosity; at 6 and above every request to the daemon is logged on stderr
  as kubectl's round tripper logs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # click is imported only when a command tree is built (`add_global_flags`)
    import click


class GlobalFlags:
    """The global flags of this command line, set as they are read."""

    def __init__(self) -> None:
        self.kubeconfig: str | None = None
        self.context: str | None = None
        self.namespace: str | None = None
        self.verbosity = 0


FLAGS = GlobalFlags()

# Options that take a value, for spellings click reads otherwise (`-v=6`, `-n=x`).
SHORT_FLAGS_WITH_VALUES = ("-n", "-v")


# The global flags that take a value, as they may come before the verb.
_VALUED = ("--kubeconfig", "--context", "--namespace", "-n", "--v", "-v")


def verb_index(args: list[str]) -> int:
    """Where the verb is in `args`: after any global flags and their values (`-n x get`)."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _VALUED:
            index += 2
        elif arg.startswith(tuple(f"{flag}=" for flag in _VALUED)) or (
            arg[:2] in ("-n", "-v") and len(arg) > 2 and not arg.startswith("--")
        ):
            index += 1
        else:
            return index
    return index


def _store(field: str) -> Any:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            setattr(FLAGS, field, value)
        return value

    return callback


def _verbosity(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    try:
        FLAGS.verbosity = int(value)
    except ValueError:
        import click

        raise click.BadParameter(
            f'invalid argument "{value}" for "-v, --v" flag: strconv.ParseInt: parsing '
            f'"{value}": invalid syntax'
        ) from None


def _options(command: click.Command) -> list[click.Option]:
    import click

    taken = {name for param in command.params for name in getattr(param, "opts", [])}
    wanted = [
        click.Option(
            ["--kubeconfig"],
            help="Path to the kubeconfig file to use for CLI requests.",
            expose_value=False,
            callback=_store("kubeconfig"),
        ),
        click.Option(
            ["--context"],
            help="The name of the kubeconfig context to use.",
            expose_value=False,
            callback=_store("context"),
        ),
        click.Option(
            ["-n", "--namespace"],
            help="If present, the namespace scope for this CLI request.",
            expose_value=False,
            callback=_store("namespace"),
        ),
        click.Option(
            ["-v", "--v"],
            help="Number for the log level verbosity.",
            expose_value=False,
            callback=_verbosity,
        ),
    ]
    return [option for option in wanted if not taken & set(option.opts)]


def add_global_flags(command: click.Command) -> click.Command:
    """Give `command` and everything under it the global flags it does not define itself."""
    import click

    command.params.extend(_options(command))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_global_flags(sub)
    return command


def log_request(method: str, url: str, status: int, milliseconds: int) -> None:
    """kubectl -v=6's line for one request (staging/src/k8s.io/client-go/transport/
    round_trippers.go, `debuggingRoundTripper`: verb, URL, status, latency)."""
    if FLAGS.verbosity < 6:
        return
    import sys

    from minikubectl.errors import klog

    reason = _REASONS.get(status, "")
    print(
        klog(
            "I",
            "round_trippers.go:632",
            f'"Response" verb="{method}" url="{url}" status="{status} {reason}" '
            f"milliseconds={milliseconds}",
        ),
        file=sys.stderr,
    )


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}
