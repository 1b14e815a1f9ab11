"""Where `create configmap` and `create secret` read their keys: `--from-literal=k=v`,
`--from-file=[key=]path` (a file, or every regular file of a directory) and
`--from-env-file=path`, parsed and refused as kubectl parses and refuses them.

Ported from staging/src/k8s.io/kubectl/pkg/util/util.go (ParseLiteralSource,
ParseFileSource), pkg/cmd/util/env_file.go (AddFromEnvFile, processEnvFileLine) and the file
walks of pkg/cmd/create/create_configmap.go (handleConfigMapFromFileSources).
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Iterator

from controlplane.models.identifiers import env_var_name_errors
from minikubectl.errors import CliError

_UTF8_BOM = b"\xef\xbb\xbf"


def literal_source(source: str) -> tuple[str, str]:
    """ParseLiteralSource: `key=value`, split at the first `=`; no key, or no `=`, is refused."""
    key, equals, value = source.partition("=")
    if not equals or not key:
        raise CliError(f"invalid literal source {source}, expected key=value")
    return key, value


def file_source(source: str) -> tuple[str, str]:
    """ParseFileSource: `path` (the key is its base name) or `key=path`."""
    separators = source.count("=")
    if separators == 0:
        return posixpath.basename(source.rstrip("/")) or "/", source
    if separators == 1 and source.startswith("="):
        raise CliError(f"key name for file path {source[1:]} missing")
    if separators == 1 and source.endswith("="):
        raise CliError(f"file path for key name {source[:-1]} missing")
    if separators > 1:
        raise CliError("key names or file paths cannot contain '='")
    key, _, path = source.partition("=")
    return key, path


def _stat_error(path: str, exc: OSError) -> CliError:
    """Go's *os.PathError's Err: the errno's text, lower case."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return CliError(f"error reading {path}: {reason[:1].lower()}{reason[1:]}")


def file_sources(sources: list[str]) -> Iterator[tuple[str, bytes]]:
    """Each `--from-file` as (key, content): a directory gives its regular files in name
    order (os.ReadDir), each keyed by its name; a key cannot be given for a directory."""
    for source in sources:
        key, path = file_source(source)
        try:
            info = os.stat(path)
        except OSError as exc:
            raise _stat_error(path, exc) from exc
        if not stat.S_ISDIR(info.st_mode):
            yield key, _read(path)
            continue
        if "=" in source:
            raise CliError("cannot give a key name for a directory path")
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.is_file(follow_symlinks=False):
                yield entry.name, _read(posixpath.join(path, entry.name))


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CliError(f"open {path}: {(exc.strerror or str(exc)).lower()}") from exc


def env_file_sources(sources: list[str], what: str, add: Callable[[str, str], None]) -> None:
    """AddFromEnvFile for each `--from-env-file`: `KEY=value` lines (a line with no `=`
    takes the value from mkctl's environment); blank lines and `#` comments are skipped."""
    from minikubectl.printers.gofmt import go_quote

    for path in sources:
        try:
            info = os.stat(path)
        except OSError as exc:
            raise _stat_error(path, exc) from exc
        if stat.S_ISDIR(info.st_mode):
            raise CliError(f"env {what} file cannot be a directory")
        for number, raw in enumerate(_read(path).split(b"\n")):
            line = raw[:-1] if raw.endswith(b"\r") else raw
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                shown = " ".join(str(byte) for byte in line)
                raise CliError(
                    f"env file {path} contains invalid utf8 bytes at line {number + 1}: [{shown}]"
                ) from None
            if number == 0:
                text = text.removeprefix(_UTF8_BOM.decode())
            text = text.lstrip()
            if not text or text.startswith("#"):
                continue
            key, equals, value = text.partition("=")
            if errs := env_var_name_errors(key):
                raise CliError(f"{go_quote(key)} is not a valid key name: {';'.join(errs)}")
            add(key, value if equals else os.environ.get(key, ""))
