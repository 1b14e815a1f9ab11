"""`edit`: open objects as YAML in $KUBE_EDITOR or $EDITOR (vi), then patch what changed.

A port of kubectl's pkg/cmd/util/editor (editoptions.go, editor.go): the file starts with
kubectl's header, comments are ignored when comparing, an unchanged file is `Edit cancelled,
no changes made.`, an empty one `Edit cancelled, saved file was empty.`. The change is sent as
a two-way strategic merge patch, so fields others changed meanwhile are kept. When the server
refuses the change (or the YAML does not parse), the file is reopened with the reasons at the
top, as kubectl does; saving it again unchanged gives up, keeping a copy of the file.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import Any

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    Namespace,
    Resources,
    Selector,
    Validate,
    err,
    out,
    validation_directive,
)
from minikubectl.errors import CliError

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


def editor_command(path: str) -> list[str]:
    """editor.go: $KUBE_EDITOR, then $EDITOR, then vi; a command with spaces runs in a shell."""
    editor = os.environ.get("KUBE_EDITOR") or os.environ.get("EDITOR") or "vi"
    if " " not in editor:
        return [editor, path]
    shell = os.environ.get("SHELL") or "/bin/bash"
    return [shell, "-c", f"{editor} {shlex.quote(path)}"]


def strip_comments(text: str) -> str:
    """cmdutil.StripComments: drop lines starting with `#`."""
    return "".join(line for line in text.splitlines(True) if not line.lstrip().startswith("#"))


def _launch(text: str) -> tuple[str, str]:
    """LaunchTempFile: write, run the editor, read back; returns (edited text, file path)."""
    handle, path = tempfile.mkstemp(prefix="mkctl-edit-", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    try:
        subprocess.run(editor_command(path), check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise CliError(f"there was a problem with the editor {editor_command(path)[0]!r}") from exc
    with open(path, encoding="utf-8") as file:
        return file.read(), path


def _kept(path: str, message: str) -> CliError:
    """preservedFile: say where the edited file stays, then fail."""
    if os.path.exists(path):
        err(f'A copy of your changes has been stored to "{path}"')
    return CliError(message)


def _reasons_header(reasons: list[tuple[str, list[str]]]) -> str:
    lines = [HEADER]
    for head, others in reasons:
        lines.append(f"# {head}:\n" if others else f"# {head}\n")
        lines.extend(f"# * {other}\n" for other in others)
        lines.append("#\n")
    return "".join(lines)


def edit(
    resources: Resources = None,
    namespace: Namespace = None,
    selector: Selector = None,
    validate: Validate = "strict",
) -> None:
    """Edit a resource in your editor ($KUBE_EDITOR or $EDITOR, vi by default).

    Examples:
      mkctl edit deployment/web
      KUBE_EDITOR="nano" mkctl edit deployment web
      EDITOR="sed -i s/replicas:.3/replicas:\\ 5/" mkctl edit deployment/web
    """
    from minikubectl.commands import targets
    from minikubectl.printers import formats

    client = Client(namespace, field_validation=validation_directive(validate))
    found = targets.find(client, resources or [], selector=selector)
    if found.failures:
        raise found.failures.error()
    if not found.objects:
        raise CliError("edit cancelled, no objects found")
    originals = [obj for _, obj in found.objects]
    document: Any = originals[0] if len(originals) == 1 else formats.as_list(originals)
    original_text = HEADER + formats.to_yaml(formats.omit_managed_fields(document))
    text, path, previous = original_text, "", ""
    reasons: list[tuple[str, list[str]]] = []
    while True:
        edited, new_path = _launch(text)
        if path and path != new_path and os.path.exists(path):
            os.remove(path)
        path = new_path
        if reasons and strip_comments(previous) == strip_comments(edited):
            raise _kept(path, "Edit cancelled, no valid changes were saved.")
        if strip_comments(original_text) == strip_comments(edited):
            os.remove(path)
            err("Edit cancelled, no changes made.")
            return
        if not strip_comments(edited).strip():
            os.remove(path)
            err("Edit cancelled, saved file was empty.")
            return
        reasons = _save(client, found.objects, edited, path)
        if not reasons:
            os.remove(path)
            client.settle()
            return
        text, previous = _reasons_header(reasons) + strip_comments(edited), edited


def _save(
    client: Client, objects: list[tuple[KindInfo, Obj]], edited: str, path: str
) -> list[tuple[str, list[str]]]:
    """Patch every edited object; the reasons to reopen the file (none when all went well)."""
    from controlplane.api.errors import ApiError
    from minikubectl.kubectl.apply import create_three_way_patch, patch_type_for
    from minikubectl.yaml_reader import yaml_to_python

    try:
        parsed = yaml_to_python(strip_comments(edited))
    except ValueError as exc:
        return [(f"The edited file had a syntax error: error converting YAML to JSON: {exc}", [])]
    is_list = isinstance(parsed, dict) and parsed.get("kind") == "List"
    items = parsed.get("items", []) if is_list else [parsed]
    by_uid = {obj["metadata"].get("uid"): (info, obj) for info, obj in objects}
    reasons: list[tuple[str, list[str]]] = []
    for item in items:
        meta = item.get("metadata") if isinstance(item, dict) else None
        if not isinstance(meta, dict) or meta.get("uid") not in by_uid:
            raise _kept(path, f"no original object found for {item!r}")
        info, original = by_uid[meta["uid"]]
        if any(item.get(k) != original.get(k) for k in ("apiVersion", "kind")) or (
            meta.get("name") != original["metadata"].get("name")
        ):
            raise _kept(path, "At least one of apiVersion, kind and name was changed")
        name = original["metadata"]["name"]
        where = f'{info.resource} "{name}"'
        if item == original:
            out(f"{info.kind_group}/{name} skipped\n")
            continue
        change = create_three_way_patch(original, item, original, info.kind)
        try:
            client.api.patch(
                info.kind,
                original["metadata"].get("namespace", ""),
                name,
                change,
                patch_type_for(info),
                field_manager="kubectl-edit",
            )
        except ApiError as exc:
            if exc.reason == "Invalid":
                err(f"error: {where} is invalid")
                reasons.append((f"{where} was not valid", [str(c) for c in exc.causes]))
                continue
            if exc.reason == "NotFound":
                err(f"error: {where} could not be found on the server")
                err(f'The edits you made on deleted resources have been saved to "{path}"')
                raise typer.Exit(1) from exc
            err(f"error: {where} could not be patched: {exc.message}")
            err(f"You can run `mkctl replace -f {path}` to try this update again.")
            raise typer.Exit(1) from exc
        out(f"{info.kind_group}/{name} edited\n")
    return reasons
