"""Errors the CLI reports, and how kubectl renders API errors (reference 11.2).

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


def render_api_error(exc: ApiError, *, verb: str = "", source: str = "") -> str:
    """kubectl's text for a Status error; `verb`/`source` when the object came from a file."""
    if exc.reason == "Invalid" and exc.causes:
        head = f'The {exc.kind} "{exc.name}" is invalid: '
        if len(exc.causes) == 1:
            return head + str(exc.causes[0])
        return head + "\n" + "\n".join(f"* {cause}" for cause in exc.causes)
    message = exc.message
    if source:
        message = f'error when {verb} "{source}": {message}'
    if not exc.reason:  # kubectl's StandardErrorMessage for a Status with no reason
        return f"Error from server: {message}"
    return f"Error from server ({exc.reason}): {message}"
