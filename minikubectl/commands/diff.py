"""`diff -f`: what `apply -f` would change, as a unified diff of live and merged objects.

kubectl's pkg/cmd/diff writes each live object and the object a server-side dry-run apply
returns into two temporary folders (`LIVE-…`, `MERGED-…`, files named
`apps.v1.Deployment.default.web`) and runs `diff -u -N` on them. Here the same folders and
files are written and the unified diff (GNU's header, `-N` for objects that do not exist yet)
is computed with difflib. Exit status as kubectl's: 0 no differences, 1 differences, 2 an
error.
"""

from __future__ import annotations

import difflib
import random
import shutil
import tempfile
import time
from pathlib import Path

import typer

from controlplane.api.registry import KindInfo
from minikubectl.client import Client
from minikubectl.commands.options import Filenames, Namespace, err, out
from minikubectl.errors import CliError


def file_name(info: KindInfo, namespace: str, name: str) -> str:
    """InfoObject.Name: `apps.v1.Deployment.default.web`, `v1.Namespace..shop`."""
    group, _, version = info.api_version.rpartition("/")
    return (f"{group}." if group else "") + f"{version}.{info.kind}.{namespace}.{name}"


def _stamp(path: Path) -> str:
    """GNU diff's header time: `2024-01-02 15:04:05.123456789 +0000` (epoch when absent)."""
    nanos = path.stat().st_mtime_ns if path.exists() else 0
    seconds, fraction = divmod(nanos, 10**9)
    local = time.localtime(seconds)
    return (
        time.strftime("%Y-%m-%d %H:%M:%S", local) + f".{fraction:09d} " + time.strftime("%z", local)
    )


def unified(live: Path, merged: Path) -> str:
    """`diff -u -N LIVE/f MERGED/f` for one file: its command line, header and hunks."""
    old = live.read_text().splitlines(True) if live.exists() else []
    new = merged.read_text().splitlines(True) if merged.exists() else []
    if old == new:
        return ""
    hunks = list(difflib.unified_diff(old, new, n=3))[2:]  # difflib's own header dropped
    return (
        f"diff -u -N {live} {merged}\n"
        f"--- {live}\t{_stamp(live)}\n+++ {merged}\t{_stamp(merged)}\n" + "".join(hunks)
    )


def diff(filename: Filenames = None, namespace: Namespace = None) -> None:
    """Diff the live version against the version that would be applied.

    Exit status: 0 no differences were found, 1 differences were found, 2 mkctl failed with an
    error.

    Examples:
      mkctl diff -f samples/02-deployment.yaml
      cat web.yaml | mkctl diff -f -
    """
    from minikubectl.manifest_writes import WriteFailed, dry_run_apply
    from minikubectl.manifests import read_manifests
    from minikubectl.printers import formats

    try:
        if not filename:
            raise CliError("must specify one of -f and -k")
        manifests = read_manifests(filename)
        client = Client(namespace)
        pairs = dry_run_apply(client, manifests)
    except (CliError, WriteFailed) as exc:
        err(exc.render() if isinstance(exc, CliError) else "\n".join(exc.messages))
        raise typer.Exit(2) from exc
    live_dir, merged_dir = _temp_dir("LIVE-"), _temp_dir("MERGED-")
    try:
        names = []
        for info, live, merged in pairs:
            meta = merged["metadata"]
            name = file_name(info, meta.get("namespace", ""), meta.get("name", ""))
            names.append(name)
            for folder, obj in ((live_dir, live), (merged_dir, merged)):
                if obj is not None:
                    (folder / name).write_text(formats.to_yaml(_shown(obj)))
        text = "".join(unified(live_dir / name, merged_dir / name) for name in sorted(set(names)))
    finally:
        shutil.rmtree(live_dir, ignore_errors=True)
        shutil.rmtree(merged_dir, ignore_errors=True)
    out(text)
    if text:
        raise typer.Exit(1)


def _temp_dir(prefix: str) -> Path:
    """os.MkdirTemp's names: the prefix and a random 32-bit number (`LIVE-2962467530`)."""
    while True:
        path = Path(tempfile.gettempdir()) / f"{prefix}{random.randrange(2**32)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _shown(obj: dict[str, object]) -> dict[str, object]:
    """diff hides managedFields, as kubectl does unless --show-managed-fields."""
    from minikubectl.printers import formats

    return formats.omit_managed_fields(obj)
