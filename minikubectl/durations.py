"""Duration flags (`--timeout=30s`) as kubectl reads them: Go's `time.ParseDuration`."""

from __future__ import annotations

from controlplane.models.durations import DurationError, parse_duration

__all__ = ["DurationError", "duration_flag", "parse_duration"]


def duration_flag(text: str, flag: str, command: str) -> float:
    """A duration flag's value in seconds, or kubectl's usage error for a bad one."""
    from minikubectl.errors import CliError

    try:
        return parse_duration(text)
    except DurationError as exc:
        raise CliError(
            f'invalid argument "{text}" for "{flag}" flag: {exc}\n'
            f"See 'mkctl {command} --help' for usage."
        ) from exc
