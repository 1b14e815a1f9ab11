"""`samples list|get|copy`: the numbered lessons that ship with mkctl, for a learner who
installed it from a wheel and has no checkout to read them from.

Each sample says what it teaches in its first comment line; `get` prints one (so it can be
piped into `mkctl apply -f -`), `copy` writes them all into `DIR/samples/`, where the lesson
scripts find the manifests they apply.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from minikubectl.commands.options import out
from minikubectl.errors import CliError

app = typer.Typer(
    help="List, print or copy out the lessons that ship with mkctl.", no_args_is_help=True
)


def shipped() -> dict[str, Traversable]:
    """The samples in the installed package, by file name."""
    folder = resources.files("minikubectl").joinpath("samples")
    return {
        entry.name: entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".sh"))
    }


def summary(text: str) -> str:
    """The first sentence of the opening comment (after any shebang): what it teaches."""
    words: list[str] = []
    for line in text.splitlines():
        if line.startswith("#!"):
            continue
        if not line.startswith("#") or not line.lstrip("# ").strip():
            break
        words += line.lstrip("# ").split()
    sentence = " ".join(words)
    end = sentence.find(". ")
    return sentence if end < 0 else sentence[: end + 1]


@app.command("list")
def list_samples() -> None:
    """List the samples and what each teaches.

    Examples:
      mkctl samples list
    """
    found = shipped()
    width = max(len(name) for name in found)
    out(f"{'NAME':<{width}}   DESCRIPTION\n")
    for name, entry in found.items():
        out(f"{name:<{width}}   {summary(entry.read_text(encoding='utf-8'))}\n")


@app.command("get")
def get(name: Annotated[str, typer.Argument(help="A sample's file name, as listed.")]) -> None:
    """Print one sample.

    Examples:
      mkctl samples get 02-deployment.yaml
      mkctl samples get 02-deployment.yaml | mkctl apply -f -
    """
    found = shipped()
    if name not in found:
        raise CliError(f'sample "{name}" not found; see `mkctl samples list`')
    out(found[name].read_text(encoding="utf-8"))


@app.command("copy")
def copy(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the samples/ folder.")
    ] = Path(),
) -> None:
    """Copy every sample into DIRECTORY/samples, where the lesson scripts expect them.

    Existing files are never overwritten.

    Examples:
      mkctl samples copy .
      mkctl samples copy ~/k8s-lessons && bash ~/k8s-lessons/samples/lesson.sh
    """
    target = directory / "samples"
    found = shipped()
    clashes = sorted(name for name in found if (target / name).exists())
    if clashes:
        raise CliError(f"{target / clashes[0]} already exists; nothing was copied")
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, entry in found.items():
            written = target / name
            written.write_bytes(entry.read_bytes())
            if name.endswith(".sh"):
                written.chmod(0o755)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from exc
    out(f"copied {len(found)} samples to {target}\n")
