"""The simulated registry: which repositories and tags exist, and how big each image is.

mkctl pulls nothing; its kubelet asks this offline catalogue instead. A repository it knows
(the images tutorials use: nginx, busybox, registry.k8s.io/pause ...) has a fixed set of
tags, so a typo such as `nginx:1.161` fails to pull as it does against Docker Hub. A
repository it does not know may exist anywhere, so it pulls. A digest reference pulls when
it is well formed (images.invalid_image_name refuses the others): the catalogue lists tags,
not digests.

The catalogue is `catalogue.json` in this package; users add repositories and tags in
`MKCTL_HOME/images.json`, in the same format (docs/failure-simulation.md):

    {"docker.io/library/nginx": {"1.27.{0..5}{,-alpine}": 72000000, "latest": 72000000}}

Each repository (written in full, or as short as `nginx`) maps tag patterns to a size in
bytes; a pattern expands like a shell's braces (`{a,b}` alternatives, `{0..5}` numbers), and
the first pattern a tag matches gives its size: exactly for a pattern that names one tag,
within 3% for one of many (each tag its own, steadily).
A user's tags are added to the shipped ones. The kubelet reads the user file again, at each
pass, when it has changed; one that cannot be read is reported in the log and left out.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from controlplane.kubelet.images import full_image_reference, invalid_image_name

log = logging.getLogger(__name__)

USER_FILE = "images.json"
_RANGE = re.compile(r"(-?\d+)\.\.(-?\d+)")
_UNKNOWN_BASE, _UNKNOWN_SPREAD = 20_000_000, 60_000_000  # an unknown image: 20 MB to 80 MB
_MAX_RANGE = 1000
_SIZE_SPREAD = 300  # a tag's size varies by up to 3% around its pattern's, steadily


@dataclass(frozen=True)
class Resolved:
    """What the registry answers for one image reference."""

    found: bool
    size: int  # bytes, as the kubelet reports `Image size: N bytes.`


def tag_pattern(pattern: str) -> re.Pattern[str]:
    """A tag pattern as a regular expression: `1.{25..26}{,-alpine}` matches `1.25`,
    `1.25-alpine`, `1.26` and `1.26-alpine`, as a shell would expand it."""
    return re.compile(_braces_to_regex(pattern))


def _braces_to_regex(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "}":
            raise ValueError(f"unbalanced braces in tag pattern {pattern!r}")
        if pattern[i] != "{":
            out.append(re.escape(pattern[i]))
            i += 1
            continue
        depth, end = 0, i
        for end in range(i, len(pattern)):
            depth += {"{": 1, "}": -1}.get(pattern[end], 0)
            if depth == 0:
                break
        if depth:
            raise ValueError(f"unbalanced braces in tag pattern {pattern!r}")
        body = pattern[i + 1 : end]
        numbers = _RANGE.fullmatch(body)
        if numbers:
            first, last = sorted((int(numbers.group(1)), int(numbers.group(2))))
            if last - first >= _MAX_RANGE:
                raise ValueError(f"a range of more than {_MAX_RANGE} in tag pattern {pattern!r}")
            choices = [str(n) for n in range(first, last + 1)]
        else:
            choices = [_braces_to_regex(part) for part in _split_top_level(body)]
        out.append(f"(?:{'|'.join(choices)})")
        i = end + 1
    return "".join(out)


def _split_top_level(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def repository_of(image: str) -> tuple[str, str, str]:
    """`nginx:1.14.2` -> (`docker.io/library/nginx`, `1.14.2`, ``); digests in the third."""
    name, _, digest = full_image_reference(image).partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1 :], digest
    return name, "", digest


Tags = tuple[tuple[re.Pattern[str], int, bool], ...]  # tag patterns, sizes, exact; in order


def parse_catalogue(data: Any, source: str) -> dict[str, Tags]:
    """A catalogue's JSON as repository -> tag patterns; ValueError naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: must be a JSON object of repositories")
    parsed: dict[str, Tags] = {}
    for repository, patterns in data.items():
        if not isinstance(patterns, dict):
            raise ValueError(f"{source}: {repository}: must map tag patterns to sizes in bytes")
        tags = []
        for pattern, size in patterns.items():
            if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
                raise ValueError(
                    f"{source}: {repository}: {pattern}: the size must be a number of bytes"
                )
            tags.append((tag_pattern(pattern), size, "{" not in pattern))
        name, tag, digest = repository_of(f"{repository}:latest")
        if tag != "latest" or digest or invalid_image_name(f"{repository}:latest") is not None:
            raise ValueError(f"{source}: {repository}: not a repository name (no tag, no digest)")
        parsed[name] = (*parsed.get(name, ()), *tags)
    return parsed


def _shipped() -> dict[str, Tags]:
    text = resources.files(__package__).joinpath("catalogue.json").read_text()
    return parse_catalogue(json.loads(text), "catalogue.json")


class Registry:
    """The shipped catalogue plus the user's file (read again by `refresh` if it changed)."""

    def __init__(self, user_file: Path | None = None) -> None:
        self._user_file = user_file
        self._shipped: dict[str, Tags] | None = None
        self._merged: dict[str, Tags] | None = None
        self._user_stamp: object = object()  # never equal to a file's stamp at first
        self._answered_from: dict[str, Tags] = {}
        self._answers: dict[str, Resolved] = {}

    def refresh(self) -> None:
        """Read the user's file again if it changed (the kubelet asks once per pass)."""
        stamp = self._stamp()
        if stamp != self._user_stamp:
            self._user_stamp = stamp
            shipped = self._shipped_catalogue()
            user = self._read_user_file()
            self._merged = {
                **shipped,
                **{name: (*tags, *shipped.get(name, ())) for name, tags in user.items()},
            }

    def repositories(self) -> dict[str, Tags]:
        if self._merged is None:
            self.refresh()
        assert self._merged is not None
        return self._merged

    def _shipped_catalogue(self) -> dict[str, Tags]:
        if self._shipped is None:
            self._shipped = _shipped()
        return self._shipped

    def resolve(self, image: str) -> Resolved:
        """Whether `image` can be pulled, and its size (remembered until the catalogue
        changes: the kubelet asks for every container of every pod it looks at)."""
        repositories = self.repositories()
        if repositories is not self._answered_from:
            self._answered_from, self._answers = repositories, {}
        answer = self._answers.get(image)
        if answer is None:
            answer = self._answers[image] = self._resolve(image, repositories)
        return answer

    def _resolve(self, image: str, repositories: dict[str, Tags]) -> Resolved:
        reference = full_image_reference(image)
        repository, tag, digest = repository_of(image)
        tags = repositories.get(repository)
        if tags is None:
            return Resolved(True, _UNKNOWN_BASE + zlib.crc32(reference.encode()) % _UNKNOWN_SPREAD)
        matches = [(size, exact) for pattern, size, exact in tags if pattern.fullmatch(tag)]
        if not matches and not digest:
            return Resolved(False, 0)
        latest = [(size, exact) for pattern, size, exact in tags if pattern.fullmatch("latest")]
        size, exact = (matches or latest or [(tags[0][1], False)])[0]
        if exact:
            return Resolved(True, size)
        spread = zlib.crc32(reference.encode()) % (2 * _SIZE_SPREAD + 1) - _SIZE_SPREAD
        return Resolved(True, size + size * spread // 10_000)

    def _stamp(self) -> object:
        if self._user_file is None:
            return None
        try:
            info = self._user_file.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def _read_user_file(self) -> dict[str, Tags]:
        if self._user_file is None or self._stamp() is None:
            return {}
        try:
            return parse_catalogue(json.loads(self._user_file.read_text()), str(self._user_file))
        except (OSError, ValueError, RecursionError) as error:
            log.warning("ignoring the image catalogue %s: %s", self._user_file, error)
            return {}
