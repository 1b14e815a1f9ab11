"""Errors the CLI reports, and how kubectl renders API errors.

kubectl's rendering is staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go CheckErr and
StandardErrorMessage.

Everything a command can fail with ends up here as text for stderr and exit code 1; no
traceback ever reaches a user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from controlplane.api.errors import ApiError


class CliError(Exception):
    """A failure reported as `error: <message>` (or as given, when it is already shaped)."""

    def __init__(self, message: str, *, prefixed: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.prefixed = prefixed

    def render(self) -> str:
        if not self.prefixed or self.message.startswith("error: "):
            return self.message
        return f"error: {self.message}"


class PartialOutput(CliError):
    """A printer failed part way: `text` was written before `error: <message>`."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text


def render_api_error(exc: ApiError, *, verb: str = "", source: str = "") -> str:
    """kubectl's text for a Status error; `verb`/`source` when the object came from a file."""
    if exc.reason == "Invalid" and not exc.kind and not exc.name and not exc.causes:
        return f"The request is invalid: {exc.message}"
    if exc.reason == "Invalid" and exc.causes:
        head = (
            f'The {exc.kind} "{exc.name}" is invalid: '
            if exc.kind or exc.name
            else "The request is invalid: "
        )
        if len(exc.causes) == 1:
            return head + str(exc.causes[0])
        return head + "\n" + "\n".join(f"* {cause}" for cause in exc.causes)
    message = exc.message
    if source:
        message = f'error when {verb} "{source}": {message}'
    if not exc.reason:  # kubectl's StandardErrorMessage for a Status with no reason
        return f"Error from server: {message}"
    return f"Error from server ({exc.reason}): {message}"


def klog(severity: str, location: str, message: str) -> str:
    """A klog line, as kubectl logs warnings: `W1127 10:53:55.477366   20613 x.go:1] text`."""
    import os
    import time

    now = time.time()
    stamp = time.strftime("%m%d %H:%M:%S", time.localtime(now)) + f".{int(now % 1 * 1e6):06d}"
    return f"{severity}{stamp} {os.getpid():>7} {location}] {message}"


class Failures:
    """Errors a command collects while it goes on with other objects (ContinueOnError).

    kubectl reports one error alone (`error: ...`, or an API error as rendered), and several
    as an aggregate: one message per line, API errors rendered, others without `error: `.
    """

    def __init__(self) -> None:
        self.messages: list[tuple[str, bool]] = []  # (text, already rendered)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, error: Exception) -> None:
        from controlplane.api.errors import ApiError

        if isinstance(error, ApiError):
            self.messages.append((render_api_error(error), True))
        elif isinstance(error, CliError) and not error.prefixed:
            self.messages.append((error.message, True))
        else:
            message = error.message if isinstance(error, CliError) else str(error)
            self.messages.append((message.removeprefix("error: "), False))

    def error(self) -> CliError:
        if len(self.messages) == 1:
            text, rendered = self.messages[0]
            return CliError(text, prefixed=not rendered)
        return CliError("\n".join(text for text, _ in self.messages), prefixed=False)
