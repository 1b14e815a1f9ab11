"""Flags before a subcommand's name belong to the subcommand, as cobra parses them.

cobra finds the command first, skipping flags and their values (spf13/cobra command.go
`Find` and `stripFlags`), then parses every flag with that command's flag set, so
`kubectl create --dry-run=client job pi --image=perl` is a client dry run of `create job`.
click gives options before a subcommand's name to the group instead, where `create`'s own
`--dry-run` (the `create -f` form's) would swallow it. `subcommand_first` moves the
subcommand's name ahead of such flags when the subcommand accepts each of them.
"""

from __future__ import annotations

import click


def _option(command: click.Command, arg: str) -> click.Option | None:
    name = arg.split("=", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _takes_next_word(command: click.Command, arg: str) -> bool:
    """cobra's stripFlags: `--image perl` takes the next word unless the flag is known to be
    a boolean; `--image=perl` and `-ojson` carry their value."""
    if "=" in arg or (not arg.startswith("--") and len(arg) > 2):
        return False
    option = _option(command, arg)
    return option is None or not option.is_flag


def subcommand_first(group: click.Command, args: list[str]) -> list[str]:
    """`args` after `group`'s name, with the names of the (nested) subcommand ahead of the
    flags among them, when that subcommand knows every one of those flags."""
    command, names, flags, index = group, [], [], 0
    while index < len(args) and args[index] != "--":
        arg = args[index]
        if arg.startswith("-"):
            takes = _takes_next_word(command, arg) and index + 1 < len(args)
            flags += args[index : index + 1 + takes]
            index += 1 + takes
        elif isinstance(command, click.Group) and arg in command.commands:
            command = command.commands[arg]
            names.append(arg)
            index += 1
        else:
            break
    if not names or not flags:
        return args
    if not all(_option(command, arg) for arg in flags if arg.startswith("-")):
        return args
    return [*names, *flags, *args[index:]]
