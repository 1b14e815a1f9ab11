"""Usage errors in kubectl's words: cobra's unknown-command suggestions and pflag's
unknown-flag message, then the `See '<command> --help' for usage.` line, exit code 1.

Click says `Error: No such option: --foo` with a usage banner and exits 2; kubectl says
`error: unknown flag: --foo` (spf13/pflag flag.go failf) and `See 'kubectl get --help' for
usage.` (kubectl's cmd/util UsageErrorf), and for a command it does not know,
`error: unknown command "gett" for "kubectl"` with cobra's `Did you mean this?` list
(spf13/cobra command.go findSuggestions, SuggestionsMinimumDistance 2). An integer flag
given something else is pflag's `invalid argument "abc" for "--replicas" flag:
strconv.ParseInt: parsing "abc": invalid syntax` (flag.go FlagSet.Set; the parsing is
`minikubectl.intflags`), not click's `'abc' is not a valid integer.`
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from minikubectl.intflags import InvalidInteger

SUGGESTIONS_MINIMUM_DISTANCE = 2
_NO_SUCH_COMMAND = re.compile(r"No such command '(.+)'\.")


def levenshtein(a: str, b: str) -> int:
    """cobra's ld with ignoreCase: the edit distance of two words."""
    a, b = a.lower(), b.lower()
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return previous[-1]


def suggestions(typed: str, commands: Iterable[str]) -> list[str]:
    """SuggestionsFor: within two edits, or names that start with what was typed."""
    return [
        name
        for name in commands
        if levenshtein(typed, name) <= SUGGESTIONS_MINIMUM_DISTANCE
        or name.lower().startswith(typed.lower())
    ]


def render(exc: click.UsageError) -> str:
    """The kubectl-shaped text of a click usage error."""
    path = exc.ctx.command_path if exc.ctx is not None else "mkctl"
    unknown = _NO_SUCH_COMMAND.match(exc.message)
    if unknown is not None and exc.ctx is not None:
        typed = unknown.group(1)
        group = exc.ctx.command
        names = group.list_commands(exc.ctx) if isinstance(group, click.Group) else []
        visible = [n for n in names if not getattr(group.get_command(exc.ctx, n), "hidden", False)]  # type: ignore[attr-defined]
        found = suggestions(typed, visible)
        hint = "\n\nDid you mean this?\n" + "".join(f"\t{n}\n" for n in found) if found else "\n"
        return f'error: unknown command "{typed}" for "{path}"{hint}'.rstrip("\n")
    if isinstance(exc, click.NoSuchOption):
        name = exc.option_name
        flag = (
            f"unknown flag: {name}"
            if name.startswith("--")
            else f"unknown shorthand flag: '{name[1:2]}' in {name}"
        )
        return f"error: {flag}\nSee '{path} --help' for usage."
    message = _invalid_argument(exc) if isinstance(exc, InvalidInteger) else exc.message
    return f"error: {message}\nSee '{path} --help' for usage."


def _invalid_argument(exc: InvalidInteger) -> str:
    """pflag's words for a value an integer flag refuses: the flag named `-r, --replicas`
    when it has a shorthand, as FlagSet.Set names it."""
    from minikubectl.printers.gofmt import go_quote

    assert exc.param is not None  # GoInt is the type of options only
    opts = exc.param.opts
    long = next((o for o in opts if o.startswith("--")), opts[0])
    short = next((o for o in opts if len(o) == 2 and o[0] == "-" and o[1] != "-"), None)
    name = f"{short}, {long}" if short else long
    return f"invalid argument {go_quote(exc.text)} for {go_quote(name)} flag: {exc.message}"
