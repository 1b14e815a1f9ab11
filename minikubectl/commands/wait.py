"""`wait --for=condition=Available|delete|create`: poll until each object gets there.

kubectl watches; mkctl polls. Each round settles the cluster first (in embedded mode that is
when time-driven work, such as a pod becoming available after minReadySeconds, happens),
then re-reads the objects. Objects are waited for one after the other against one deadline;
a failure does not stop the others, and all failures are reported at the end, as kubectl
1.37 does (its builder continues on error).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands import builder
from minikubectl.commands.options import (
    AllNamespaces,
    FieldSelector,
    Filenames,
    Namespace,
    Output,
    Resources,
    Selector,
    err,
    out,
)
from minikubectl.errors import CliError
from minikubectl.waits import Wait

POLL_SECONDS = 0.25
A_WEEK = 168 * 3600.0  # a negative --timeout means "wait for a week"


@dataclass
class Failure:
    message: str  # the error's own text, as an aggregate of several errors prints it
    rendered: str  # how kubectl prints it when it is the only error

    @classmethod
    def error(cls, message: str) -> Failure:
        return cls(message, f"error: {message}")

    @classmethod
    def not_found(cls, info: KindInfo, name: str) -> Failure:
        message = f'{info.resource} "{name}" not found'
        return cls(message, f"Error from server (NotFound): {message}")


def _timeout(text: str) -> float:
    from minikubectl.durations import duration_flag

    seconds = duration_flag(text, "--timeout", "wait")
    return A_WEEK if seconds < 0 else seconds


def _success(info: KindInfo, obj: Obj, output: str) -> str:
    from minikubectl.printers import formats

    if output == "name":
        return f"{info.kind_group}/{obj['metadata']['name']}\n"
    if output == "json":
        return formats.to_json(formats.omit_managed_fields(obj))
    if output == "yaml":
        return formats.to_yaml(formats.omit_managed_fields(obj))
    return f"{info.kind_group}/{obj['metadata']['name']} condition met\n"


def _not_yet(wait: Wait, info: KindInfo, name: str, *, once: bool, expired: bool) -> Failure | None:
    """Why to stop waiting for a condition that is not met yet, if it is time to stop."""
    if wait.kind == "create" and (once or expired):
        return Failure.error("timed out waiting for the condition")
    if once:
        return Failure.error(f"condition not met for {info.plural}/{name}")
    if expired:
        return Failure.error(f"timed out waiting for the condition on {info.plural}/{name}")
    return None


def _wait_one(
    client: Client,
    target: builder.Target,
    waits: list[Wait],
    deadline: float,
    *,
    once: bool,
    output: str,
    polled: Callable[[KindInfo, Obj], None] | None = None,
) -> Failure | None:
    """Wait for every condition on one object in turn; print each success as it comes.
    `polled` sees the object each time it is read again.

    A JSONPath that cannot be checked on the object (it finds a list) fails that object.
    """
    info, namespace, name = target
    current = client.fetch(info, namespace, name)
    if current is None and waits[0].kind == "delete":
        return None  # kubectl ignores objects already gone when waiting for deletion
    if current is None and waits[0].kind != "create":
        return Failure.not_found(info, name)
    last_seen = current
    first_uid = current["metadata"]["uid"] if current is not None else None
    try:
        for wait in waits:
            while not wait.met(current, first_uid):
                expired = time.monotonic() >= deadline
                failure = _not_yet(wait, info, name, once=once, expired=expired)
                if failure is not None:
                    return failure
                time.sleep(POLL_SECONDS)
                client.settle()
                current = client.fetch(info, namespace, name)
                if polled is not None and current is not None:
                    polled(info, current)
                if current is None and wait.kind in ("condition", "jsonpath"):
                    return Failure.not_found(info, name)
                if current is not None:
                    last_seen = current
                    first_uid = first_uid or current["metadata"]["uid"]
            assert last_seen is not None  # met create and condition waits saw the object
            out(_success(info, last_seen, output))
    except CliError as exc:
        return Failure.error(exc.message)
    return None


def wait(
    resources: Resources = None,
    filename: Filenames = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
    field_selector: FieldSelector = None,
    all_: bool = typer.Option(
        False, "--all/--no-all", help="Select all resources of the given types."
    ),
    for_: Annotated[
        list[str] | None,
        typer.Option(
            "--for",
            help="The condition to wait on: create, delete, condition=NAME[=VALUE] (default "
            "value true, compared case-insensitively) or jsonpath='{JSONPath}'[=VALUE]. "
            "Several are waited for in turn.",
        ),
    ] = None,
    timeout: str = typer.Option(
        "30s",
        "--timeout",
        help="How long to wait before giving up: 0 checks once, a negative value waits a week.",
    ),
    output: Output = None,
) -> None:
    """Wait for a specific condition on one or many resources.

    Prints `<kind>/<name> condition met` for each object and condition; exits 1 with
    `timed out waiting for the condition on <resource>/<name>` when --timeout passes.

    Examples:
      mkctl wait --for=condition=Available deployment/web
      mkctl wait --for=condition=Ready pod -l app=web --timeout=60s
      mkctl wait --for=delete pod/web-7c5ddbdf54-2xkzq --timeout=60s
      mkctl wait --for=create deployment/web --for=condition=Available
      mkctl wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/web
    """
    from minikubectl.waits import parse_for

    waits = parse_for(for_ or [])
    seconds = _timeout(timeout)
    output = (output or "").lstrip("=")
    if output not in ("", "name", "json", "yaml"):
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: json,name,yaml"
        )
    deadline = time.monotonic() + seconds
    client = Client(namespace)
    client.settle()
    targets = builder.select(
        client,
        resources or [],
        filename or [],
        all_namespaces=all_namespaces,
        selector=selector,
        all_=all_,
        field_selector=field_selector,
    )
    if not targets:
        if waits[0].kind == "delete":
            return
        raise CliError("no matching resources found")
    from minikubectl.progress import Row, live_rows, ready_row

    # On a terminal, the owners waited on show their ready pods while the wait lasts.
    rows: dict[str, Row] = {}
    with live_rows(not output, lambda: list(rows.values())) as refresh:

        def polled(info: KindInfo, obj: Obj) -> None:
            if refresh is not None and (row := ready_row(info.kind_group, obj)) is not None:
                rows[row[0]] = row
                refresh()

        failures = [
            failure
            for target in targets
            if (
                failure := _wait_one(
                    client, target, waits, deadline, once=seconds == 0, output=output, polled=polled
                )
            )
        ]
    if len(failures) == 1:
        err(failures[0].rendered)
    else:
        for failure in failures:
            err(failure.message)
    if failures:
        raise typer.Exit(1)
