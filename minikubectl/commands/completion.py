"""`completion bash|zsh|fish`: the script that makes the shell ask mkctl for completions.

The script is Click's (click.shell_completion, a public API): it calls mkctl back with
`_MKCTL_COMPLETE=<shell>_complete`, and Click's command line answers with commands, flags,
resource types and object names (minikubectl/completers.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikubectl import COMPLETE_VAR
from minikubectl.commands.options import out
from minikubectl.errors import CliError

SHELLS = ("bash", "zsh", "fish")


def completion(
    shell: Annotated[str | None, typer.Argument(help="bash, zsh or fish.")] = None,
) -> None:
    """Output shell completion code for bash, zsh or fish.

    Load it in the current shell, or add the same line to your shell's startup file.

    Examples:
      source <(mkctl completion bash)
      mkctl completion zsh > "${fpath[1]}/_mkctl"
      mkctl completion fish | source
    """
    import click
    from click.shell_completion import get_completion_class

    if not shell:
        raise CliError("Shell not specified.\nSee 'mkctl completion -h' for help and examples")
    if shell not in SHELLS:
        raise CliError(
            f"Unsupported shell type \"{shell}\".\nSee 'mkctl completion -h' for help and examples"
        )
    script = get_completion_class(shell)
    assert script is not None  # bash, zsh and fish are Click's own
    root = click.get_current_context().find_root().command
    out(script(root, {}, "mkctl", COMPLETE_VAR).source() + "\n")
